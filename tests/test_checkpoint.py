"""Checkpoint and re-run: the step is idempotent, the checkpoint skips, nothing is duplicated."""

import pytest
from seeded_db import fresh_db_fixture

from holocron_lib.errors import HolocronError
from holocron_lib.notebook import checkpoint as cp

db = fresh_db_fixture()


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


def test_a_dry_run_trial_shows_the_proof_and_leaves_nothing(db, tmp_path):
    before = cp.snapshot(db)
    path = tmp_path / "cp.json"
    with cp.trial(db, cp.select_batch(db, "Character", 3), path) as trial:
        first = trial.step("run")
        assert first.enqueued == 3 and not first.committed
        assert trial.step("re-run").skipped == 3
        assert trial.step("lost", use_checkpoint=False).already_queued == 3
        assert cp.snapshot(db).jobs == before.jobs + 3  # the trial sees its own writes
    assert trial.outcome == "rolled back" and trial.idempotent
    assert list(trial.snapshots) == ["before", "run", "re-run", "lost"]
    assert not db.in_transaction
    assert cp.snapshot(db) == before
    assert not path.exists()  # no checkpoint claims work that was rolled back


def test_a_confirmed_trial_keeps_the_jobs_and_saves_the_checkpoint(db, tmp_path):
    before = cp.snapshot(db)
    path = tmp_path / "cp.json"
    batch = cp.select_batch(db, "Character", 3)
    with cp.trial(db, batch, path, confirm=True) as trial:
        trial.step("run")
        trial.step("re-run")
    assert trial.outcome == "committed" and trial.idempotent
    assert cp.snapshot(db).jobs == before.jobs + 3
    assert cp.Checkpoint.load(path, cp.INTERROGATION_KEY).done == sorted(
        cp.dedupe_key(k) for k in batch["EntityKey"])
    with cp.trial(db, batch, path, confirm=True) as again:  # the saved checkpoint is read back
        assert again.step("next day").skipped == 3


def test_an_error_inside_a_trial_rolls_back_and_releases_the_transaction(db, tmp_path):
    before = cp.snapshot(db)
    path = tmp_path / "cp.json"
    with pytest.raises(RuntimeError, match="cell failed"), \
            cp.trial(db, cp.select_batch(db, "Character", 3), path, confirm=True) as trial:
        trial.step("run")
        raise RuntimeError("cell failed")
    assert not db.in_transaction
    assert cp.snapshot(db) == before and not path.exists()
    assert trial.outcome == "rolled back"
    with pytest.raises(HolocronError, match="'late'.*trial has ended"):
        trial.step("late")
    assert cp.run_step(db, cp.select_batch(db, "Character", 1), confirm=True).committed


def test_compare_marks_equal_neighbours():
    a = cp.Snapshot(1, 1, "x" * 64)
    frame = cp.compare({"one": a, "two": a, "three": cp.Snapshot(2, 2, "y" * 64)})
    assert list(frame["same_as_previous"]) == [None, True, False]
