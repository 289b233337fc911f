# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Pipeline state
#
# | | |
# |---|---|
# | **Category** | Debug |
# | **Prerequisites** | {doc}`../learning/03_llm_provenance_tour` explains jobs, runs and artifacts |
# | **Last verified** | 2026-11-25 |
#
# Where the LLM pipeline stands right now: jobs and runs per status, how often jobs needed
# another attempt, the most recent errors, and a timeline of the newest jobs.
#
# Errors are shown as **excerpts**: the message line only, with traceback frames dropped
# and anything that looks like a password, token or credential-bearing URL masked.
# This notebook only reads.

# %% tags=["parameters"]
RECENT_ERRORS: int = 10  # how many recent errors to list [min: 1] [max: 100]
ERROR_CHARS: int = 160  # longest error excerpt [min: 40] [max: 1000]
TIMELINE_JOBS: int = 150  # newest jobs drawn on the timeline [min: 10] [max: 2000]

# %%
from holocron_lib import connect, show
from holocron_lib.notebook import lineage, pipeline_state
from holocron_lib.notebook.display import chart, show_figure

db = connect()

# %% [markdown]
# ## Jobs and runs per status
#
# `retried` counts jobs that needed more than one attempt. A job that used all its
# attempts ends in `DEADLETTER`.

# %%
jobs = lineage.job_status_counts(db)
show(jobs, title="Jobs per status")
chart(jobs, x="status", y="jobs", kind="barh", title="Jobs per status")

# %%
show(pipeline_state.run_status_counts(db), title="Runs per status")
retries = pipeline_state.retry_profile(db)
show(retries.pivot_table(index="attempt_count", columns="status", values="jobs", fill_value=0).reset_index(),
     title="Jobs by attempts used")

# %% [markdown]
# ## Recent errors

# %%
show(pipeline_state.recent_errors(db, limit=RECENT_ERRORS, max_chars=ERROR_CHARS),
     title="Most recent errors (excerpts)", max_rows=RECENT_ERRORS, max_cell_chars=ERROR_CHARS)

# %% [markdown]
# ## Timeline of recent jobs
#
# Each line runs from a job's creation to the end of its last run; a dot alone is a job
# that has not run yet.

# %%
recent = pipeline_state.recent_jobs(db, limit=TIMELINE_JOBS)
show_figure(pipeline_state.timeline_chart(recent,
                                          title=f"The {len(recent)} newest jobs"))

# %%
db.close()
