"""Before/after comparisons of pipeline state: aggregate counts at two moments, and their diff.

A snapshot counts, for each time-stamped table, the rows that existed at a moment and
their status mix, so two snapshots bracket a run without copying any rows.
"""

from __future__ import annotations

from holocron_lib.errors import HolocronError, UnknownObjectError

LOST = "rows disappeared"  # the anomaly of a table that has fewer rows after than before

# table -> (timestamp column, status column or None)
TIMESTAMPED = {
    "llm.job": ("created_utc", "status"),
    "llm.run": ("started_utc", "status"),
    "llm.artifact": ("created_utc", None),
    "llm.evidence_bundle": ("created_utc", None),
    "llm.evidence_item": ("created_utc", None),
    "ingest.work_items": ("created_at", "status"),
    "ingest.IngestRecords": ("fetched_at_utc", None),
    "ingest.ingest_runs": ("started_at", "status"),
}


def snapshot(db, as_of):
    """Counts per table (and per status where there is one) of rows created by ``as_of``."""
    import pandas as pd

    rows = []
    for table, (ts_col, status_col) in TIMESTAMPED.items():
        if status_col:
            frame = db.query(
                f"SELECT {status_col} AS status, COUNT(*) AS n FROM {table} "
                f"WHERE {ts_col} <= ? GROUP BY {status_col}",
                [as_of],
            )
            for r in frame.itertuples():
                rows.append({"table": table, "measure": f"status={str(r.status).upper()}", "count": int(r.n)})
            rows.append({"table": table, "measure": "rows", "count": int(frame["n"].sum())})
        else:
            n = db.scalar(f"SELECT COUNT(*) FROM {table} WHERE {ts_col} <= ?", [as_of])
            rows.append({"table": table, "measure": "rows", "count": int(n or 0)})
    return pd.DataFrame(rows, columns=["table", "measure", "count"])


def latest_change(db):
    """The newest timestamp in any time-stamped pipeline table, or None when all are empty."""
    probes = " UNION ALL ".join(f"SELECT MAX({ts}) AS t FROM {table}"
                                for table, (ts, _status) in TIMESTAMPED.items())
    return db.scalar(f"SELECT MAX(t) FROM ({probes}) AS x")


def run_window(db, run_id: str):
    """The start and end of one LLM run: the natural moments to compare."""
    frame = db.query("SELECT started_utc, completed_utc FROM llm.run WHERE run_id = ?", [run_id])
    if frame.empty:
        raise UnknownObjectError("llm.run", run_id)
    start, end = frame.loc[0, "started_utc"], frame.loc[0, "completed_utc"]
    return start, end if end is not None and str(end) != "NaT" else start


def diff(before, after, growth_warn_pct: float = 50.0):
    """Side by side counts with delta and percent change; flags shrinking tables and surges."""
    merged = before.merge(after, on=["table", "measure"], how="outer",
                          suffixes=("_before", "_after")).fillna(0)
    merged["count_before"] = merged["count_before"].astype(int)
    merged["count_after"] = merged["count_after"].astype(int)
    merged["delta"] = merged["count_after"] - merged["count_before"]
    base = merged["count_before"].where(merged["count_before"] > 0)
    merged["pct_change"] = (100.0 * merged["delta"] / base).round(1)

    def flag(row) -> str:
        if row["measure"] == "rows" and row["delta"] < 0:
            return LOST
        if row["count_before"] == 0 and row["count_after"] > 0 and row["measure"] == "rows":
            return "new"
        if row["pct_change"] == row["pct_change"] and row["pct_change"] > growth_warn_pct:
            return f"grew more than {growth_warn_pct:g}%"
        return ""

    merged["anomaly"] = merged.apply(flag, axis=1)
    return merged.sort_values(["table", "measure"], ignore_index=True)


def choose_moments(db, run_before: str = "", run_after: str = "", before_utc: str = "",
                   after_utc: str = "", default_hours: int = 24):
    """The two moments to compare, from run ids, timestamps, or the last ``default_hours`` of activity.

    A run id given as ``run_before`` stands for that run's start; ``run_after`` for its end.
    Returns ``(before, after, how)`` where ``how`` says where each came from.
    """
    import pandas as pd

    if run_before:
        before, how_before = run_window(db, run_before)[0], f"start of run {run_before}"
    elif before_utc:
        before, how_before = pd.Timestamp(before_utc), "given timestamp"
    else:
        before, how_before = None, f"{default_hours} h before the latest activity"
    if run_after:
        after, how_after = run_window(db, run_after)[1], f"end of run {run_after}"
    elif after_utc:
        after, how_after = pd.Timestamp(after_utc), "given timestamp"
    else:
        after, how_after = latest_change(db), "latest activity"
        if after is None or pd.isna(after):
            # Nothing recorded yet: compare the hours up to now, which shows the empty tables.
            after = pd.Timestamp.now(tz="UTC").tz_localize(None).floor("s")
            how_after = "now (no pipeline activity is recorded yet)"
    if before is None:
        before = pd.Timestamp(after) - pd.Timedelta(hours=int(default_hours))
    before, after = pd.Timestamp(before).to_pydatetime(), pd.Timestamp(after).to_pydatetime()
    if before > after:
        raise HolocronError(f"the 'before' moment {before} is later than the 'after' moment {after}")
    return before, after, f"before = {how_before}; after = {how_after}"


def rows_changed(changes):
    """The tables whose row count changed between the moments (none when nothing did)."""
    return changes[(changes["measure"] == "rows") & (changes["delta"] != 0)]


def lost_rows(row) -> bool:
    """Whether a row of `diff` is a table that lost rows: the anomaly `display.show` marks red."""
    return row["anomaly"] == LOST
