"""Before/after snapshots: aggregate counts at two moments and a diff that flags anomalies."""

import pandas as pd
import pytest
from seeded_db import fresh_db_fixture

from holocron_lib.errors import UnknownObjectError
from holocron_lib.notebook import diffs

db = fresh_db_fixture("module")


def test_a_snapshot_counts_rows_up_to_the_moment(db):
    end = db.scalar("SELECT MAX(created_utc) FROM llm.job")
    snap = diffs.snapshot(db, end).set_index(["table", "measure"])["count"]
    assert snap[("llm.job", "rows")] == db.scalar("SELECT COUNT(*) FROM llm.job")
    statuses = snap.loc["llm.job"].drop("rows")
    assert statuses.sum() == snap[("llm.job", "rows")]


def test_the_default_moments_are_one_day_apart_and_the_diff_adds_up(db):
    before, after, how = diffs.choose_moments(db)
    assert (after - before) == pd.Timedelta(hours=24) and "latest activity" in how
    changes = diffs.diff(diffs.snapshot(db, before), diffs.snapshot(db, after))
    jobs = changes[(changes["table"] == "llm.job") & (changes["measure"] == "rows")].iloc[0]
    assert jobs["delta"] == db.scalar("SELECT COUNT(*) FROM llm.job WHERE created_utc > ? AND created_utc <= ?",
                                      [before, after])


def test_run_ids_give_the_runs_start_and_end(db):
    run = db.query("SELECT TOP (1) run_id, started_utc, completed_utc FROM llm.run "
                   "WHERE completed_utc IS NOT NULL ORDER BY run_id").iloc[0]
    before, after, _ = diffs.choose_moments(db, run_before=str(run["run_id"]), run_after=str(run["run_id"]))
    assert pd.Timestamp(before) == run["started_utc"] and pd.Timestamp(after) == run["completed_utc"]
    with pytest.raises(UnknownObjectError):
        diffs.choose_moments(db, run_before="00000000-0000-0000-0000-000000000000")


def test_reversed_moments_are_refused(db):
    from holocron_lib.errors import HolocronError

    with pytest.raises(HolocronError, match="later than"):
        diffs.choose_moments(db, before_utc="2030-01-02", after_utc="2030-01-01")


def test_the_diff_flags_shrinking_new_and_surging_counts():
    before = pd.DataFrame([("a", "rows", 10), ("b", "rows", 10), ("c", "rows", 0)], columns=["table", "measure", "count"])
    after = pd.DataFrame([("a", "rows", 8), ("b", "rows", 30), ("c", "rows", 5)], columns=["table", "measure", "count"])
    changes = diffs.diff(before, after, growth_warn_pct=50).set_index("table")
    assert changes.loc["a", "anomaly"] == "rows disappeared"
    assert changes.loc["b", "anomaly"] == "grew more than 50%" and changes.loc["b", "pct_change"] == 200.0
    assert changes.loc["c", "anomaly"] == "new"
    rows = changes.reset_index()
    assert [diffs.lost_rows(row) for _, row in rows.iterrows()] == [True, False, False]
