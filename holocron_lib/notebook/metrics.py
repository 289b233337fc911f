"""Pipeline throughput and latency: jobs per hour, run durations, success rates per window.

Windows are measured back from the newest timestamp in the data, not from the clock, so
a seeded database and a live one give comparable pictures. Durations come from T-SQL
DATEDIFF; percentiles are computed in pandas on a bounded set of runs.
"""

from __future__ import annotations


def latest_activity(db):
    """The newest job or run timestamp: the end of every window below."""
    return db.scalar(
        "SELECT MAX(t) FROM (SELECT MAX(created_utc) AS t FROM llm.job "
        "UNION ALL SELECT MAX(started_utc) FROM llm.run) AS x"
    )


def jobs_per_hour(db, days: int = 14):
    """Jobs created per clock hour over the last ``days`` days (hours with none included)."""
    import pandas as pd

    end = latest_activity(db)
    if end is None:
        return pd.DataFrame(columns=["hour", "jobs"])
    frame = db.query(
        """
        SELECT CAST(created_utc AS DATE) AS day, DATEPART(HOUR, created_utc) AS hour_of_day,
               COUNT(*) AS jobs
        FROM llm.job
        WHERE created_utc > DATEADD(DAY, -?, ?)
        GROUP BY CAST(created_utc AS DATE), DATEPART(HOUR, created_utc)
        """,
        [int(days), end],
    )
    end = pd.Timestamp(end)
    hours = pd.date_range((end - pd.Timedelta(days=int(days))).floor("h"), end.floor("h"), freq="h")
    if frame.empty:
        return pd.DataFrame({"hour": hours, "jobs": 0})
    frame["hour"] = pd.to_datetime(frame["day"]) + pd.to_timedelta(frame["hour_of_day"].astype(int), unit="h")
    series = frame.groupby("hour")["jobs"].sum().reindex(hours, fill_value=0)
    return series.rename_axis("hour").reset_index(name="jobs")


def run_durations(db, days: int = 30, limit: int = 20000):
    """Finished runs of the last ``days`` days with their duration in seconds."""
    end = latest_activity(db)
    if end is None:
        import pandas as pd

        return pd.DataFrame(columns=["run_id", "interrogation_key", "model_name", "status",
                                     "started_utc", "seconds"])
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) r.run_id, j.interrogation_key, r.model_name, r.status,
               r.started_utc, DATEDIFF(MILLISECOND, r.started_utc, r.completed_utc) / 1000.0 AS seconds
        FROM llm.run AS r JOIN llm.job AS j ON j.job_id = r.job_id
        WHERE r.completed_utc IS NOT NULL AND r.started_utc > DATEADD(DAY, -?, ?)
        ORDER BY r.started_utc DESC, r.run_id
        """,
        [int(days), end],
    )


def duration_percentiles(durations, by: str = "model_name"):
    """p50/p90/p99 and mean run seconds per group (model or job type)."""
    import pandas as pd

    if durations.empty:
        return pd.DataFrame(columns=[by, "runs", "p50_s", "p90_s", "p99_s", "mean_s"])
    grouped = durations.groupby(by)["seconds"]
    out = pd.DataFrame({
        "runs": grouped.size(),
        "p50_s": grouped.quantile(0.5),
        "p90_s": grouped.quantile(0.9),
        "p99_s": grouped.quantile(0.99),
        "mean_s": grouped.mean(),
    }).round(2)
    return out.reset_index().sort_values(["runs", by], ascending=[False, True], ignore_index=True)


def outcome_rates(db, window: str = "day", days: int = 30):
    """Runs per window (day or week) with succeeded / failed counts and the success rate."""
    import pandas as pd

    end = latest_activity(db)
    if end is None:
        return pd.DataFrame(columns=["window", "runs", "succeeded", "failed", "success_rate"])
    frame = db.query(
        """
        SELECT CAST(started_utc AS DATE) AS day, status, COUNT(*) AS runs
        FROM llm.run WHERE started_utc > DATEADD(DAY, -?, ?)
        GROUP BY CAST(started_utc AS DATE), status
        """,
        [int(days), end],
    )
    if frame.empty:
        return pd.DataFrame(columns=["window", "runs", "succeeded", "failed", "success_rate"])
    frame["day"] = pd.to_datetime(frame["day"])
    key = frame["day"].dt.to_period("W").dt.start_time if window == "week" else frame["day"]
    table = frame.assign(window=key).pivot_table(index="window", columns="status", values="runs",
                                                 aggfunc="sum", fill_value=0)
    for col in ("SUCCEEDED", "FAILED", "RUNNING"):
        if col not in table.columns:
            table[col] = 0
    out = pd.DataFrame({
        "runs": table.sum(axis=1),
        "succeeded": table["SUCCEEDED"],
        "failed": table["FAILED"],
    })
    finished = out["succeeded"] + out["failed"]
    out["success_rate"] = (out["succeeded"] / finished.where(finished > 0)).round(3)
    out = out.reset_index().sort_values("window", ignore_index=True)
    out["window"] = out["window"].dt.date
    return out


# --- what the notebook says ----------------------------------------------------------------


def jobs_summary(per_hour) -> str:
    """One line about ``jobs_per_hour``: total and busiest hour, or why there are none."""
    if per_hour.empty:
        return "No LLM jobs recorded yet: llm.job is empty."
    total = int(per_hour["jobs"].sum())
    if not total:
        return f"No LLM jobs created in these {len(per_hour):,} hours."
    return (f"{total:,} jobs in {len(per_hour):,} hours; busiest hour "
            f"{int(per_hour['jobs'].max())} jobs")
