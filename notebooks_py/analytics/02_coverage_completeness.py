# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Coverage and completeness
#
# | | |
# |---|---|
# | **Category** | Analytics |
# | **Prerequisites** | {doc}`../learning/02_entity_relationship_tour` |
# | **Last verified** | 2026-11-25 |
#
# How much of the knowledge base is connected and backed by evidence. Each measure has a
# stated criterion, so a number means one thing:
#
# - an entity is **connected** when it takes part in an event (`BridgeEventParticipant`),
#   is the subject of a claim (`FactClaim`) or has an extracted relationship
#   (`BridgeEntityRelation`), counting active, latest rows only;
# - a claim is **backed** when its `EvidenceBundleGuid` names an evidence bundle that exists;
# - **temporal coverage** is how events spread over in-universe eras, and works over
#   release years.

# %% tags=["parameters"]
TOP_WORKS: int = 15  # works to show in the event-density table [min: 1] [max: 100]

# %%
from holocron_lib import connect, show
from holocron_lib.notebook import completeness
from holocron_lib.notebook.display import chart

db = connect()

# %% [markdown]
# ## Entities: type distribution and connectedness

# %%
entities = completeness.with_percentages(completeness.entity_connectivity(db), "entities",
                                         ["in_events", "with_claims", "with_relations"])
show(entities, title="Active entities per type")
chart(entities, x="EntityType", y=["pct_in_events", "pct_with_claims", "pct_with_relations"],
      kind="barh", title="Share of entities connected, per type", xlabel="% of entities")

# %% [markdown]
# ## Claims backed by evidence

# %%
claims = completeness.with_percentages(completeness.claim_evidence_coverage(db), "claims",
                                       ["with_bundle_ref", "with_existing_bundle"])
show(claims, title="Claims per extraction method")
chart(claims, x="ExtractionMethod", y="pct_with_existing_bundle", kind="barh",
      title="Claims backed by an existing evidence bundle", xlabel="% of claims")

# %% [markdown]
# ## Temporal coverage

# %%
eras = completeness.events_by_era(db)
show(eras, title="Events per in-universe era")
chart(eras, x="EraName", y="events", kind="barh",
      title="Events per era (calendar order)")

# %%
works = completeness.works_by_release_year(db)
chart(works, x="release_year", y="works", series="WorkType", kind="bar", stacked=True,
      title="Works per release year", xlabel="release year", ylabel="works")

# %%
show(completeness.scene_event_density(db, limit=TOP_WORKS), title="Where event extraction went deepest")

# %%
db.close()
