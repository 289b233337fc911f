# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Entity and relationship tour
#
# | | |
# |---|---|
# | **Category** | Learning |
# | **Prerequisites** | {doc}`01_hello_pipeline`; the embedded database or SQL Server |
# | **Last verified** | 2026-11-24 |
#
# Pick one entity and follow it: what it is, which events it takes part in and in what
# role, whom it shares those events with, what is claimed about it, and the evidence behind
# those claims.

# %% tags=["parameters"]
ENTITY_NAME: str = ""  # display name of the entity to follow; empty picks the busiest character
LIMIT: int = 10  # rows to show per table [min: 1] [max: 50]

# %%
from holocron_lib import connect, show
from holocron_lib.notebook import entities, lineage
from holocron_lib.notebook.display import chart

db = connect()

# %% [markdown]
# ## The entity
#
# `dbo.DimEntity` gives every character, species, location, organisation and named machine
# one key, the `EntityKey`, which the specialised dimensions and the bridges point at.

# %%
followed = entities.followed_entity(db, ENTITY_NAME)
key = followed.key
show(followed.frame, title="The entity we follow")

# %% [markdown]
# ## Its events, through the participant bridge
#
# Each row of `dbo.BridgeEventParticipant` says that one entity took part in one event, in a
# role (attacker, pilot, observer…) and with a weight (primary, secondary, background).

# %%
roles = entities.roles_in_events(db, key)
chart(roles, x="Role", y="events", kind="barh",
      title=f"Roles of {followed.name} in events")

# %%
show(entities.events_of(db, key, limit=LIMIT), title="First events in timeline order")

# %% [markdown]
# ## Relationships implied by shared events
#
# Two entities in the same event are related by it. Counting shared events gives the
# strongest ties.

# %%
show(entities.co_participants(db, key, limit=LIMIT), title="Who shares the most events")

# %% [markdown]
# ## What is claimed about it
#
# `dbo.FactClaim` holds subject–predicate–object statements with a confidence score and the
# method that produced them.

# %%
show(entities.claims_about(db, key, limit=LIMIT), title="Claims, most confident first")

# %% [markdown]
# ## The evidence behind the claims
#
# A claim produced by the LLM pipeline carries an `EvidenceBundleGuid`: the
# `llm.evidence_bundle` the model read, made of `llm.evidence_item` rows. This is how a
# reader checks where a machine-made fact came from.

# %%
evidence = entities.evidence_for_claims(db, key, limit=LIMIT)
if evidence.empty:
    print("No claim about this entity carries an evidence bundle; other claims with evidence:")
    evidence = lineage.claims_with_evidence(db, limit=LIMIT)
show(evidence, title="Evidence items behind claims")

# %% [markdown]
# Next: {doc}`03_llm_provenance_tour` follows the LLM job that produced such evidence.

# %%
db.close()
