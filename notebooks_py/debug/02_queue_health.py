# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Queue health and aged jobs
#
# | | |
# |---|---|
# | **Category** | Debug |
# | **Prerequisites** | {doc}`01_pipeline_state` |
# | **Last verified** | 2026-11-25 |
#
# Calls `llm.usp_get_queue_health_summary` and shows its three result sets (totals, health
# per status, the oldest aged jobs), lists the jobs stuck beyond an age you choose, and
# shows which jobs `llm.usp_escalate_aged_jobs` would raise in priority.
#
# **Escalation changes job priorities**, so it runs only with `CONFIRM_ESCALATION = True`.
# Otherwise this notebook only reads, and the candidates are what *would* change.

# %% tags=["parameters"]
AGE_MINUTES: int = 240  # a NEW or RUNNING job older than this is stuck [min: 1] [max: 100000]
LIMIT: int = 20  # most aged jobs and candidates to list [min: 1] [max: 200]
PRIORITY_BOOST: int = 50  # how much escalation raises a priority [min: 1] [max: 300]
MAX_PRIORITY: int = 300  # escalation never raises a priority above this [min: 1] [max: 1000]
CONFIRM_ESCALATION: bool = False  # True runs llm.usp_escalate_aged_jobs; False only lists candidates [writes]

# %%
from holocron_lib import connect, show
from holocron_lib.notebook import queue_health
from holocron_lib.notebook.display import chart

db = connect()

# %% [markdown]
# ## The health summary
#
# Ages are minutes since a job was created. `stale_job_count` counts NEW jobs older than
# an hour.

# %%
health = queue_health.health(db)
show(health.summary, title="Totals")
show(health.by_status, title="Health per status (llm.vw_queue_health)")
chart(health.by_status, x="status", y="job_count", kind="barh", title="Jobs per status",
      xlabel="jobs")

# %%
show(health.oldest, title="The oldest aged jobs (procedure's third result set)", max_rows=LIMIT)

# %% [markdown]
# ## Jobs stuck beyond the age limit

# %%
aged = queue_health.aged_jobs(db, older_than_minutes=AGE_MINUTES, limit=LIMIT)
show(aged, title=f"NEW or RUNNING for more than {AGE_MINUTES} minutes", max_rows=LIMIT,
     highlight=lambda row: row["age_severity"] == "critical", warn="age_severity")

# %% [markdown]
# ## Recommended actions

# %%
for action in queue_health.recommended_actions(health.summary, aged):
    print("-", action)

# %% [markdown]
# ## Escalation
#
# The candidates are NEW jobs older than the age limit whose priority is below the cap.

# %%
escalation = queue_health.escalate(
    db, confirm=CONFIRM_ESCALATION, age_threshold_minutes=AGE_MINUTES,
    priority_boost=PRIORITY_BOOST, max_priority=MAX_PRIORITY, max_jobs_per_run=LIMIT)
show(escalation.candidates, title="Escalation candidates", max_rows=LIMIT)
if escalation.confirmed:
    show(escalation.result, title="llm.usp_escalate_aged_jobs")
    show(escalation.priorities_after, title="Priorities after escalation",
         max_rows=LIMIT)
else:
    print(f"Dry run: {len(escalation.candidates)} job(s) would be escalated. "
          "Set CONFIRM_ESCALATION = True to do it.")

# %%
db.close()
