"""Queue health for the LLM job queue: the health procedure, aged jobs, escalation on request only.

Reading is always safe. `escalate` changes priorities only when called with
``confirm=True``; otherwise it reports what the procedure would touch and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

HEALTH_PROC = "llm.usp_get_queue_health_summary"
ESCALATE_PROC = "llm.usp_escalate_aged_jobs"


@dataclass(frozen=True)
class QueueHealth:
    summary: object  # one row of totals
    by_status: object  # llm.vw_queue_health
    oldest: object  # the 20 oldest aged jobs


@dataclass(frozen=True)
class Escalation:
    confirmed: bool
    candidates: object  # jobs the procedure may raise, with their new priority
    result: object  # the procedure's result row (None on a dry run)
    priorities_after: object  # priority of each candidate after the call


# The order a job moves through; a status outside it comes after, by name.
STATUS_ORDER = ("NEW", "RUNNING", "SUCCEEDED", "FAILED", "DEADLETTER")


def in_status_order(frame):
    """The rows of a per-status result in STATUS_ORDER: the view has no ORDER BY, so the
    engine (DuckDB with several threads, SQL Server alike) returns them in any order."""
    if frame is None or "status" not in getattr(frame, "columns", ()):
        return frame
    rank = {status: i for i, status in enumerate(STATUS_ORDER)}
    keys = [(rank.get(status, len(rank)), str(status)) for status in frame["status"]]
    order = sorted(range(len(frame)), key=keys.__getitem__)
    return frame.iloc[order].reset_index(drop=True)


def health(db) -> QueueHealth:
    """The queue-health procedure's three result sets, the per-status rows in status order."""
    sets = db.call(HEALTH_PROC)
    summary, by_status, oldest = sets[:3]
    return QueueHealth(summary, in_status_order(by_status), oldest)


def aged_jobs(db, older_than_minutes: int = 60, limit: int = 50):
    """NEW and RUNNING jobs older than ``older_than_minutes``, oldest first, with a severity."""
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) job_id, interrogation_key, status, priority, attempt_count,
               max_attempts, created_utc, age_minutes, age_severity, locked_by
        FROM (
            SELECT job_id, interrogation_key, status, priority, attempt_count, max_attempts,
                   created_utc, locked_by,
                   DATEDIFF(MINUTE, created_utc, SYSUTCDATETIME()) AS age_minutes,
                   CASE WHEN DATEDIFF(MINUTE, created_utc, SYSUTCDATETIME()) > 1440 THEN 'critical'
                        WHEN DATEDIFF(MINUTE, created_utc, SYSUTCDATETIME()) > 240 THEN 'warning'
                        WHEN DATEDIFF(MINUTE, created_utc, SYSUTCDATETIME()) > 60 THEN 'elevated'
                        ELSE 'normal' END AS age_severity
            FROM llm.job
            WHERE status IN ('NEW', 'RUNNING')
        ) AS aged
        WHERE age_minutes > ?
        ORDER BY age_minutes DESC, job_id
        """,
        [int(older_than_minutes)],
    )


def escalation_candidates(db, age_threshold_minutes: int = 60, priority_boost: int = 50,
                          max_priority: int = 300, limit: int = 100):
    """NEW jobs the escalation procedure would raise, with their priority now and after."""
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) job_id, interrogation_key, priority,
               CASE WHEN priority + ? > ? THEN ? ELSE priority + ? END AS new_priority,
               DATEDIFF(MINUTE, created_utc, SYSUTCDATETIME()) AS age_minutes
        FROM llm.job
        WHERE status = 'NEW' AND priority < ?
          AND DATEDIFF(MINUTE, created_utc, SYSUTCDATETIME()) > ?
        ORDER BY created_utc, job_id
        """,
        [int(priority_boost), int(max_priority), int(max_priority), int(priority_boost),
         int(max_priority), int(age_threshold_minutes)],
    )


def escalate(db, *, confirm: bool = False, age_threshold_minutes: int = 60, priority_boost: int = 50,
             max_priority: int = 300, max_jobs_per_run: int = 100) -> Escalation:
    """Run the escalation procedure when ``confirm`` is true; otherwise only list candidates."""
    params = dict(age_threshold_minutes=int(age_threshold_minutes), priority_boost=int(priority_boost),
                  max_priority=int(max_priority), max_jobs_per_run=int(max_jobs_per_run))
    candidates = escalation_candidates(db, params["age_threshold_minutes"], params["priority_boost"],
                                       params["max_priority"], limit=max(params["max_jobs_per_run"], 1))
    if not confirm:
        return Escalation(False, candidates, None, None)
    result = db.call(ESCALATE_PROC, **params)[0]
    ids = [str(j) for j in candidates["job_id"]]
    after = job_priorities(db, ids)
    return Escalation(True, candidates, result, after)


def job_priorities(db, job_ids: list[str]):
    """Current priority of each listed job (bounded by the list)."""
    import pandas as pd

    if not job_ids:
        return pd.DataFrame(columns=["job_id", "priority"])
    marks = ", ".join("?" for _ in job_ids)
    return db.query(f"SELECT job_id, priority FROM llm.job WHERE job_id IN ({marks}) ORDER BY job_id",
                    job_ids)


def recommended_actions(summary, aged) -> list[str]:
    """Plain-language next steps from the health totals and the aged-job list."""
    row = summary.iloc[0] if len(summary) else {}

    def value(name):
        v = row.get(name) if hasattr(row, "get") else None
        return 0 if v is None or v != v else int(v)

    actions = []
    if value("deadletter_total"):
        actions.append(f"{value('deadletter_total')} dead-lettered job(s): read their last_error in "
                       "the pipeline-state notebook; fix the cause, then re-enqueue.")
    stuck = aged[aged["status"] == "RUNNING"] if len(aged) else aged
    if len(stuck):
        actions.append(f"{len(stuck)} RUNNING job(s) past the age limit: check that the worker "
                       "holding the lock (locked_by) is alive.")
    waiting = aged[aged["status"] == "NEW"] if len(aged) else aged
    if len(waiting):
        actions.append(f"{len(waiting)} NEW job(s) waiting past the age limit: start more workers "
                       "or escalate their priority (CONFIRM_ESCALATION).")
    if value("failed_24h"):
        actions.append(f"{value('failed_24h')} job(s) failed in the last 24 h: see recent errors.")
    return actions or ["Nothing to do: no dead letters and no jobs past the age limit."]
