"""Emulations of the ``llm`` queue-monitoring procedures (migration 0029, live fixes).

Ages are minutes from ``created_utc`` counted as minute-boundary crossings (T-SQL
``DATEDIFF(MINUTE, ...)``), and averages are integer averages, as over INT on SQL Server.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from holocron_lib.db.procedures.base import Param, ResultSets, procedure, top_count, utc_now

SUMMARY_RESULT = (
    "pending_jobs",
    "running_jobs",
    "succeeded_24h",
    "failed_24h",
    "deadletter_total",
    "avg_pending_age_minutes",
    "max_pending_age_minutes",
    "stale_job_count",
)
QUEUE_HEALTH_RESULT = (
    "status",
    "job_count",
    "avg_age_minutes",
    "min_age_minutes",
    "max_age_minutes",
    "jobs_over_1h",
    "jobs_over_4h",
    "jobs_over_24h",
)
AGED_JOBS_RESULT = (
    "job_id",
    "interrogation_key",
    "status",
    "priority",
    "attempt_count",
    "max_attempts",
    "created_utc",
    "age_minutes",
    "age_severity",
    "last_error",
)


@procedure(
    "llm.usp_escalate_aged_jobs",
    params=(
        Param("age_threshold_minutes", "INT", default=60),
        Param("priority_boost", "INT", default=50),
        Param("max_priority", "INT", default=300),
        Param("max_jobs_per_run", "INT", default=100),
    ),
    returns=[("jobs_escalated", "age_threshold_minutes", "priority_boost", "max_priority")],
)
def escalate_aged_jobs(tx, age_threshold_minutes, priority_boost, max_priority, max_jobs_per_run):
    """Boost the priority of NEW jobs waiting longer than the threshold, capped at max_priority."""
    now = utc_now()
    limit = top_count("llm.usp_escalate_aged_jobs", max_jobs_per_run)
    picked = tx.query(
        f"SELECT TOP ({limit}) job_id FROM llm.job WHERE status = 'NEW' "
        "AND DATEDIFF(MINUTE, created_utc, ?) > ? AND priority < ?",
        [now, age_threshold_minutes, max_priority],
    )
    for job_id in picked["job_id"]:
        tx.execute(
            "UPDATE llm.job SET priority = CASE WHEN priority + ? > ? THEN ? "
            "ELSE priority + ? END WHERE job_id = ?",
            [priority_boost, max_priority, max_priority, priority_boost, str(job_id)],
        )
    summary = pd.DataFrame(
        [[len(picked), age_threshold_minutes, priority_boost, max_priority]],
        columns=["jobs_escalated", "age_threshold_minutes", "priority_boost", "max_priority"],
    )
    return ResultSets([summary])


@procedure(
    "llm.usp_get_queue_health_summary",
    params=(),
    returns=[SUMMARY_RESULT, QUEUE_HEALTH_RESULT, AGED_JOBS_RESULT],
    note="Three result sets: totals, llm.vw_queue_health, the 20 oldest llm.vw_queue_aged_jobs.",
)
def get_queue_health_summary(tx):
    """Queue totals, per-status health and the 20 oldest aged jobs, as three result sets."""
    now = utc_now()
    since = now - timedelta(hours=24)
    totals = tx.query(
        "SELECT "
        "SUM(CASE WHEN status = 'NEW' THEN 1 ELSE 0 END) AS pending_jobs, "
        "SUM(CASE WHEN status = 'RUNNING' THEN 1 ELSE 0 END) AS running_jobs, "
        "SUM(CASE WHEN status = 'SUCCEEDED' AND created_utc > ? "
        "THEN 1 ELSE 0 END) AS succeeded_24h, "
        "SUM(CASE WHEN status = 'FAILED' AND created_utc > ? "
        "THEN 1 ELSE 0 END) AS failed_24h, "
        "SUM(CASE WHEN status = 'DEADLETTER' THEN 1 ELSE 0 END) AS deadletter_total, "
        "SUM(CASE WHEN status = 'NEW' THEN DATEDIFF(MINUTE, created_utc, ?) END) AS age_sum, "
        "MAX(CASE WHEN status = 'NEW' THEN DATEDIFF(MINUTE, created_utc, ?) END) AS age_max, "
        "SUM(CASE WHEN status = 'NEW' AND DATEDIFF(MINUTE, created_utc, ?) > 60 "
        "THEN 1 ELSE 0 END) AS stale_job_count "
        "FROM llm.job",
        [since, since, now, now, now],
    ).iloc[0]

    def count(name):
        return 0 if pd.isna(totals[name]) else int(totals[name])

    pending = count("pending_jobs")
    # AVG over INT truncates toward zero in T-SQL, so the average stays an integer.
    avg_age = _int_avg(int(totals["age_sum"]), pending) if pending else None
    max_age = None if pd.isna(totals["age_max"]) else int(totals["age_max"])
    first = pd.DataFrame(
        [
            [
                pending,
                count("running_jobs"),
                count("succeeded_24h"),
                count("failed_24h"),
                count("deadletter_total"),
                avg_age,
                max_age,
                count("stale_job_count"),
            ]
        ],
        columns=list(SUMMARY_RESULT),
    )
    health = tx.query("SELECT * FROM llm.vw_queue_health")
    aged = tx.query("SELECT TOP 20 * FROM llm.vw_queue_aged_jobs ORDER BY age_minutes DESC")
    return ResultSets([first, health, aged])


def _int_avg(total: int, n: int) -> int:
    """Integer average truncated toward zero, as T-SQL's AVG over INT gives."""
    quotient = abs(total) // n
    return quotient if total >= 0 else -quotient
