"""Checkpoint and re-run: the step is idempotent, the checkpoint skips, nothing is duplicated."""

import pytest

from holocron_lib.db.connection import connect
from holocron_lib.notebook import checkpoint as cp


@pytest.fixture
def db(seeded_file):
    with connect(path=seeded_file) as conn:
        yield conn


def test_a_dry_run_step_leaves_the_state_alone(db):
    before = cp.snapshot(db)
    outcome = cp.run_step(db, cp.select_batch(db, "Character", 4))
    assert outcome.enqueued + outcome.already_queued == 4 and not outcome.committed
    assert outcome.checkpoint.done == []
    assert cp.snapshot(db) == before


def test_run_checkpoint_rerun_and_lost_checkpoint_give_one_state(db, tmp_path):
    batch = cp.select_batch(db, "Character", 5)
    path = tmp_path / "cp.json"
    first = cp.run_step(db, batch, cp.Checkpoint.load(path, cp.INTERROGATION_KEY), confirm=True)
    first.checkpoint.save(path)
    after_first = cp.snapshot(db)
    assert len(first.checkpoint.done) == 5
    second = cp.run_step(db, batch, cp.Checkpoint.load(path, cp.INTERROGATION_KEY), confirm=True)
    assert (second.enqueued, second.skipped) == (0, 5)
    third = cp.run_step(db, batch, None, confirm=True)
    assert (third.enqueued, third.already_queued) == (0, 5)
    assert cp.snapshot(db) == after_first
    assert cp.duplicate_jobs(db).empty
    keys = db.query("SELECT dedupe_key FROM llm.job WHERE interrogation_key = ?", [cp.INTERROGATION_KEY])
    assert {cp.dedupe_key(k) for k in batch["EntityKey"]} <= set(keys["dedupe_key"])


def test_checkpoint_round_trips_and_starts_empty(tmp_path):
    path = tmp_path / "sub" / "cp.json"
    assert cp.Checkpoint.load(path, "step").done == []
    cp.Checkpoint("step", ["b", "a"]).save(path)
    assert cp.Checkpoint.load(path, "step") == cp.Checkpoint("step", ["b", "a"])


def test_duplicate_jobs_finds_a_planted_duplicate(db):
    batch = cp.select_batch(db, "Droid", 1)
    cp.run_step(db, batch, confirm=True)
    db.connection.execute("DROP INDEX IF EXISTS llm.UQ_llm_job_dedupe")
    db.execute("INSERT INTO llm.job (job_id, interrogation_key, input_json, dedupe_key) VALUES (NEWID(), ?, '{}', ?)",
               [cp.INTERROGATION_KEY, cp.dedupe_key(batch.iloc[0]["EntityKey"])])
    dups = cp.duplicate_jobs(db)
    assert list(dups["jobs"]) == [2]


def test_a_trial_rolls_back_every_step_unless_confirmed(db):
    before = cp.snapshot(db)
    trial = cp.Trial(db)
    out = cp.run_step(db, cp.select_batch(db, "Character", 3), confirm=True)
    assert out.enqueued > 0 and cp.snapshot(db).jobs == before.jobs + out.enqueued
    assert trial.finish() == "rolled back"
    assert cp.snapshot(db) == before
    kept = cp.Trial(db, confirm=True)
    cp.run_step(db, cp.select_batch(db, "Character", 3), confirm=True)
    assert kept.finish() == "committed"
    assert cp.snapshot(db).jobs == before.jobs + out.enqueued


def test_compare_marks_equal_neighbours():
    a = cp.Snapshot(1, 1, "x" * 64)
    frame = cp.compare({"one": a, "two": a, "three": cp.Snapshot(2, 2, "y" * 64)})
    assert list(frame["same_as_previous"]) == [None, True, False]
