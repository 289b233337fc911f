"""Queue health: the procedure's three result sets, aged jobs, and escalation only on confirm."""

import pandas as pd
from seeded_db import fresh_db_fixture

from holocron_lib.notebook import queue_health as queue

db = fresh_db_fixture()


def test_health_has_the_procedures_three_result_sets(db):
    health = queue.health(db)
    assert len(health.summary) == 1
    assert int(health.summary.loc[0, "pending_jobs"]) == db.scalar(
        "SELECT COUNT(*) FROM llm.job WHERE status = 'NEW'")
    assert int(health.by_status["job_count"].sum()) == db.scalar("SELECT COUNT(*) FROM llm.job")
    assert len(health.oldest) <= 20


def test_per_status_rows_come_in_the_order_a_job_moves_through(db):
    statuses = list(queue.health(db).by_status["status"])
    known = [s for s in queue.STATUS_ORDER if s in statuses]
    assert statuses[:len(known)] == known
    shuffled = pd.DataFrame({"status": ["ZZZ", "FAILED", "ABC", "NEW"], "job_count": [1, 2, 3, 4]})
    ordered = queue.in_status_order(shuffled)
    assert list(ordered["status"]) == ["NEW", "FAILED", "ABC", "ZZZ"]
    assert list(ordered["job_count"]) == [4, 2, 3, 1]
    assert queue.in_status_order(shuffled.iloc[0:0]).empty


def test_aged_jobs_are_older_than_the_limit_and_waiting_or_running(db):
    aged = queue.aged_jobs(db, older_than_minutes=240, limit=500)
    assert len(aged) > 0, "the seeded database holds aged jobs"
    assert (aged["age_minutes"] > 240).all()
    assert set(aged["status"]) <= {"NEW", "RUNNING"}
    assert aged["age_minutes"].is_monotonic_decreasing
    assert set(aged["age_severity"]) <= {"critical", "warning"}
    assert len(queue.aged_jobs(db, older_than_minutes=240, limit=3)) == 3


def test_dry_run_escalation_changes_nothing(db):
    before = db.query("SELECT job_id, priority FROM llm.job ORDER BY job_id")
    result = queue.escalate(db, age_threshold_minutes=60)
    assert not result.confirmed and result.result is None
    assert len(result.candidates) > 0
    after = db.query("SELECT job_id, priority FROM llm.job ORDER BY job_id")
    pd.testing.assert_frame_equal(before, after)


def test_confirmed_escalation_raises_candidates_to_their_new_priority(db):
    result = queue.escalate(db, confirm=True, age_threshold_minutes=60, priority_boost=40,
                            max_priority=180, max_jobs_per_run=1000)
    assert int(result.result.loc[0, "jobs_escalated"]) == len(result.candidates)
    merged = result.candidates.merge(result.priorities_after, on="job_id")
    assert (merged["priority_y"] == merged["new_priority"]).all()
    assert (merged["new_priority"] <= 180).all()
    assert queue.escalation_candidates(db, 60, 40, 180, limit=1000).empty or \
        (queue.escalation_candidates(db, 60, 40, 180)["priority"] < 180).all()


def test_recommended_actions_name_dead_letters_and_aged_jobs(db):
    health = queue.health(db)
    actions = queue.recommended_actions(health.summary, queue.aged_jobs(db, 60))
    assert any("dead-lettered" in a for a in actions)
    assert any("NEW job(s) waiting" in a for a in actions)
    calm = queue.recommended_actions(pd.DataFrame([{"deadletter_total": 0, "failed_24h": 0}]),
                                     pd.DataFrame(columns=["status"]))
    assert calm == ["Nothing to do: no dead letters and no jobs past the age limit."]
