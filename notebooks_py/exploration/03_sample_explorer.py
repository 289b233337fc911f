# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Sample explorer
#
# | | |
# |---|---|
# | **Category** | Exploration |
# | **Prerequisites** | {doc}`../learning/02_entity_relationship_tour` helps; the embedded database or SQL Server |
# | **Last verified** | 2026-11-24 |
#
# "Show me examples": a repeatable sample of entities of one type, claims with the
# evidence bundles behind them, and chains of relationships that start from one entity.
# Only names, summaries and computed attributes are shown, never source text.

# %% tags=["parameters"]
ENTITY_TYPE: str = "Character"  # entity type to sample [allowed: Character|Droid|Species|Location|Organization|TechInstance]
SAMPLE_SIZE: int = 8  # entities in the sample [min: 1] [max: 50]
CHAIN_HOPS: int = 2  # how far to follow shared events from the first sampled entity [min: 1] [max: 4]

# %%
from holocron_lib import connect, show
from holocron_lib.notebook import entities, lineage
from holocron_lib.notebook.display import bar_chart, show_json

db = connect()

# %% [markdown]
# ## Entities by type

# %%
types = entities.entity_type_counts(db)
fig = bar_chart(types["EntityType"], types["entities"], "Active entities per type", xlabel="entities")

# %%
sample = entities.sample_entities(db, ENTITY_TYPE, limit=SAMPLE_SIZE)
show(sample, max_rows=SAMPLE_SIZE, title=f"A sample of {ENTITY_TYPE} entities")

# %% [markdown]
# ## Claims with their evidence bundles
#
# Claims that carry an `EvidenceBundleGuid`, with the bundle they point at. The bundle's
# policy and summary are JSON documents; the first one is shown in full below (long
# documents start folded).

# %%
claims = lineage.claims_with_evidence(db, limit=SAMPLE_SIZE)
show(claims, max_rows=SAMPLE_SIZE, title="Claims backed by evidence")

# %%
if not claims.empty:
    bundle = db.query(
        "SELECT bundle_id, policy_json, summary_json FROM llm.evidence_bundle WHERE bundle_id = ?",
        [str(claims.loc[0, "bundle_id"])],
    )
    display(show_json(bundle.loc[0, "policy_json"], title="Bundle policy"))
    display(show_json(bundle.loc[0, "summary_json"], title="Bundle summary"))

# %% [markdown]
# ## A chain of relationships
#
# Starting from the first sampled entity that takes part in events, follow shared events
# outward: at each hop, the partners with the most events in common.

# %%
start = db.query(
    "SELECT TOP (1) p.EntityKey, p.ParticipantName FROM sem.vw_event_participant AS p "
    "WHERE p.ParticipantType = ? GROUP BY p.EntityKey, p.ParticipantName "
    "ORDER BY COUNT(*) DESC, p.EntityKey",
    [ENTITY_TYPE],
)
if start.empty:
    print(f"No {ENTITY_TYPE} entity takes part in an event; try ENTITY_TYPE = 'Character'.")
else:
    print(f"Starting from {start.loc[0, 'ParticipantName']}")
    display(show(entities.relation_chain(db, int(start.loc[0, "EntityKey"]), hops=CHAIN_HOPS),
                 max_rows=20, title="Relationship chain"))

# %%
db.close()
