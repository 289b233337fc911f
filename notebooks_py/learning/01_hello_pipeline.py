# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Hello, pipeline
#
# | | |
# |---|---|
# | **Category** | Learning |
# | **Prerequisites** | none: runs on the embedded database (`holocron db build`), or on SQL Server with `.env` set |
# | **Last verified** | 2026-11-24 |
#
# Your first half hour with the Holocron database: connect, look at the core dimensions,
# and see how facts, dimensions and bridges fit together.

# %% tags=["parameters"]
LIMIT: int = 8  # rows to show from each table [min: 1] [max: 50]

# %% [markdown]
# ## Connect
#
# `connect()` reads the settings (environment variables and `.env`) and opens the embedded
# database, or SQL Server when `SEED_SQLSERVER_HOST` is set. Nothing about credentials
# belongs in a notebook.

# %%
from holocron_lib import connect, show
from holocron_lib.notebook.display import chart

db = connect()
print(f"backend: {db.backend}")

# %% [markdown]
# ## What is in the database
#
# Five schemas: `dbo` holds the dimensional model, `sem` the semantic views, `llm` the LLM
# job pipeline, `ingest` the acquisition tables and `vector` the embedding runtime. Row
# counts of the dimensional tables:

# %%
counts = db.row_counts("dbo")
show(counts.sort_values("rows", ascending=False), max_rows=12, title="Largest dbo tables")

# %% [markdown]
# ## The core dimensions
#
# Dimensions describe *who*, *what*, *where* and *when*. Works are the films, series,
# books, comics and games the facts come from. We read them through the semantic view
# `sem.vw_work`, which already keeps only the active, latest version of each row.

# %%
show(db.query(
    f"SELECT TOP ({int(LIMIT)}) WorkCode, WorkTitle, WorkType, ReleaseDate "
    "FROM sem.vw_work WHERE WorkType = 'Film' ORDER BY ReleaseDate, WorkCode"
), title="Films by release date")

# %% [markdown]
# Characters are entities with a character profile; the view joins the two and adds the
# species name.

# %%
show(db.query(
    f"SELECT TOP ({int(LIMIT)}) CharacterName, SpeciesName, RoleArchetype, HomeworldRef "
    "FROM sem.vw_character ORDER BY CharacterName"
), title="Characters")

# %% [markdown]
# Eras place events on the in-universe calendar: negative anchor years are *before the
# Battle of Yavin* (BBY).

# %%
show(db.query(
    "SELECT EraCode, EraName, AnchorYear, CalendarModel FROM dbo.DimEra "
    "WHERE IsActive = 1 AND IsLatest = 1 ORDER BY AnchorYear, EraCode"
), title="Eras")

# %% [markdown]
# ## Facts: one row per event
#
# `dbo.FactEvent` is the centre of the star: each row is one beat of action with keys to
# its work, scene, event type, location and era. Where do the events come from?

# %%
per_work = db.query(
    "SELECT TOP (10) WorkCode, COUNT(*) AS events FROM sem.vw_event "
    "GROUP BY WorkCode ORDER BY COUNT(*) DESC, WorkCode"
)
chart(per_work, x="WorkCode", y="events", kind="barh", title="Events per work (top 10)")

# %% [markdown]
# ## Bridges: who took part, and how
#
# An event has many participants and a participant is in many events, so the link is a
# bridge table, `dbo.BridgeEventParticipant`, with the role each entity played.

# %%
roles = db.query(
    "SELECT Role, COUNT(*) AS participations FROM learn_event_participants "
    "GROUP BY Role ORDER BY COUNT(*) DESC, Role"
)
show(roles, title="Participations per role")

# %% [markdown]
# ## The model at a glance
#
# ![The Holocron data model](../../book/_static/data-model.svg)
#
# Next: {doc}`02_entity_relationship_tour` follows one entity through these bridges.

# %%
db.close()
