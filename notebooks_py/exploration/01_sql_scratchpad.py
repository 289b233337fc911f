# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # SQL scratchpad
#
# | | |
# |---|---|
# | **Category** | Exploration |
# | **Prerequisites** | the embedded database or SQL Server; T-SQL |
# | **Last verified** | 2026-11-24 |
#
# A place for ad-hoc T-SQL with results inline. It starts with a set of useful queries on
# the `sem`, `learn` and `mart` views; edit `QUERY` (or any cell) and run. Every result is
# bounded: a query without `TOP` gets `TOP (MAX_ROWS)` added, so nothing pulls a whole
# table by accident. The query reaches the database only: files, URLs and extensions are
# out of its reach, and over the HTTP API only an operator may set `QUERY`.

# %% tags=["parameters"]
QUERY: str = ""  # your own T-SQL query; empty runs the starter queries below [sql]
MAX_ROWS: int = 15  # most rows any query returns [min: 1] [max: 1000]

# %%
from holocron_lib import connect, show
from holocron_lib.notebook.queries import STARTER_QUERIES, bound_query

db = connect()

# %% [markdown]
# ## Your query

# %%
if QUERY.strip():
    sql = bound_query(QUERY, MAX_ROWS)
    print(sql)
    show(db.query(sql), max_rows=MAX_ROWS)
else:
    print("QUERY is empty: set it in the parameters cell, or edit the starters below.")

# %% [markdown]
# ## Starter queries
#
# Each one is plain T-SQL you can copy into `QUERY`. The guard shows the text it ran.

# %%
for q in STARTER_QUERIES:
    sql = bound_query(q.sql, MAX_ROWS)
    show(db.query(sql), max_rows=MAX_ROWS, title=f"{q.name}: {q.description}")

# %% [markdown]
# ## Finding your way around
#
# The catalogue is queryable too: every table and view per schema.

# %%
objects = db.tables()
show(objects.groupby(["schema", "kind"]).size().reset_index(name="objects"), max_rows=20,
     title="Tables and views per schema")

# %%
db.close()
