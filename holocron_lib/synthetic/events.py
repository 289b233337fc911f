"""Scenes, the event spine and who and what took part, laid out like the real seed set."""

from __future__ import annotations

from dataclasses import dataclass, field

from holocron_lib.synthetic import facts as catalog
from holocron_lib.synthetic.base import Rand, SeedTable, dim_row, file_name
from holocron_lib.synthetic.entity_hub import DF_ATTRIBUTES, DF_NOTES, Cast
from holocron_lib.synthetic.reference import ERA_KEYS, FRANCHISE, Work

# (work code, scenes, events) of the real set's first block; later blocks reuse the shape
BLOCK_SHAPE = (("ANH", 57, 432), ("TPM", 27, 234), ("AOTC", 3, 84), ("ROTS", 3, 84),
               ("ESB", 3, 83), ("ROTJ", 3, 83), ("GM-LEG-006", 104, 224))
TRENCH_RUN = range(44, 55)  # ANH scene ordinals read by mart_trench_run_events
DUEL_OF_FATES = range(27, 45)  # TPM scene ordinals read by mart_duel_of_fates_events
SCENE_WORDS = ("Approach", "Standoff", "Briefing", "Escape", "Pursuit", "Assault", "Landing",
               "Infiltration", "Council", "Ambush", "Rescue", "Aftermath", "Negotiation")
SPACE_TYPES = ("TARGET_LOCK", "LASER_FIRE", "TORPEDO_FIRE", "EVADE", "PURSUIT", "SHIELD_HIT",
               "HULL_HIT", "EXPLOSION", "COMMAND", "TRANSMISSION", "DESTRUCTION")
DUEL_TYPES = ("IGNITE_SABER", "ATTACK", "STRIKE", "BLOCK", "PARRY", "FORCE_PUSH", "FORCE_JUMP",
              "MOVEMENT", "INJURY", "DEATH", "DOOR_OPEN")
MISSION_TYPES = ("ATTACK", "LASER_FIRE", "MOVEMENT", "DOOR_OPEN", "ALARM", "DISCOVERY", "EVADE",
                 "DESTRUCTION", "ESCAPE", "CAPTURE", "ARRIVAL", "TRANSMISSION")
ROLE_WEIGHTS = {"Object": 200, "Attacker": 200, "Victim": 200, "Pilot": 200, "Wingman": 200,
                "Observer": 200, "Initiator": 200, "Target": 200, "Support": 200, "Subject": 200,
                "Opponent": 200, "Ally": 56, "Commander": 22}
ASSET_ROLES = {"Used": 170, "Operated": 142, "Destroyed": 114, "Damaged": 100, "Referenced": 100,
               "Recovered": 98}


@dataclass
class Timeline:
    """What the claims, looks and pipeline need to know about scenes and events."""

    scenes: list[tuple[int, int, int]] = field(default_factory=list)  # key, work key, ordinal
    events: list[tuple[int, int]] = field(default_factory=list)  # event key, scene key
    participants: list[tuple[int, int]] = field(default_factory=list)  # event key, entity key


def _groups(works: list[Work], scale: int) -> list[tuple[Work, int, int]]:
    by_code = {w.code: w for w in works}
    story = [w for w in works if w.work_type in ("Film", "Series")
             and w.code not in dict.fromkeys(c for c, *_ in BLOCK_SHAPE)]
    games = [w for w in works if w.work_type == "Game" and w.code != "GM-LEG-006"]
    out = [(by_code[code], scenes, events) for code, scenes, events in BLOCK_SHAPE]
    for block in range(1, scale):
        for i, (code, scenes, events) in enumerate(BLOCK_SHAPE):
            pool = games if code.startswith("GM-") else story
            target = pool[((block - 1) * 6 + i) % len(pool)]
            out.append((target, scenes, events))
    return out


