# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Validate a stored procedure with a sample payload
#
# | | |
# |---|---|
# | **Category** | Runbook |
# | **Prerequisites** | {doc}`01_verify_local_stack` |
# | **Last verified** | 2026-11-25 |
#
# Calls one stored procedure with a small sample payload and checks what it did: the result
# sets it returned, the rows it changed in each table it may touch, and validation
# queries that must hold afterwards (or the error it is expected to raise).
#
# **Safe by default.** The call and the checks run inside one transaction that is rolled
# back unless `CONFIRM = True`. The "after" counts then equal the "before" counts: the
# procedure was exercised and nothing was kept. On the embedded database the procedures are
# emulations with the same parameters and result columns as `EXEC` on SQL Server.

# %% tags=["parameters"]
SAMPLE: str = "enqueue_job"  # which sample to run [allowed: enqueue_job|enqueue_idempotent_without_key|count_entities|batch_insert_entities]
PARAMS_JSON: str = ""  # a JSON object of parameters replacing the sample's, e.g. {"priority": 150}
CONFIRM: bool = False  # True commits what the procedure wrote; False rolls it back [writes]

# %%
from holocron_lib import connect, show
from holocron_lib.notebook import procedure_check
from holocron_lib.notebook.display import show_json

db = connect()
sample = procedure_check.sample(SAMPLE)
params = procedure_check.with_params(sample, PARAMS_JSON)
print(f"{sample.procedure}: {sample.description}")
show_json(params, title="Parameters", collapsed=False)

# %% [markdown]
# ## Call it

# %%
report = procedure_check.validate(db, sample, params, confirm=CONFIRM)
print("error: " + report.error if report.error else "returned normally")
for i, rs in enumerate(report.result_sets):
    show(rs, title=f"Result set {i + 1}", max_rows=10)

# %% [markdown]
# ## Rows affected and validation
#
# `inside_transaction` is the count while the transaction was open; `after` is what is
# left once it committed or rolled back.

# %%
show(report.deltas, title="Row counts of the tables it may touch")
show(report.checks, title="Validation", max_cell_chars=120,
     highlight=lambda row: not row["passed"])

# %%
print(f"{'PASSED' if report.passed else 'FAILED'}: {int(report.checks['passed'].sum())} of "
      f"{len(report.checks)} checks; {'committed' if report.committed else 'rolled back'}")
db.close()
