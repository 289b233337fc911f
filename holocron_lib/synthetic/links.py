"""Tags, entity-to-entity relations and promotion states: the links the pipeline left in dbo."""

from __future__ import annotations

from datetime import datetime, timedelta

from holocron_lib.synthetic import facts as catalog
from holocron_lib.synthetic.base import SOURCE_SYSTEM, Rand, SeedTable, file_name, iso, jdumps
from holocron_lib.synthetic.entity_hub import Cast
from holocron_lib.synthetic.events import Timeline
from holocron_lib.synthetic.llm_history import Pipeline
from holocron_lib.synthetic.staging import Page

PROMOTION = {"promoted": 86, "staged": 6, "candidate": 4, "adjudicated": 2, "suppressed": 1.5,
             "merged": 0.5}


def apply_promotion(rng: Rand, cast: Cast, pages: list[Page], pipeline: Pipeline,
                    as_of: datetime) -> None:
    """Fills the DimEntity promotion columns (migration 0018) from pages and adjudication runs."""
    page_of = {p.entity_key: p for p in pages if p.entity_key}
    for key, row in enumerate(cast.entities, start=1):
        page = page_of.get(key)
        state = rng.weighted(PROMOTION)
        if page is None and state in ("staged", "candidate") and rng.random() < 0.7:
            state = "promoted"  # staged entities usually come from a classified page
        run = pipeline.adjudications.get(key)
        decided = state not in ("staged", "candidate")
        row["PromotionState"] = state
        row["PromotionDecisionUtc"] = (
            iso(run[1] if run else as_of - timedelta(days=rng.uniform(10, 60)))
            if decided else None)
        row["PromotionDecidedBy"] = ("llm-adjudicator" if run else "seed_loader") if decided \
            else None
        row["PromotionReason"] = {
            "promoted": "Curated seed entity" if not run else "Adjudicated by model run",
            "suppressed": "Duplicate or out-of-scope page", "merged": "Merged into another entity",
            "adjudicated": "Awaiting promotion after adjudication"}.get(state)
        row["SourcePageId"] = page.page_id if page else None
        row["PrimaryTypeInferred"] = page.primary_type if page else None
        row["TypeSetJsonInferred"] = (jdumps({page.primary_type: page.confidence})
                                      if page else None)
        row["AdjudicationRunId"] = run[0] if run else None
        if run or page:
            row["ConfidenceScore"] = page.confidence if page else rng.score(0.7, 0.99)


def build_tags(rng: Rand, scale: int, cast: Cast, pages: list[Page], timeline: Timeline,
               work_count: int, as_of: datetime) -> dict[str, SeedTable]:
    """DimTag, BridgeTagAssignment and BridgeTagRelation."""
    tags = SeedTable("dbo", "DimTag", ["TagType", "TagName"])
    stamp = iso(as_of - timedelta(days=50))
    for order, (tag_type, name, display, colour) in enumerate(catalog.TAGS, start=1):
        tags.add({
            "TagGuid": rng.guid(), "TagName": name, "TagNameNormalized": name.lower(),
            "TagType": tag_type, "DisplayName": display, "Description": f"{display} ({tag_type})",
            "SortOrder": order * 10,
            "Visibility": "internal" if tag_type == "internal" else "public",
            "ColorHex": colour, "IconRef": None, "IsActive": True, "IsLatest": True,
            "VersionNum": 1, "ValidFromUtc": stamp, "ValidToUtc": None, "CreatedUtc": stamp,
            "UpdatedUtc": None, "SourceSystem": SOURCE_SYSTEM,
            "SourceRef": file_name("dbo.DimTag")})
    assignments = SeedTable("dbo", "BridgeTagAssignment", ["TagKey", "TargetType", "TargetId"])
    page_tags = [k for k, t in enumerate(catalog.TAGS, start=1) if t[0] in ("content", "quality")]
    targets = (
        [("Entity", str(k)) for k in rng.sample(range(1, len(cast.entities) + 1),
                                                120 * scale)]
        + [("SourcePage", p.page_id) for p in rng.sample(pages, min(len(pages), 80 * scale))]
        + [("Event", str(e)) for e, _ in rng.sample(timeline.events, 60 * scale)]
        + [("Work", str(w)) for w in rng.sample(range(1, work_count + 1), 20 * scale)])
    seen = set()
    for target_type, target_id in targets:
        tag = rng.choice(page_tags) if target_type == "SourcePage" else rng.randint(
            1, len(catalog.TAGS))
        if (tag, target_type, target_id) in seen:
            continue
        seen.add((tag, target_type, target_id))
        method = rng.weighted({"manual": 3, "rules": 3, "llm": 2, "hybrid": 1, "import": 1})
        removed = rng.random() < 0.05
        assigned = as_of - timedelta(days=rng.uniform(1, 45))
        assignments.add({
            "AssignmentId": rng.guid(), "TagKey": tag, "TargetType": target_type,
            "TargetId": target_id, "Weight": rng.score(0.5, 1.0),
            "Confidence": rng.score(0.55, 0.99), "AssignedBy": method + "-tagger",
            "AssignmentMethod": method,
            "SourcePageId": target_id if target_type == "SourcePage" else None,
            "ClassificationId": None, "RunId": None, "AssignedUtc": iso(assigned),
            "IsActive": not removed,
            "RemovedUtc": iso(assigned + timedelta(days=1)) if removed else None,
            "RemovedBy": "curator" if removed else None})
    relations = SeedTable("dbo", "BridgeTagRelation", ["FromTagKey", "ToTagKey", "RelationType"])
    index = {name: k for k, (_, name, _, _) in enumerate(catalog.TAGS, start=1)}
    for a, b, relation in (("lightsaber-duel", "space-battle", "related"),
                           ("original-trilogy", "rebellion", "related"),
                           ("prequel-era", "republic", "related"),
                           ("needs-sources", "low-confidence", "related"),
                           ("stub", "needs-sources", "narrower"),
                           ("verified", "low-confidence", "replaces"),
                           ("film", "original-trilogy", "broader"),
                           ("espionage", "heist", "related"),
                           ("empire", "separatists", "related"), ("legends", "game", "related")):
        relations.add({
            "RelationId": rng.guid(), "FromTagKey": index[a], "ToTagKey": index[b],
            "RelationType": relation, "IsBidirectional": relation == "related",
            "Weight": rng.score(0.4, 1.0), "Notes": None, "CreatedUtc": stamp,
            "CreatedBy": "curator", "IsActive": True})
    return {t.qualified: t for t in (tags, assignments, relations)}


def build_relations(pipeline: Pipeline) -> SeedTable:
    table = SeedTable("dbo", "BridgeEntityRelation", ["RelationId"])
    table.rows.extend(pipeline.relations)
    return table
