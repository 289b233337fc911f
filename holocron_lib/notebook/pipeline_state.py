"""Where the LLM pipeline stands: run status counts, recent errors as safe excerpts, a job timeline.

Error text in `llm.job.last_error` and `llm.run.error` can hold stack traces, connection
strings and tokens. `error_excerpt` keeps only the message line, masks anything that looks
like a secret and cuts it short, so a debug page can show errors without leaking.
"""

from __future__ import annotations

import re

from holocron_lib.notebook.display import CHART_WIDTH, colour_for, nothing_to_chart, style_axes

_TRACEBACK_LINE = re.compile(r'^\s*(Traceback \(most recent call last\)|File ".*", line \d+|\^+\s*$)')
_SECRETS = (
    # key=value pairs in connection strings and query strings
    (re.compile(r"(?i)\b(pwd|password|passwd|secret|token|api[_-]?key|access[_-]?key)\s*[=:]\s*[^;,&\s]+"),
     r"\1=***"),
    # credentials embedded in URLs: scheme://user:pass@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@"), r"\1***@"),
    (re.compile(r"(?i)\bbearer\s+[a-z0-9._~+/=-]+"), "Bearer ***"),
)


def error_excerpt(text, max_chars: int = 160) -> str:
    """The message of an error text, without traceback frames or secrets, at most ``max_chars``."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    # the exception message is the last line that is not a traceback frame or its source line
    message_lines = [ln for ln in lines if not _TRACEBACK_LINE.match(ln)]
    frames = any(_TRACEBACK_LINE.match(ln) for ln in lines)
    message = message_lines[-1] if frames and message_lines else " ".join(message_lines)
    for pattern, replacement in _SECRETS:
        message = pattern.sub(replacement, message)
    if len(message) > max_chars:
        message = message[: max_chars - 1] + "…"
    return message


def run_status_counts(db):
    """Runs per status, with how many have an error recorded and the mean duration."""
    return db.query(
        """
        SELECT status, COUNT(*) AS runs,
               SUM(CASE WHEN error IS NOT NULL THEN 1 ELSE 0 END) AS with_error,
               AVG(CAST(DATEDIFF(SECOND, started_utc, completed_utc) AS FLOAT)) AS mean_seconds
        FROM llm.run
        GROUP BY status
        ORDER BY COUNT(*) DESC, status
        """
    )


def retry_profile(db):
    """Jobs by attempts used, per status: how often the queue needs a second try."""
    return db.query(
        """
        SELECT attempt_count, status, COUNT(*) AS jobs
        FROM llm.job
        GROUP BY attempt_count, status
        ORDER BY attempt_count, status
        """
    )


def recent_errors(db, limit: int = 10, max_chars: int = 160, since=None):
    """The newest failed runs and errored jobs, each error reduced to a safe excerpt."""
    n = int(limit)
    where = "AND r.started_utc >= ?" if since is not None else ""
    params = [since] if since is not None else None
    runs = db.query(
        f"""
        SELECT TOP ({n}) 'run' AS source, r.run_id AS id, j.interrogation_key, r.status,
               r.started_utc AS at_utc, r.error AS error_text
        FROM llm.run AS r JOIN llm.job AS j ON j.job_id = r.job_id
        WHERE r.error IS NOT NULL {where}
        ORDER BY r.started_utc DESC, r.run_id
        """,
        params,
    )
    where = "AND created_utc >= ?" if since is not None else ""
    jobs = db.query(
        f"""
        SELECT TOP ({n}) 'job' AS source, job_id AS id, interrogation_key, status,
               created_utc AS at_utc, last_error AS error_text
        FROM llm.job
        WHERE last_error IS NOT NULL {where}
        ORDER BY created_utc DESC, job_id
        """,
        params,
    )
    import pandas as pd

    both = pd.concat([f for f in (runs, jobs) if not f.empty], ignore_index=True) \
        if not (runs.empty and jobs.empty) else runs
    both = both.sort_values(["at_utc", "id"], ascending=[False, True], ignore_index=True).head(n)
    both["error"] = [error_excerpt(t, max_chars) for t in both["error_text"]]
    both["id"] = both["id"].astype(str)
    return both.drop(columns=["error_text"])


def recent_jobs(db, limit: int = 200):
    """The newest jobs with their first run's start and last run's end, for a timeline."""
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) j.job_id, j.interrogation_key, j.status, j.created_utc,
               MIN(r.started_utc) AS first_started_utc, MAX(r.completed_utc) AS last_completed_utc,
               COUNT(r.run_id) AS runs
        FROM llm.job AS j LEFT JOIN llm.run AS r ON r.job_id = j.job_id
        GROUP BY j.job_id, j.interrogation_key, j.status, j.created_utc
        ORDER BY j.created_utc DESC, j.job_id
        """
    )


def timeline_chart(jobs, title: str = "Recent jobs"):
    """Each job as a line from creation to its last run's end, coloured by status; None
    (and a note) when no job is recorded."""
    import matplotlib.pyplot as plt
    import pandas as pd

    if jobs.empty:
        return nothing_to_chart("No LLM jobs recorded yet")
    fig, ax = plt.subplots(figsize=(CHART_WIDTH, 4))
    ordered = jobs.sort_values(["created_utc", "job_id"], ignore_index=True)
    start = pd.to_datetime(ordered["created_utc"])
    end = pd.to_datetime(ordered["last_completed_utc"]).fillna(pd.to_datetime(ordered["first_started_utc"]))
    end = end.fillna(start)
    for i, status in enumerate(sorted(ordered["status"].unique())):
        mask = ordered["status"] == status
        colour = colour_for(status, i)
        ax.hlines(ordered.index[mask], start[mask], end[mask], colors=colour, linewidth=2)
        ax.plot(start[mask], ordered.index[mask], "o", markersize=3, color=colour,
                label=f"{status} ({int(mask.sum())})")
    style_axes(ax, title, xlabel="UTC time", ylabel="job (oldest at the bottom)")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
