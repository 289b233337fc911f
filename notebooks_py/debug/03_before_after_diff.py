# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Before/after comparison
#
# | | |
# |---|---|
# | **Category** | Debug |
# | **Prerequisites** | {doc}`01_pipeline_state` |
# | **Last verified** | 2026-11-25 |
#
# What changed between two moments: for each time-stamped pipeline table (LLM jobs, runs,
# artifacts, evidence; ingest work items, records and runs), the rows that existed at each
# moment and their status mix, side by side, with the difference. Use it to check that an
# ingestion or LLM batch did what it should.
#
# The moments are two run ids (the first run's start, the second run's end), or two UTC
# timestamps, or — with everything empty — the last day of activity. Only aggregate counts
# are compared, never rows, so it stays cheap on large tables.

# %% tags=["parameters"]
RUN_ID_BEFORE: str = ""  # llm.run id whose start is the 'before' moment [pattern: ([0-9A-Fa-f-]{36})?]
RUN_ID_AFTER: str = ""  # llm.run id whose end is the 'after' moment [pattern: ([0-9A-Fa-f-]{36})?]
BEFORE_UTC: str = ""  # or a UTC timestamp, e.g. 2026-11-20 00:00
AFTER_UTC: str = ""  # or a UTC timestamp; empty means the latest activity
DEFAULT_HOURS: int = 24  # with no 'before' given: this many hours before the 'after' moment [min: 1] [max: 8760]
GROWTH_WARN_PCT: float = 50.0  # flag a count that grew by more than this percentage [min: 1] [max: 10000]

# %%
from holocron_lib import connect, show
from holocron_lib.notebook import diffs
from holocron_lib.notebook.display import chart

db = connect()
before, after, how = diffs.choose_moments(db, RUN_ID_BEFORE, RUN_ID_AFTER, BEFORE_UTC, AFTER_UTC, DEFAULT_HOURS)
print(f"before: {before:%Y-%m-%d %H:%M:%S}  after: {after:%Y-%m-%d %H:%M:%S}\n({how})")

# %% [markdown]
# ## Snapshots and their difference
#
# Highlighted rows are anomalies: a table that lost rows (red), a table that appeared, or
# a count that grew faster than `GROWTH_WARN_PCT` (yellow).

# %%
changes = diffs.diff(diffs.snapshot(db, before), diffs.snapshot(db, after), growth_warn_pct=GROWTH_WARN_PCT)
show(changes, title="Counts before and after", max_rows=60,
     highlight=diffs.lost_rows, warn="anomaly")

# %% [markdown]
# ## Rows added per table

# %%
chart(diffs.rows_changed(changes), x="table", y="delta", kind="barh", xlabel="rows",
      title="Rows added between the two moments",
      empty="No table gained or lost rows between the two moments")

# %%
db.close()
