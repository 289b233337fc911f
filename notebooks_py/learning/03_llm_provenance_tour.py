# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # LLM provenance tour
#
# | | |
# |---|---|
# | **Category** | Learning |
# | **Prerequisites** | {doc}`02_entity_relationship_tour`; at least one completed LLM run (the embedded database has many) |
# | **Last verified** | 2026-11-24 |
#
# How the pipeline records its work: an `llm.job` waits in a queue, each attempt is an
# `llm.run`, each run leaves `llm.artifact` rows (the request, the response, the parsed
# output…) mirrored as files in the lake, and the input the model saw is an evidence bundle.
# This notebook reads what was recorded. It calls no model.

# %% tags=["parameters"]
JOB_ID: str = ""  # llm.job id to follow; empty picks the succeeded job with the most artifacts
MAX_JSON_CHARS: int = 3000  # longest JSON excerpt to show [min: 200] [max: 20000]

# %%
from holocron_lib import connect, load_settings, show
from holocron_lib.notebook import lineage
from holocron_lib.notebook.display import chart, show_json

db = connect()
lake_root = load_settings().lake_root

# %% [markdown]
# ## The shape of the chain
#
# How many rows each stage holds, and the jobs per status. `DEADLETTER` jobs used up their
# attempts; `retried` counts jobs that needed more than one.

# %%
show(lineage.stage_counts(db), title="Rows per stage")
statuses = lineage.job_status_counts(db)
chart(statuses, x="status", y="jobs", kind="barh", title="Jobs per status",
      empty="No LLM jobs recorded yet")

# %% [markdown]
# ## One job, end to end

# %%
job_id = JOB_ID or lineage.pick_example_job(db)
chain = lineage.job_lineage(db, job_id)
print(lineage.chain_summary(chain))
show(chain.job, title="The job")
show(chain.runs, title="Its runs (attempts)")

# %%
show(chain.artifacts.drop(columns=["content_sha256"]), title="Artifacts the runs left")

# %%
show(chain.bundles, title="Evidence bundles attached to the runs")
show(chain.items, title="Items in those bundles")

# %% [markdown]
# ## The lake files
#
# Each artifact's `lake_uri` is relative to the lake root. The files are read with a size
# limit, checked against the SHA-256 recorded in SQL, and keys that look like secrets are
# masked before display. When a file is missing, the SQL copy (`llm.artifact.content`) is
# shown instead.

# %%
files = lineage.artifact_views(db, lake_root, chain.artifacts.head(4), max_bytes=200_000)
for title, value in files:
    show_json(value, title=title, max_chars=MAX_JSON_CHARS)

# %% [markdown]
# Next: {doc}`04_sql_exercises_companion` to practise T-SQL on the learning views.

# %%
db.close()
