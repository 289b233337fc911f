"""Throughput and latency: jobs per hour, run durations and their percentiles, outcome rates."""

import pandas as pd
import pytest
from seeded_db import fresh_db_fixture

from holocron_lib.notebook import metrics

db = fresh_db_fixture("module")


def test_jobs_per_hour_has_every_hour_and_counts_the_window(db):
    per_hour = metrics.jobs_per_hour(db, days=2)
    hours = pd.to_datetime(per_hour["hour"])
    assert (hours.diff().dropna() == pd.Timedelta(hours=1)).all()
    end = metrics.latest_activity(db)
    expected = db.scalar("SELECT COUNT(*) FROM llm.job WHERE created_utc > DATEADD(DAY, -2, ?)", [end])
    assert per_hour["jobs"].sum() == expected


def test_run_durations_are_finished_runs_with_seconds(db):
    durations = metrics.run_durations(db, days=3650)
    assert len(durations) == db.scalar("SELECT COUNT(*) FROM llm.run WHERE completed_utc IS NOT NULL")
    assert (durations["seconds"] >= 0).all()


def test_percentiles_are_ordered_per_group(db):
    table = metrics.duration_percentiles(metrics.run_durations(db, days=3650), by="interrogation_key")
    assert (table["p50_s"] <= table["p90_s"]).all() and (table["p90_s"] <= table["p99_s"]).all()
    assert table["runs"].is_monotonic_decreasing
    empty = metrics.duration_percentiles(pd.DataFrame(columns=["model_name", "seconds"]))
    assert empty.empty and "p90_s" in empty.columns


@pytest.mark.parametrize("window", ["day", "week"])
def test_outcome_rates_add_up(db, window):
    rates = metrics.outcome_rates(db, window=window, days=3650)
    assert rates["runs"].sum() == db.scalar("SELECT COUNT(*) FROM llm.run")
    finished = rates["succeeded"] + rates["failed"]
    ok = finished > 0
    assert ((rates.loc[ok, "success_rate"] - rates.loc[ok, "succeeded"] / finished[ok]).abs() < 0.001).all()
    assert rates["window"].is_monotonic_increasing
