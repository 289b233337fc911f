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
from holocron_lib.notebook.display import bar_chart, style_axes

db = connect()

# %% [markdown]
# ## Entities: type distribution and connectedness

# %%
entities = completeness.with_percentages(completeness.entity_connectivity(db), "entities",
                                     ["in_events", "with_claims", "with_relations"])
display(show(entities, title="Active entities per type"))
ax = entities.set_index("EntityType")[["pct_in_events", "pct_with_claims", "pct_with_relations"]].plot.barh(
    figsize=(8, 3.5), color=["#4a6fa5", "#9aa5b1", "#3c8d5a"])
style_axes(ax, "Share of entities connected, per type", xlabel="% of entities", ylabel="");

# %% [markdown]
# ## Claims backed by evidence

# %%
claims = completeness.with_percentages(completeness.claim_evidence_coverage(db), "claims",
                                   ["with_bundle_ref", "with_existing_bundle"])
display(show(claims, title="Claims per extraction method"))
fig = bar_chart(claims["ExtractionMethod"], claims["pct_with_existing_bundle"],
                "Claims backed by an existing evidence bundle", xlabel="% of claims")

# %% [markdown]
# ## Temporal coverage

# %%
eras = completeness.events_by_era(db)
display(show(eras, title="Events per in-universe era"))
fig = bar_chart(eras["EraName"], eras["events"], "Events per era (calendar order)", xlabel="events")

# %%
works = completeness.works_by_release_year(db)
ax = works.pivot_table(index="release_year", columns="WorkType", values="works", fill_value=0).plot.bar(
    stacked=True, figsize=(9, 3.5), width=0.9)
style_axes(ax, "Works per release year", xlabel="release year", ylabel="works")
ax.tick_params(axis="x", labelsize=7);

# %%
show(completeness.scene_event_density(db, limit=TOP_WORKS), title="Where event extraction went deepest")

# %%
db.close()
