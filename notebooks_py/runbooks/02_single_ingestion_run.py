# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A single, controlled ingestion run
#
# | | |
# |---|---|
# | **Category** | Runbook |
# | **Prerequisites** | {doc}`01_verify_local_stack` passes; pending items in `ingest.work_items` |
# | **Last verified** | 2026-11-25 |
#
# Takes a few pending work items of one source, fetches them, and records the results the
# way the ingest runner does: an `ingest.ingest_runs` header, one `ingest.IngestRecords`
# row per fetch, the work items marked completed or failed, and `ingest.seen_resources`
# updated. Row counts are shown before and after, with the run's error log.
#
# **Safe by default.** With `CONFIRM = False` the run happens inside a transaction that is
# rolled back: you see exactly what would be written, and nothing is. The run id is
# derived from the parameters, so confirming the same run twice does the work once.
#
# Fetching uses the offline fetcher, which answers each GET with a small JSON description
# of the request: no network and the same bytes on every machine. Ingesting live sources
# is the ingest runner's job (`src/ingest/ingest_cli.py` in Holocron).

# %% tags=["parameters"]
SOURCE_SYSTEM: str = ""  # source system, e.g. mediawiki; empty picks the source with the most work items
SOURCE_NAME: str = ""  # source name, e.g. wookieepedia (used with SOURCE_SYSTEM)
RESOURCE_TYPE: str = ""  # only items of this resource type (page, category, ...); empty takes any
MAX_ITEMS: int = 5  # most work items to take [min: 1] [max: 50]
RUN_LABEL: str = "manual"  # names the run together with the other parameters; change it to run again
CONFIRM: bool = False  # True writes the run; False rolls it back (dry run) [writes]

# %%
from holocron_lib import connect, record, show
from holocron_lib.notebook import ingestion
from holocron_lib.notebook.diffs import diff

db = connect()

# %% [markdown]
# ## Before: what is waiting, and the row counts

# %%
show(ingestion.pending_by_source(db), title="Work items per source and status", max_rows=20)
before = ingestion.ingest_counts(db)

# %% [markdown]
# ## The plan
#
# The items the run takes: pending, highest priority first, then oldest.

# %%
plan = ingestion.choose_plan(db, SOURCE_SYSTEM, SOURCE_NAME, resource_type=RESOURCE_TYPE or None,
                             max_items=MAX_ITEMS, label=RUN_LABEL)
print(plan.summary())
show(plan.items.drop(columns=["dedupe_key"]), title="Work items this run takes", max_rows=MAX_ITEMS)

# %% [markdown]
# ## The run
#
# Its figures (items fetched, rows ingested, failures, committed) are recorded with
# `record()`: a recorded run keeps them, and `holocron runs compare` sets runs side by side.

# %%
outcome = ingestion.execute(db, plan, confirm=CONFIRM)
print("\n".join(outcome.notes) or "committed")
if outcome.records is not None:
    show(outcome.records, max_rows=MAX_ITEMS,
         title="Ingest records written" if CONFIRM else "Ingest records it would write")
show(outcome.run, title="The run header")
for name, value in outcome.figures().items():
    record(name, value)  # kept with a recorded run, for `holocron runs compare`

# %% [markdown]
# ## After: row counts and the error log
#
# `delta` is what the run changed. On a dry run every delta is zero.

# %%
after = ingestion.ingest_counts(db)
changes = diff(before, after)
show(changes[["table", "measure", "count_before", "count_after", "delta"]],
     title="Row counts before and after", max_rows=20)
errors = outcome.errors if not CONFIRM else ingestion.run_errors(db, plan.run_id)
show(errors, title="Error log of this run")

# %%
db.close()
