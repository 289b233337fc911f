"""Pipeline state: error excerpts without secrets, status counts, recent errors, the timeline."""

import pytest
from seeded_db import fresh_db_fixture

from holocron_lib.notebook import pipeline_state as pipeline

db = fresh_db_fixture("module")


TRACE = """Traceback (most recent call last):
  File "/srv/runner/phase1.py", line 88, in run
    conn = pyodbc.connect("Server=sql;UID=sa;PWD=Sup3rSecret!;")
pyodbc.OperationalError: login failed; Server=sql;UID=sa;PWD=Sup3rSecret!;"""


def test_error_excerpt_keeps_the_message_and_drops_frames_and_secrets():
    text = pipeline.error_excerpt(TRACE, max_chars=300)
    assert text.startswith("pyodbc.OperationalError: login failed")
    assert "Sup3rSecret" not in text and "PWD=***" in text
    assert "phase1.py" not in text


@pytest.mark.parametrize("raw, secret", [
    ("fetch failed: https://bob:hunter2@example.org/x", "hunter2"),
    ("401 from api: Authorization: Bearer abc.def-123", "abc.def-123"),
    ("bad config api_key=sk-123456 in settings", "sk-123456"),
])
def test_error_excerpt_masks_credentials(raw, secret):
    assert secret not in pipeline.error_excerpt(raw)


def test_error_excerpt_bounds_length_and_handles_missing():
    assert len(pipeline.error_excerpt("x" * 500, max_chars=50)) == 50
    assert pipeline.error_excerpt(None) == ""
    assert pipeline.error_excerpt(float("nan")) == ""


def test_run_status_counts_add_up(db):
    counts = pipeline.run_status_counts(db)
    assert int(counts["runs"].sum()) == db.scalar("SELECT COUNT(*) FROM llm.run")
    assert set(counts["status"]) <= {"RUNNING", "SUCCEEDED", "FAILED"}
    assert "FAILED" in set(counts["status"])


def test_retry_profile_counts_every_job(db):
    profile = pipeline.retry_profile(db)
    assert int(profile["jobs"].sum()) == db.scalar("SELECT COUNT(*) FROM llm.job")


def test_recent_errors_are_bounded_newest_first_and_excerpted(db):
    errors = pipeline.recent_errors(db, limit=7, max_chars=60)
    assert 0 < len(errors) <= 7
    assert list(errors["at_utc"]) == sorted(errors["at_utc"], reverse=True)
    assert errors["error"].str.len().max() <= 60
    assert not errors["error"].str.contains("Traceback").any()


def test_recent_jobs_and_timeline(db):
    jobs = pipeline.recent_jobs(db, limit=40)
    assert len(jobs) == 40
    assert jobs["created_utc"].is_monotonic_decreasing
    fig = pipeline.timeline_chart(jobs)
    assert len(fig.axes[0].get_legend().get_texts()) == jobs["status"].nunique()
