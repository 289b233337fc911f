# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Artifact and lake inspector
#
# | | |
# |---|---|
# | **Category** | Debug |
# | **Prerequisites** | {doc}`../learning/03_llm_provenance_tour`; the lake folder (`LAKE_ROOT`) is optional |
# | **Last verified** | 2026-11-25 |
#
# Browse what LLM runs left behind: runs per day, the runs of one day, the artifact rows
# of one run (`llm.artifact`), the files in its lake directory, and the files themselves
# (`request.json`, `response.json`, `evidence.json`, …) as formatted JSON.
#
# Files are read up to a size limit, checked against the SHA-256 recorded in SQL, and
# shown with secret-looking keys masked and long strings cut. When the lake has no copy,
# the SQL copy (`llm.artifact.content`) is shown instead. Raw model responses can hold
# personal data: share what you see here with care.

# %% tags=["parameters"]
RUN_DATE: str = ""  # UTC date (YYYY-MM-DD) whose runs to list; empty takes the newest date with runs [pattern: (\d{4}-\d{2}-\d{2})?]
RUN_ID: str = ""  # llm.run id to inspect; empty takes the run of that date with the most artifacts [pattern: ([0-9A-Fa-f-]{36})?]
DAYS: int = 30  # days of history in the runs-per-day chart [min: 1] [max: 365]
MAX_FILES: int = 4  # most files to open [min: 0] [max: 20]
MAX_FILE_BYTES: int = 200000  # read at most this many bytes of a file [min: 1000] [max: 5000000]
MAX_JSON_CHARS: int = 3000  # longest JSON text to show per file [min: 200] [max: 50000]

# %%
from holocron_lib import connect, load_settings, show
from holocron_lib.notebook import lake, lineage
from holocron_lib.notebook.display import chart, show_json

db = connect()
lake_root = load_settings().lake_root

# %% [markdown]
# ## Runs by date

# %%
per_day = lineage.runs_by_date(db, days=DAYS)
chart(per_day, x="run_date", y=["runs", "artifacts"], kind="bar",
      title="Runs and artifacts per day", xlabel="UTC date", ylabel="count",
      empty="No LLM runs recorded yet")

# %%
runs = lineage.runs_on(db, RUN_DATE or None)
show(runs, title=f"Runs started on {RUN_DATE or 'the newest date'}")

# %% [markdown]
# ## One run's artifacts and lake directory

# %%
run_id = RUN_ID or lineage.first_run(runs)
artifacts = lineage.run_artifacts(db, run_id)
print(lineage.run_summary(run_id, artifacts))
show(artifacts.drop(columns=["content_sha256"]), title=f"Artifacts of run {run_id or '(none)'}")
show(lake.run_files(lake_root, artifacts), title="Files in the run's lake directory")

# %% [markdown]
# ## The files

# %%
files = lineage.artifact_views(db, lake_root, artifacts.head(MAX_FILES), max_bytes=MAX_FILE_BYTES)
for title, value in files:
    show_json(value, title=title, max_chars=MAX_JSON_CHARS)

# %%
db.close()
