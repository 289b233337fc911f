# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Pipeline throughput and latency
#
# | | |
# |---|---|
# | **Category** | Analytics |
# | **Prerequisites** | {doc}`../debug/01_pipeline_state` |
# | **Last verified** | 2026-11-25 |
#
# How much work the LLM pipeline does and how fast: jobs created per hour, how long runs
# take (per model and per job type), and the share of runs that succeed, per day or week.
#
# Windows are measured back from the newest job or run in the data rather than from the
# clock, so the picture of a quiet database is not empty. These are numbers for a look,
# not a monitoring system.

# %% tags=["parameters"]
THROUGHPUT_DAYS: int = 7  # days of jobs-per-hour history [min: 1] [max: 90]
LATENCY_DAYS: int = 30  # days of finished runs for the duration figures [min: 1] [max: 365]
WINDOW: str = "day"  # window for success rates [allowed: day|week]
GROUP_BY: str = "model_name"  # how to group run durations [allowed: model_name|interrogation_key]

# %%
from holocron_lib import connect, show
from holocron_lib.notebook import metrics
from holocron_lib.notebook.display import chart

db = connect()
print(f"latest activity: {metrics.latest_activity(db) or 'none recorded yet'}")

# %% [markdown]
# ## Jobs per hour

# %%
per_hour = metrics.jobs_per_hour(db, days=THROUGHPUT_DAYS)
print(metrics.jobs_summary(per_hour))
chart(per_hour, x="hour", y="jobs", kind="line", xlabel="UTC hour",
      title=f"Jobs created per hour, last {THROUGHPUT_DAYS} days")

# %% [markdown]
# ## Run durations
#
# Percentiles say more than the mean: p90 is the duration nine runs in ten stay under.

# %%
durations = metrics.run_durations(db, days=LATENCY_DAYS)
percentiles = metrics.duration_percentiles(durations, by=GROUP_BY)
show(percentiles, title=f"Run seconds per {GROUP_BY}")
chart(durations, x=GROUP_BY, y="seconds", kind="box", title="Run duration distribution",
      empty="No finished LLM runs in this window")

# %% [markdown]
# ## Success and failure over time

# %%
rates = metrics.outcome_rates(db, window=WINDOW, days=LATENCY_DAYS)
show(rates, title=f"Runs per {WINDOW}", max_rows=40)
chart(rates, x="window", y=["succeeded", "failed"], kind="bar", stacked=True,
      title=f"Runs per {WINDOW} by outcome", ylabel="runs", empty="No LLM runs in this window")

# %%
db.close()
