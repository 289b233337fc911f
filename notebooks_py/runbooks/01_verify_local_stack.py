# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Verify the local stack
#
# | | |
# |---|---|
# | **Category** | Runbook |
# | **Prerequisites** | `.env` (or nothing, for the embedded database); Docker and Ollama are optional |
# | **Last verified** | 2026-11-25 |
#
# A guided check of everything the other notebooks rely on: the database answers, it is
# the Holocron schema (every table and view the project's DDL defines), it holds data,
# Ollama answers, and — where Docker is installed — the compose services are up. Each
# check gives **pass**, **warn** or **fail** and, when it is not a pass, what to do.
#
# This runbook only reads. It does not start anything: `docker compose up -d` and
# `ollama serve` stay in your hands, because starting services from a notebook is fragile.

# %% tags=["parameters"]
CHECK_DOCKER: bool = True  # also ask `docker compose ps` about the services
COMPOSE_FILE: str = ""  # compose file to ask about, relative to the project; empty uses docker compose's default lookup [within: project]

# %%
from holocron_lib import load_settings, show
from holocron_lib.notebook import stackcheck

settings = load_settings()
print(f"backend: {settings.backend}")  # a backend name, never a connection string

# %% [markdown]
# ## Run the checks
#
# A failed connection stops the list there: the other checks need the database.

# %%
db, results = stackcheck.connect_and_check(settings, docker=CHECK_DOCKER,
                                           compose_file=COMPOSE_FILE or None)
show(stackcheck.results_frame(results), title="Stack checks", max_cell_chars=140,
     highlight=lambda row: row["status"] == stackcheck.FAIL,
     warn=lambda row: row["status"] == stackcheck.WARN)

# %% [markdown]
# ## What to do next
#
# Fix the first **fail** and run the notebook again: later checks often pass once the
# database is reachable. A **warn** does not block the book: without Ollama, the
# embedding runbook uses its local fallback; without Docker, the embedded database serves.

# %%
print("\n".join(stackcheck.next_steps(results)))

# %%
if db is not None:
    db.close()
