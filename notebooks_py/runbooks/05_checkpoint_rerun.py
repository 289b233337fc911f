# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Checkpoint and re-run
#
# | | |
# |---|---|
# | **Category** | Runbook |
# | **Prerequisites** | {doc}`04_validate_stored_procedure` explains `llm.usp_enqueue_job` |
# | **Last verified** | 2026-11-25 |
#
# A pipeline step should be safe to run again. This runbook proves it for the step that
# enqueues entity-classification jobs: it runs the step, snapshots the state, re-runs from
# the checkpoint, re-runs once more as if the checkpoint had been lost, and shows that the
# state did not change and no dedupe key is held by two jobs.
#
# Two mechanisms make the step idempotent: the **checkpoint** (a JSON file listing the
# finished items, so a re-run skips them) and the **dedupe key** (`entity_classify:<EntityKey>`,
# with which `llm.usp_enqueue_job` returns the existing job instead of inserting another).
#
# **Safe by default.** Everything below runs inside one transaction, rolled back at the end
# unless `CONFIRM = True`. With `CHECKPOINT_PATH` empty the checkpoint goes to a
# temporary file; a path given to a run is relative to the user's own folder of the run
# service (`artifacts/users/<user>/`), so a later run can resume from it.

# %% tags=["parameters"]
ENTITY_TYPE: str = "Character"  # entities to enqueue classification jobs for [allowed: Character|Droid|Species|Location|Organization|TechInstance]
BATCH_SIZE: int = 5  # entities in the batch [min: 1] [max: 50]
CHECKPOINT_PATH: str = ""  # where the checkpoint is kept, inside your own folder of the run service; empty uses a temporary file [within: user]
CONFIRM: bool = False  # True keeps the enqueued jobs; False rolls everything back [writes]

# %%
import tempfile
from pathlib import Path

from holocron_lib import connect, show
from holocron_lib.notebook import checkpoint as cp

db = connect()
path = Path(CHECKPOINT_PATH) if CHECKPOINT_PATH else Path(tempfile.mkdtemp()) / "checkpoint.json"
batch = cp.select_batch(db, ENTITY_TYPE, BATCH_SIZE)
display(show(batch, title="The batch", max_rows=BATCH_SIZE))
trial = cp.Trial(db, confirm=CONFIRM)
snapshots = {"before": cp.snapshot(db)}

# %% [markdown]
# ## 1. Run the step and save the checkpoint

# %%
first = cp.run_step(db, batch, cp.Checkpoint.load(path, cp.INTERROGATION_KEY), confirm=True)
first.checkpoint.save(path)
snapshots["after the run"] = cp.snapshot(db)
print(f"enqueued {first.enqueued}, already queued {first.already_queued}, "
      f"checkpoint holds {len(first.checkpoint.done)} item(s)")

# %% [markdown]
# ## 2. Re-run from the checkpoint
#
# Every item is in the checkpoint, so the step skips it.

# %%
second = cp.run_step(db, batch, cp.Checkpoint.load(path, cp.INTERROGATION_KEY), confirm=True)
snapshots["re-run from checkpoint"] = cp.snapshot(db)
print(f"enqueued {second.enqueued}, skipped by the checkpoint {second.skipped}")

# %% [markdown]
# ## 3. Re-run without the checkpoint
#
# As if the file were lost: the step calls the procedure for every item again, and the
# dedupe key makes each call return the existing job.

# %%
third = cp.run_step(db, batch, None, confirm=True)
snapshots["re-run, checkpoint lost"] = cp.snapshot(db)
print(f"enqueued {third.enqueued}, found already queued {third.already_queued}")

# %% [markdown]
# ## The proof
#
# The state after each re-run equals the state after the first run (same job count, same
# fingerprint of every job's key, id, status and priority), and no dedupe key is held
# twice.

# %%
display(show(cp.compare(snapshots), title="State snapshots"))
duplicates = cp.duplicate_jobs(db)
display(show(duplicates, title="Dedupe keys held by more than one job (should be none)"))
idempotent = snapshots["after the run"] == snapshots["re-run from checkpoint"] == snapshots["re-run, checkpoint lost"]
print(f"idempotent: {idempotent and duplicates.empty}; transaction {trial.finish()}")

# %%
db.close()
