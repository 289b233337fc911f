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
from holocron_lib.notebook.display import chart, show_json

db = connect()

# %% [markdown]
# ## Entities by type

# %%
types = entities.entity_type_counts(db)
chart(types, x="EntityType", y="entities", kind="barh", title="Active entities per type")

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
    bundle = lineage.bundle_documents(db, claims.loc[0, "bundle_id"])
    show_json(bundle.loc[0, "policy_json"], title="Bundle policy")
    show_json(bundle.loc[0, "summary_json"], title="Bundle summary")

# %% [markdown]
# ## A chain of relationships
#
# Starting from the entity of this type that takes part in the most events, follow shared
# events outward: at each hop, the partners with the most events in common.

# %%
start = entities.find_entity(db, entity_type=ENTITY_TYPE)  # the busiest one: most events
if start.empty:
    print(f"No {ENTITY_TYPE} entity takes part in an event; try ENTITY_TYPE = 'Character'.")
else:
    print(f"Starting from {start.loc[0, 'DisplayName']}")
    chain = entities.relation_chain(db, int(start.loc[0, "EntityKey"]), hops=CHAIN_HOPS)
    show(chain, max_rows=20, title="Relationship chain")

# %%
db.close()
