# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Data-quality checks
#
# | | |
# |---|---|
# | **Category** | Analytics |
# | **Prerequisites** | {doc}`../exploration/02_data_profiling` shows the raw numbers these checks judge |
# | **Last verified** | 2026-11-25 |
#
# Reusable checks of the database against the project's DDL (`holocron_lib/sql/tables`),
# each with a pass or a fail and, for a fail, what is wrong:
#
# | family | a check per | fails when |
# |---|---|---|
# | orphans | declared foreign key | a child row's key has no parent row |
# | constraints | CHECK constraint, and each table's NOT NULL columns | a stored row breaks it |
# | keys | primary key and unique key (GUID columns included) | a value appears twice |
# | filtered unique | unique index with a filter (`... WHERE IsLatest = 1`) | two rows the filter selects share a key |
# | schema drift | table in the DDL | the live table is missing, or has missing, extra or retyped columns |
#
# On SQL Server the constraints are enforced, so the first four families catch data
# loaded around them (disabled constraints, bulk loads); on the embedded database foreign
# keys and filtered unique indexes are only checked here — and the real Holocron seed
# files break three of those indexes, which `holocron db build` also reports. Schema drift compares names, nullability and — on the
# embedded database — types. These checks read every row of the chosen schemas: run them
# deliberately, not on every notebook open.

# %% tags=["parameters"]
SCHEMAS: str = "dbo,llm,ingest,sem,vector"  # comma-separated schemas to check [pattern: [A-Za-z_]+(,\s*[A-Za-z_]+)*]
FAMILIES: str = "orphans,constraints,keys,filtered unique,schema drift"  # comma-separated check families: orphans, constraints, keys, filtered unique, schema drift [pattern: [a-z ]+(,\s*[a-z ]+)*]
SHOW_PASSING: int = 15  # passing checks to list after the failures [min: 0] [max: 500]

# %%
from holocron_lib import connect, record, show
from holocron_lib.notebook import quality
from holocron_lib.notebook.display import chart

db = connect()
schemas = [s.strip() for s in SCHEMAS.split(",") if s.strip()]
families = [f.strip() for f in FAMILIES.split(",") if f.strip()]
results = quality.run_checks(db, schemas=schemas, families=families)

# %% [markdown]
# ## Summary

# %%
summary = quality.summary(results)
show(summary, title="Checks per family", highlight="failed")
chart(summary, x="family", y=["passed", "failed"], kind="barh", stacked=True,
      title="Checks passed and failed", xlabel="checks")

# %% [markdown]
# ## Failures
#
# Each failing check with what it found. An empty table means every check passed. How many
# ran and failed is recorded (`record()`), so runs of this notebook can be compared.

# %%
failures = results[results["status"] == quality.FAIL]
print(f"{len(failures)} of {len(results)} checks failed")
record("checks_run", len(results))
record("checks_failed", len(failures))
show(failures, title="Failing checks", max_rows=100, max_cell_chars=160,
     highlight=lambda row: row["status"] == quality.FAIL)

# %% [markdown]
# ## Duplicated business keys
#
# The keys behind each failing filtered unique index, with how many latest rows hold each:
# SQL Server would have refused the second row of each.

# %%
duplicates = quality.unique_index_duplicates(db, schemas=schemas)
print(quality.duplicates_summary(duplicates))
show(duplicates, title="Keys held by more than one latest row", max_rows=50, highlight=lambda row: True)

# %% [markdown]
# ## A sample of passing checks

# %%
show(results[results["status"] == quality.PASS].head(SHOW_PASSING), title="Passing checks", max_rows=SHOW_PASSING)

# %%
db.close()
