"""The notebook helpers on databases the pipeline has not filled: they answer, never raise.

`dbo-only` is what a freshly seeded real database holds (llm, ingest, sem and vector empty);
`one-job-no-runs` and `runs-no-artifacts` stop the LLM chain one step further each.
"""

from __future__ import annotations

from datetime import datetime

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from seeded_db import fresh, state_path

from holocron_lib.db.connection import connect
from holocron_lib.notebook import diffs, display, ingestion, lineage, metrics, pipeline_state


def _db(tmp_path_factory, state):
    return connect(path=state_path(tmp_path_factory, state))


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    with _db(tmp_path_factory, "dbo-only") as db:
        yield db


@pytest.fixture(scope="module")
def one_job(tmp_path_factory):
    with _db(tmp_path_factory, "one-job-no-runs") as db:
        yield db


@pytest.fixture(scope="module")
def no_artifacts(tmp_path_factory):
    with _db(tmp_path_factory, "runs-no-artifacts") as db:
        yield db


def test_the_dbo_only_state_has_dimensional_rows_and_an_empty_pipeline(empty):
    assert empty.scalar("SELECT COUNT(*) FROM dbo.FactEvent") > 0
    for table in ("llm.job", "llm.run", "ingest.work_items", "sem.SourcePage", "vector.chunk"):
        assert empty.scalar(f"SELECT COUNT(*) FROM {table}") == 0, table


# --- charts ---------------------------------------------------------------------------------


def test_a_chart_of_no_rows_says_why_and_draws_nothing(capsys):
    plt.close("all")
    display.chart(pd.DataFrame(columns=["status", "jobs"]), x="status", y="jobs",
                  title="Jobs per status", empty="No LLM jobs recorded yet")
    assert capsys.readouterr().out == "No LLM jobs recorded yet, so there is nothing to chart.\n"
    assert plt.get_fignums() == []


def test_a_chart_of_no_rows_without_a_message_names_its_title(capsys):
    display.chart(pd.DataFrame(columns=["a", "b"]), x="a", y="b", title="Rows per table")
    assert "Rows per table" in capsys.readouterr().out


def test_show_figure_of_none_displays_nothing(capsys):
    display.show_figure(None)
    assert capsys.readouterr().out == ""


def test_the_timeline_of_no_jobs_is_a_note_not_an_empty_figure(empty, capsys):
    jobs = pipeline_state.recent_jobs(empty, limit=20)
    assert jobs.empty
    assert pipeline_state.timeline_chart(jobs) is None
    assert "No LLM jobs recorded yet" in capsys.readouterr().out


# --- throughput and latency -----------------------------------------------------------------


def test_metrics_on_an_empty_pipeline(empty):
    assert metrics.latest_activity(empty) is None
    per_hour = metrics.jobs_per_hour(empty, days=7)
    assert per_hour.empty and list(per_hour.columns) == ["hour", "jobs"]
    assert metrics.jobs_summary(per_hour) == "No LLM jobs recorded yet: llm.job is empty."
    durations = metrics.run_durations(empty)
    assert durations.empty
    assert metrics.duration_percentiles(durations).empty
    assert metrics.outcome_rates(empty, window="week").empty


def test_metrics_with_one_job_and_no_runs(one_job):
    per_hour = metrics.jobs_per_hour(one_job, days=7)
    assert int(per_hour["jobs"].sum()) == 1
    assert metrics.jobs_summary(per_hour).startswith("1 jobs in ")
    assert metrics.run_durations(one_job).empty
    assert metrics.outcome_rates(one_job).empty


# --- before/after ---------------------------------------------------------------------------


def test_moments_on_an_empty_pipeline_end_now_and_say_so(empty):
    started = datetime.utcnow().replace(microsecond=0)  # noqa: DTZ003 - naive UTC, as the data
    before, after, how = diffs.choose_moments(empty, default_hours=6)
    assert after >= started and (after - before).total_seconds() == 6 * 3600
    assert "no pipeline activity is recorded yet" in how
    changes = diffs.diff(diffs.snapshot(empty, before), diffs.snapshot(empty, after))
    assert (changes["count_after"] == 0).all()
    assert diffs.rows_changed(changes).empty


def test_rows_changed_keeps_only_tables_whose_count_moved():
    before = pd.DataFrame({"table": ["a", "b"], "measure": ["rows", "rows"], "count": [1, 2]})
    after = pd.DataFrame({"table": ["a", "b"], "measure": ["rows", "rows"], "count": [1, 5]})
    assert list(diffs.rows_changed(diffs.diff(before, after))["table"]) == ["b"]


# --- provenance and artifacts ---------------------------------------------------------------


