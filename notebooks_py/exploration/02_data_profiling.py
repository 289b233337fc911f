# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Data profiling
#
# | | |
# |---|---|
# | **Category** | Exploration |
# | **Prerequisites** | {doc}`01_sql_scratchpad`; the embedded database or SQL Server |
# | **Last verified** | 2026-11-25 |
#
# What is in the tables of the schemas you choose: rows per table, null rates per
# column, duplicate keys and orphaned foreign keys, with anomalies highlighted.
#
# Profile a few schemas at a time rather than everything at once. Null rates are
# computed with `COUNT(column)`, one query per table, so even wide text columns cost only
# a scan; no lengths or distinct values are computed on text, and duplicates are looked
# for in key columns only.

# %% tags=["parameters"]
SCHEMAS: str = "llm,ingest"  # comma-separated schemas to profile, e.g. dbo,llm,ingest,sem,vector [pattern: [A-Za-z_]+(,\s*[A-Za-z_]+)*]
MAX_TABLES: int = 30  # most tables to profile column by column [min: 1] [max: 200]
SHOW_ROWS: int = 25  # rows to show in each table below [min: 5] [max: 500]

# %%
from holocron_lib import connect, show
from holocron_lib.notebook import profiling, quality
from holocron_lib.notebook.display import chart
from holocron_lib.schema.ddl import load_schema_model

db = connect()
schemas = [s.strip() for s in SCHEMAS.split(",") if s.strip()]

# %% [markdown]
# ## Rows per table

# %%
counts = profiling.row_counts(db, schemas)
counts["name"] = counts["schema"] + "." + counts["table"]
tables = list(counts["name"])[:MAX_TABLES]
chart(counts.head(SHOW_ROWS), x="name", y="rows", kind="barh",
      title="Rows per table (largest first)")

# %% [markdown]
# ## Null rates per column
#
# Highlighted: a NOT NULL column holding nulls (red), and columns that are always or
# almost always null (yellow) — often a column nobody fills.

# %%
columns = profiling.profile_columns(db, tables, max_tables=MAX_TABLES)
flagged = columns[columns["anomaly"] != ""].reset_index(drop=True)
show(flagged, title=f"Columns worth a look ({len(flagged)} of {len(columns)})", max_rows=SHOW_ROWS,
     highlight=lambda row: profiling.is_failure(row["anomaly"]), warn="anomaly")

# %% [markdown]
# ## Duplicate keys and referential integrity

# %%
model = load_schema_model()  # the project's DDL: which keys are declared unique
duplicates = profiling.duplicate_keys(db, tables, model=model, max_tables=MAX_TABLES)
show(duplicates, title="Key columns: rows against distinct values", max_rows=SHOW_ROWS,
     highlight="duplicates")
orphans = quality.results_frame(quality.orphan_checks(db, model, schemas))
show(orphans, title="Foreign keys: child rows without a parent", max_rows=SHOW_ROWS,
     highlight=lambda row: row["status"] == quality.FAIL)

# %% [markdown]
# ## Summary per table

# %%
summary = profiling.table_summary(counts, columns, duplicates)
show(summary, title="Tables profiled", max_rows=SHOW_ROWS,
     highlight=lambda row: profiling.is_failure(row["flag"]), warn="flag")

# %%
db.close()
