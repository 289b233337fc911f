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
from holocron_lib import connect, show
from holocron_lib.notebook import lineage
from holocron_lib.notebook.display import bar_chart, show_json
from holocron_lib.notebook.lake import read_lake_file, redact
from holocron_lib.settings import load_settings

db = connect()
lake_root = load_settings().lake_root

# %% [markdown]
# ## The shape of the chain
#
# How many rows each stage holds, and the jobs per status. `DEADLETTER` jobs used up their
# attempts; `retried` counts jobs that needed more than one.

# %%
display(show(lineage.stage_counts(db), title="Rows per stage"))
statuses = lineage.job_status_counts(db)
fig = bar_chart(statuses["status"], statuses["jobs"], "Jobs per status", xlabel="jobs")

# %% [markdown]
# ## One job, end to end

# %%
job_id = JOB_ID or lineage.pick_example_job(db)
chain = lineage.job_lineage(db, job_id)
print(lineage.chain_summary(chain))
display(show(chain.job, title="The job"))
show(chain.runs, title="Its runs (attempts)")

# %%
show(chain.artifacts.drop(columns=["content_sha256"]), title="Artifacts the runs left")

# %%
display(show(chain.bundles, title="Evidence bundles attached to the runs"))
show(chain.items, title="Items in those bundles")

# %% [markdown]
# ## The lake files
#
# Each artifact's `lake_uri` is relative to the lake root. The files are read with a size
# limit, checked against the SHA-256 recorded in SQL, and keys that look like secrets are
# masked before display. When a file is missing, the SQL copy (`llm.artifact.content`) is
# shown instead.

# %%
for _, art in chain.artifacts.head(4).iterrows():
    content = lineage.artifact_content(db, str(art["artifact_id"]))
    sql_copy = content.loc[0, "content"] if not content.empty else None
    f = read_lake_file(lake_root, art["lake_uri"], sql_content=sql_copy,
                       expected_sha256=art["content_sha256"], max_bytes=200_000)
    parsed = f.json()
    title = f"{art['artifact_type']} — from {f.source}, {f.byte_count:,} bytes, sha256 ok: {f.sha256_matches}"
    display(show_json(redact(parsed) if parsed is not None else f.text, title=title,
                      max_chars=MAX_JSON_CHARS))

# %% [markdown]
# Next: {doc}`04_sql_exercises_companion` to practise T-SQL on the learning views.

# %%
db.close()