def test_no_job_gives_an_empty_chain_and_a_sentence(empty):
    assert lineage.pick_example_job(empty) is None
    chain = lineage.job_lineage(empty, None)
    for part in (chain.job, chain.runs, chain.artifacts, chain.bundles, chain.items):
        assert part.empty and len(part.columns) > 0
    assert "content_sha256" in chain.artifacts.columns  # the notebook drops it
    assert lineage.chain_summary(chain).startswith("No LLM jobs recorded yet")


def test_a_job_that_never_ran_is_still_followed(one_job):
    job_id = lineage.pick_example_job(one_job)
    assert job_id == str(one_job.scalar("SELECT job_id FROM llm.job"))
    chain = lineage.job_lineage(one_job, job_id)
    assert len(chain.job) == 1 and chain.runs.empty and chain.artifacts.empty
    assert "has not been run yet" in lineage.chain_summary(chain)


def test_without_artifacts_the_busiest_job_with_runs_is_followed(no_artifacts):
    job_id = lineage.pick_example_job(no_artifacts)
    most_runs = no_artifacts.scalar(
        "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM llm.run GROUP BY job_id) AS x")
    chain = lineage.job_lineage(no_artifacts, job_id)
    assert len(chain.runs) == most_runs and chain.artifacts.empty
    assert "recorded no artifacts" in lineage.chain_summary(chain)


def test_a_run_without_artifacts_is_described(no_artifacts):
    runs = lineage.runs_on(no_artifacts)
    run_id = lineage.first_run(runs)
    assert run_id is not None and (runs["artifacts"] == 0).all()
    artifacts = lineage.run_artifacts(no_artifacts, run_id)
    assert artifacts.empty
    assert lineage.run_summary(run_id, artifacts) == (
        f"Run {run_id} recorded no artifacts, so there are no files to read.")


def test_no_run_to_inspect(empty):
    per_day = lineage.runs_by_date(empty)
    assert per_day.empty and "run_date" in per_day.columns
    runs = lineage.runs_on(empty)
    assert runs.empty and lineage.first_run(runs) is None
    artifacts = lineage.run_artifacts(empty, None)
    assert artifacts.empty and "lake_uri" in artifacts.columns
    assert lineage.run_summary(None, artifacts).startswith("No LLM runs recorded yet")


def test_a_run_with_artifacts_is_summarised_with_its_lake_share(tmp_path_factory):
    with fresh(tmp_path_factory) as db:
        run_id = lineage.first_run(lineage.runs_on(db))
        artifacts = lineage.run_artifacts(db, run_id)
        in_lake = int(artifacts["lake_uri"].notna().sum())
        assert lineage.run_summary(run_id, artifacts) == (
            f"Run {run_id}: {len(artifacts)} artifact(s), {in_lake} of them with a lake file.")


# --- the ingestion runbook ------------------------------------------------------------------


def test_no_work_items_make_a_plan_with_nothing_to_do(empty):
    plan = ingestion.choose_plan(empty, max_items=3)
    assert plan.run_id is None and not plan.has_work and plan.items.empty
    assert "dedupe_key" in plan.items.columns
    assert plan.summary() == ("No work items to ingest: ingest.work_items is empty, so this "
                              "run has nothing to do.")
    before = ingestion.ingest_counts(empty)
    outcome = ingestion.execute(empty, plan, confirm=True)
    assert outcome.skipped and not outcome.committed
    assert outcome.records.empty and outcome.errors.empty and outcome.run.empty
    assert "nothing to do" in outcome.notes[0]
    assert ingestion.ingest_counts(empty).equals(before)
    assert ingestion.run_errors(empty, None).empty


def test_a_source_without_pending_items_writes_no_run(tmp_path_factory):
    with fresh(tmp_path_factory) as db:
        db.execute("UPDATE ingest.work_items SET status = 'completed' WHERE status = 'pending'")
        plan = ingestion.choose_plan(db, max_items=3, label="nothing-pending")
        assert plan.run_id is not None and plan.items.empty and not plan.has_work
        assert "No pending work items for" in plan.summary()
        runs = db.scalar("SELECT COUNT(*) FROM ingest.ingest_runs")
        outcome = ingestion.execute(db, plan, confirm=True)
        assert outcome.skipped and outcome.run.empty
        assert db.scalar("SELECT COUNT(*) FROM ingest.ingest_runs") == runs


def test_choose_plan_takes_the_given_source(tmp_path_factory):
    with fresh(tmp_path_factory) as db:
        system, name = ingestion.default_source(db)
        plan = ingestion.choose_plan(db, system, name, max_items=2, label="given")
        assert (plan.source_system, plan.source_name) == (system, name)
        assert plan.has_work and len(plan.items) == 2
        assert plan.summary().startswith(f"source: {system}/{name}  run id: {plan.run_id}")