def build_events(rng: Rand, scale: int, works: list[Work], cast: Cast,
                 event_type_codes: list[str]) -> tuple[dict[str, SeedTable], Timeline]:
    """DimScene, FactEvent, BridgeEventParticipant and BridgeEventAsset."""
    t = {name: SeedTable(*name.split("."), natural_key=nk) for name, nk in (
        ("dbo.DimScene", ["WorkKey", "SceneOrdinal"]),
        ("dbo.FactEvent", ["FranchiseKey", "WorkKey", "SceneKey", "EventOrdinal"]),
        ("dbo.BridgeEventParticipant", ["EventKey", "EntityKey", "RoleInEvent"]),
        ("dbo.BridgeEventAsset", ["EventKey", "TechInstanceKey"]))}
    names = {n: file_name(n) for n in t}
    type_key = {code: k for k, code in enumerate(event_type_codes, start=1)}
    type_name = {code: code.replace("_", " ").title() for code in event_type_codes}
    timeline = Timeline()
    next_ordinal: dict[int, int] = {}
    planets = [loc for loc in cast.locations if loc[2] in ("Planet", "Moon", "City", "Base")]
    places = [loc for loc in cast.locations if loc[2] in ("Facility", "Site", "Station")]
    confidence = {0.70: 502, 0.95: 308, 0.85: 190, 0.72: 112, 0.68: 112}
    protagonists = cast.characters_b[: max(1, scale)]
    empire_orgs = cast.organizations[-5 * scale:]

    for group_index, (work, n_scenes, n_events) in enumerate(_groups(works, scale)):
        mission = work.work_type == "Game"
        if work.code == "TPM":
            ordinals = list(range(1, 10)) + list(DUEL_OF_FATES)
        else:
            start = next_ordinal.get(work.key, 0)
            ordinals = list(range(start + 1, start + n_scenes + 1))
        next_ordinal[work.key] = max(ordinals)
        home = rng.choice(planets)
        cast_chars = (rng.sample(cast.characters_a, min(8, len(cast.characters_a)))
                      + rng.sample(cast.characters_b[4:], 6) + rng.sample(cast.by_type["Droid"], 2))
        gear = rng.sample(cast.instances, 12)
        protagonist = protagonists[group_index // len(BLOCK_SHAPE) % len(protagonists)]
        # Events per scene: two each, the rest spread with extra weight on the set pieces.
        weights = [2.0 if (work.code == "ANH" and o in TRENCH_RUN) else 1.0 for o in ordinals]
        counts = [min(2, n_events // n_scenes)] * n_scenes
        for i in rng.choices(range(n_scenes), weights=weights, k=n_events - sum(counts)):
            counts[i] += 1
        clock = 0
        for s, ordinal in enumerate(ordinals):
            special = (work.code == "ANH" and ordinal in TRENCH_RUN) or (
                work.code == "TPM" and ordinal in DUEL_OF_FATES)
            if mission:
                scene_type, duration = "MissionSegment", None
                scene_name = f"Mission {s // 8 + 1} segment {s % 8 + 1}"
            else:
                scene_type = ("Opening" if s == 0 else "Credits" if s == n_scenes - 1 > 2
                              else "Establishing" if s == 1 and n_scenes > 3
                              else rng.weighted({"Scene": 44, "Action": 34}))
                duration = rng.choice((60, 120, 180, 240, 300))
                place = rng.choice(places if rng.random() < 0.4 else planets)
                scene_name = (f"Yavin assault part {ordinal - 43}" if work.code == "ANH" and special
                              else f"Theed duel part {ordinal - 26}" if special
                              else f"{cast.entity(place[1])['DisplayName']} "
                                   f"{rng.choice(SCENE_WORDS).lower()}")
            location = rng.choice(places) if mission else home
            scene_key = t["dbo.DimScene"].add(dim_row(
                "SceneGuid", rng.guid(), names["dbo.DimScene"], WorkKey=work.key,
                SceneOrdinal=ordinal, SceneName=scene_name, SceneType=scene_type,
                StartSec=None if duration is None else clock,
                EndSec=None if duration is None else clock + duration, DurationSec=duration,
                LocationHint=cast.entity(location[1])["DisplayName"],
                Notes=DF_NOTES if mission else "Synthetic seed data",
                AttributesJson=dict(DF_ATTRIBUTES, segment=s + 1) if mission else None))
            clock += duration or 0
            timeline.scenes.append((scene_key, work.key, ordinal))
            pool = (SPACE_TYPES if work.code == "ANH" and special else DUEL_TYPES if special
                    else MISSION_TYPES if mission else event_type_codes)
            notes = ("Trench Run sequence - space flight only" if work.code == "ANH" and special
                     else "Duel of the Fates sequence" if special
                     else DF_NOTES if mission else f"Synthetic seed data - {work.code}")
            for event_ordinal in range(1, counts[s] + 1):
                code = rng.choice(pool)
                year = None if mission or work.year is None else work.year
                event_key = t["dbo.FactEvent"].add(dim_row(
                    "FactEventGuid", rng.guid(), names["dbo.FactEvent"], notes,
                    FranchiseKey=FRANCHISE, ContinuityFrameKey=work.frame, WorkKey=work.key,
                    SceneKey=scene_key, ParentEventKey=None, EventOrdinal=event_ordinal,
                    EventTypeKey=type_key[code],
                    LocationKey=location[0] if rng.random() < 0.85 else None,
                    EraKey=ERA_KEYS.get(work.era_code or ""), UniverseYearMin=year,
                    UniverseYearMax=year,
                    SummaryShort=f"{type_name[code]} in {scene_name} ({work.title})",
                    SummaryNormalized=f"{type_name[code]} in {scene_name}".lower(),
                    ConfidenceScore=rng.weighted(confidence), ExtractionMethod="Manual",
                    AttributesJson=dict(DF_ATTRIBUTES, missionName=scene_name)
                    if mission else None))
                timeline.events.append((event_key, scene_key))
                _participants(rng, t, names, event_key, mission, protagonist, empire_orgs,
                              cast_chars, timeline)
                _assets(rng, t, names, event_key, mission, gear)
    return t, timeline


def _participants(rng, t, names, event_key, mission, protagonist, orgs, cast_chars, timeline):
    table = t["dbo.BridgeEventParticipant"]
    if mission:
        people = [(protagonist, "Actor", "Primary"), (rng.choice(orgs), "Opponent", "Secondary")]
    else:
        extra = rng.weighted({0: 30, 1: 45, 2: 18, 3: 7})
        chosen = rng.sample(cast_chars, 1 + extra)
        people = [(chosen[0], rng.weighted(ROLE_WEIGHTS), "Primary")] + [
            (entity, rng.weighted(ROLE_WEIGHTS),
             "Secondary" if rng.random() < 0.7 else "Background") for entity in chosen[1:]]
    for ordinal, (entity, role, weight) in enumerate(people, start=1):
        score = rng.score(0.75, 0.99) if weight == "Primary" else rng.score(0.30, 0.90)
        table.add(dim_row(
            "BridgeEventParticipantGuid", rng.guid(), names[table.qualified],
            DF_NOTES if mission else "Synthetic seed data", EventKey=event_key,
            EntityKey=entity, RoleInEvent=role, RoleSubtype=f"{role} participant",
            WeightClass=weight, ParticipantOrdinal=ordinal, ParticipationScore=score))
        timeline.participants.append((event_key, entity))


def _assets(rng, t, names, event_key, mission, gear):
    table = t["dbo.BridgeEventAsset"]
    count = rng.weighted({0: 52, 1: 37, 2: 11})
    for ordinal, (instance, _entity, _type) in enumerate(rng.sample(gear, count), start=1):
        role = rng.weighted(ASSET_ROLES)
        table.add(dim_row(
            "BridgeEventAssetGuid", rng.guid(), names[table.qualified],
            DF_NOTES if mission else "Synthetic seed data", EventKey=event_key,
            TechInstanceKey=instance, AssetRole=role, AssetRoleDetail=f"{role} during the event",
            AssetOrdinal=None if mission else ordinal))


def event_type_codes() -> list[str]:
    return [code for code, *_ in catalog.EVENT_TYPES]
