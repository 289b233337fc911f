# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Notebook title
#
# | | |
# |---|---|
# | **Category** | Learning, Runbook, Exploration, Debug or Analytics |
# | **Prerequisites** | what must exist first (the embedded database is built by `holocron db build`) |
# | **Last verified** | YYYY-MM-DD |
#
# One paragraph: what this notebook shows or does, and for whom.

# %% tags=["parameters"]
# Every value a reader might change, one per line: NAME: type = default  # description
LIMIT: int = 10  # rows to show [min: 1] [max: 200]

# %%
from holocron_lib import connect, show

db = connect()  # the embedded database, or SQL Server when SEED_SQLSERVER_HOST is set
print(f"backend: {db.backend}")

# %% [markdown]
# ## A first query
#
# T-SQL, bounded with `TOP`, against a view rather than a raw table.

# %%
show(db.query(f"SELECT TOP ({int(LIMIT)}) WorkTitle, WorkType, ReleaseDate FROM sem.vw_work ORDER BY ReleaseDate"))
