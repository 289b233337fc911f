"""Claims, continuity issues and the links between them, plus character looks per scene."""

from __future__ import annotations

from holocron_lib.synthetic import facts as catalog
from holocron_lib.synthetic.base import Rand, SeedTable, UniqueNames, dim_row, file_name, quota
from holocron_lib.synthetic.entity_hub import Cast
from holocron_lib.synthetic.events import Timeline
from holocron_lib.synthetic.reference import FRANCHISE, Work

# claim type -> object value types it produces, with counts per 620 claims
CLAIM_SHAPES = {
    ("Relationship", "EntityRef"): 100, ("Relationship", "String"): 30,
    ("Attribute", "String"): 120, ("Attribute", "Number"): 70,
    ("Ordering", "Number"): 30, ("Ordering", "Date"): 70,
    ("Identity", "String"): 70, ("Identity", "Date"): 30, ("Other", "Other"): 100,
}
PREDICATES = {
    "EntityRef": catalog.CLAIM_PREDICATES,
    "String": ("faction", "rank", "homeworld", "speciesOf", "callSign", "title", "alignment"),
    "Number": ("heightCm", "crewCapacity", "sceneCount", "rankLevel", "kills"),
    "Date": ("birthYear", "firstSeen", "lastSeen", "deathYear"),
    "Other": tuple(f"missionRole_{n:02d}" for n in range(1, 31)),
}
STRING_VALUES = ("Rebel Alliance", "Galactic Empire", "Commander", "Lieutenant", "Red Five",
                 "Light", "Dark", "Neutral", "General", "Captain", "Smuggler")
LOOKS = ("Flight suit", "Desert robes", "Dress uniform", "Battle armor", "Cold-weather gear",
         "Disguise", "Jedi robes", "Pilot helmet", "Officer uniform", "Work clothes")


def _value(rng: Rand, value_type: str, cast: Cast) -> str:
    if value_type == "EntityRef":
        return str(rng.randint(1, len(cast.entities)))
    if value_type == "Number":
        return str(rng.randint(1, 400))
    if value_type == "Date":
        year = rng.randint(1, 60)
        return f"{year} {'BBY' if rng.random() < 0.6 else 'ABY'}"
    if value_type == "Other":
        return rng.choice(("objective", "support", "escort", "sabotage", "recon"))
    return rng.choice(STRING_VALUES)


def build_claims(rng: Rand, scale: int, cast: Cast, works: list[Work], timeline: Timeline,
                 bundles: list[str]) -> tuple[dict[str, SeedTable], list[int]]:
    """FactClaim, ContinuityIssue, BridgeContinuityIssueClaim; returns the claim subject keys."""
    t = {name: SeedTable(*name.split("."), natural_key=nk) for name, nk in (
        ("dbo.FactClaim", ["SubjectEntityKey", "Predicate"]),
        ("dbo.ContinuityIssue", ["FranchiseKey", "ContinuityFrameKey", "IssueSummary"]),
        ("dbo.BridgeContinuityIssueClaim", ["ContinuityIssueKey", "ClaimKey"]))}
    names = {n: file_name(n) for n in t}
    work_of = {w.key: w for w in works}
    used: set[tuple[int, str]] = set()
    subjects = []
    involved = sorted({entity for _, entity in timeline.participants})
    shapes = quota(CLAIM_SHAPES, 620 * scale, rng)
    methods = quota({"Manual": 245, "Rules": 125, "Hybrid": 125, "AI": 125}, len(shapes), rng)
    for n, ((claim_type, value_type), method) in enumerate(zip(shapes, methods, strict=True)):
        while True:
            pool = involved if rng.random() < 0.7 else range(1, len(cast.entities) + 1)
            subject = rng.choice(pool)
            predicate = rng.choice(PREDICATES[value_type])
            if (subject, predicate) not in used:
                used.add((subject, predicate))
                break
        scene_key = work_key = None
        where = rng.random()
        if where < 0.75:
            scene_key, work_key, ordinal = rng.choice(timeline.scenes)
            evidence = f"{work_of[work_key].code} scene {ordinal}"
        elif where < 0.9:
            work_key = rng.choice(works).key
            evidence = f"{work_of[work_key].code} (whole work)"
        else:
            evidence = None
        frame = work_of[work_key].frame if work_key else rng.weighted({2: 370, 1: 250})
        with_bundle = method in ("AI", "Hybrid") or (method == "Rules" and n % 2 == 0)
        t["dbo.FactClaim"].add(dim_row(
            "FactClaimGuid", rng.guid(), names["dbo.FactClaim"], FranchiseKey=FRANCHISE,
            ContinuityFrameKey=min(frame, 2), ClaimType=claim_type, SubjectEntityKey=subject,
            Predicate=predicate, ObjectValue=_value(rng, value_type, cast),
            ObjectValueType=value_type, WorkKey=work_key, SceneKey=scene_key,
            ConfidenceScore=rng.score(0.60, 0.99), EvidenceRef=evidence, ExtractionMethod=method,
            EvidenceBundleGuid=rng.choice(bundles) if with_bundle and bundles else None))
        subjects.append(subject)
    _issues(rng, scale, t, names, cast, works, timeline, subjects, bundles)
    return t, subjects


