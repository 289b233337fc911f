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
# **Safe by default.** The run and both re-runs happen in one transaction, inside one
# cell, rolled back at its end unless `CONFIRM = True` (and rolled back at once if anything
# in it fails). The checkpoint is written to its file only when the jobs are kept; with
# `CHECKPOINT_PATH` empty it goes to a temporary file. A path given to a run is relative to
# the user's own folder of the run service (`artifacts/users/<user>/`), so a later run can
# resume from it.

# %% tags=["parameters"]
ENTITY_TYPE: str = "Character"  # entities to enqueue classification jobs for [allowed: Character|Droid|Species|Location|Organization|TechInstance]
BATCH_SIZE: int = 5  # entities in the batch [min: 1] [max: 50]
CHECKPOINT_PATH: str = ""  # where the checkpoint is kept, inside your own folder of the run service; empty uses a temporary file [within: user]
CONFIRM: bool = False  # True keeps the enqueued jobs and the checkpoint; False rolls everything back [writes]

# %%
import tempfile
from pathlib import Path

from holocron_lib import connect, show
from holocron_lib.notebook import checkpoint as cp

db = connect()
path = Path(CHECKPOINT_PATH) if CHECKPOINT_PATH else Path(tempfile.mkdtemp()) / "checkpoint.json"
batch = cp.select_batch(db, ENTITY_TYPE, BATCH_SIZE)
show(batch, title="The batch", max_rows=BATCH_SIZE)

# %% [markdown]
# ## The trial
#
# Three runs of the step, each followed by a snapshot of the state:
#
# 1. **the run**, which enqueues a job per entity and records each in the checkpoint;
# 2. **a re-run from the checkpoint**, which skips every item the checkpoint holds;
# 3. **a re-run without the checkpoint**, as if the file were lost: the step calls the
#    procedure for every item again, and the dedupe key makes each call return the
#    existing job.

# %%
with cp.trial(db, batch, path, confirm=CONFIRM) as trial:
    first = trial.step("after the run")
    second = trial.step("re-run from checkpoint")
    third = trial.step("re-run, checkpoint lost", use_checkpoint=False)
print(f"1. the run: enqueued {first.enqueued}, already queued {first.already_queued}, "
      f"checkpoint holds {len(first.checkpoint.done)} item(s)")
print(f"2. re-run from the checkpoint: enqueued {second.enqueued}, skipped {second.skipped}")
print(f"3. re-run, checkpoint lost: enqueued {third.enqueued}, found already queued {third.already_queued}")

# %% [markdown]
# ## The proof
#
# The state after each re-run equals the state after the first run (same job count, same
# fingerprint of every job's key, id, status and priority), and no dedupe key is held
# twice.

# %%
snapshots, duplicates = trial.snapshots, trial.duplicates
show(cp.compare(snapshots), title="State snapshots")
show(duplicates, title="Dedupe keys held by more than one job (should be none)")
print(f"idempotent: {trial.idempotent}; transaction {trial.outcome}")

# %%
db.close()