def _issues(rng, scale, t, names, cast, works, timeline, subjects, bundles):
    issues, links = t["dbo.ContinuityIssue"], t["dbo.BridgeContinuityIssueClaim"]
    summaries = UniqueNames()
    scopes = quota({"Work": 17, "Franchise": 17, "Scene": 16}, 50 * scale, rng)
    statuses = quota({"Open": 20, "Explained": 10, "SplitByFrame": 10, "Closed": 10},
                     50 * scale, rng)
    narrative = [w for w in works if w.work_type in ("Film", "Series", "Game", "Book")]
    work_of = {w.key: w for w in works}
    for n, (scope, status) in enumerate(zip(scopes, statuses, strict=True)):
        code, type_name, _ = catalog.ISSUE_TYPES[n % len(catalog.ISSUE_TYPES)]
        scene_key = work_key = None
        if scope == "Scene":
            scene_key, work_key, _ = rng.choice(timeline.scenes)
        elif scope == "Work":
            work_key = rng.choice(narrative).key
        subject = cast.entity(rng.choice(subjects))["DisplayName"]
        where = work_of[work_key].title if work_key else "the franchise"
        frame = work_of[work_key].frame if work_key else rng.choice((1, 2))
        severity = rng.randint(1, 4)
        issues.add(dim_row(
            "ContinuityIssueGuid", rng.guid(), names["dbo.ContinuityIssue"],
            FranchiseKey=FRANCHISE, ContinuityFrameKey=min(frame, 2), IssueTypeKey=n % 10 + 1,
            IssueSummary=summaries.take(f"{type_name} for {subject} in {where}"),
            IssueDescription=f"Sources disagree on a {type_name.lower()} detail about {subject}.",
            Scope=scope, WorkKey=work_key, SceneKey=scene_key, SeverityScore=severity,
            SeverityLabel=("Low", "Med", "High", "Critical")[severity - 1],
            DisputeLevel=rng.choice(("Low", "Med", "High")), Status=status,
            ConfidenceScore=rng.score(0.70, 0.99),
            EvidenceBundleGuid=rng.choice(bundles) if bundles and rng.random() < 0.3 else None))
    roles = quota({"Conflicting": 62, "Context": 50, "Supporting": 38, "ResolutionBasis": 25},
                  175 * scale, rng)
    issue_count, claim_count = len(issues.rows), len(t["dbo.FactClaim"].rows)
    seen = set()
    for n, role in enumerate(roles):
        issue = n % issue_count + 1
        claim = rng.randint(1, claim_count)
        while (issue, claim) in seen:
            claim = claim % claim_count + 1
        seen.add((issue, claim))
        links.add(dim_row("BridgeContinuityIssueClaimGuid", rng.guid(),
                          names["dbo.BridgeContinuityIssueClaim"], ContinuityIssueKey=issue,
                          ClaimKey=claim, Role=role))


def build_looks(rng: Rand, scale: int, cast: Cast, timeline: Timeline) -> SeedTable:
    """DimAppearanceLook: a character's look in a scene where that character takes part."""
    table = SeedTable("dbo", "DimAppearanceLook", ["CharacterKey", "SceneKey", "LookLabel"])
    fname = file_name(table.qualified)
    scene_of = dict(timeline.events)
    work_of_scene = {s: w for s, w, _ in timeline.scenes}
    pairs = sorted({(scene_of[e], entity) for e, entity in timeline.participants
                    if entity in cast.character_of_entity})
    for scene, entity in rng.sample(pairs, min(len(pairs), 90 * scale)):
        label = rng.choice(LOOKS)
        table.add(dim_row(
            "LookGuid", rng.guid(), fname, CharacterKey=cast.character_of_entity[entity],
            WorkKey=work_of_scene[scene], SceneKey=scene, LookLabel=label,
            LookType=rng.choice(("Costume", "Uniform", "Armor", "Disguise")),
            PrimaryColorRef=rng.choice(("White", "Black", "Tan", "Grey", "Orange", "Blue")),
            ConditionRef=rng.weighted({"Clean": 5, "Worn": 3, "Damaged": 1, "Battle-worn": 1}),
            ConfidenceScore=rng.score(0.55, 0.98), IsPrimaryLookInScene=rng.random() < 0.7,
            EvidenceRef=f"scene {scene} still"))
    return table
