"""Entity-centred queries: find an entity, its events, the company it keeps, its claims.

Used by the entity tour and the sample explorer; every query is bounded T-SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from holocron_lib.errors import UnknownObjectError

NO_ENTITY_KEY = -1  # matches no row: a tour without an entity shows empty tables, not a traceback


@dataclass(frozen=True)
class Followed:
    """The entity a tour follows: its row (empty when there is none), key and display name."""

    frame: object  # DataFrame, one row or none
    key: int
    name: str


def followed_entity(db, name: str | None = None, entity_type: str = "Character") -> Followed:
    """The entity the tour follows: by name, else the busiest of ``entity_type``, else (no
    events yet) the first of that type by key. A database without one says so, and the tour
    goes on with a key no row matches."""
    frame = find_entity(db, name or None, entity_type=None if name else entity_type)
    if frame.empty and not name:
        frame = db.query(
            "SELECT TOP (1) EntityKey, EntityGuid, EntityType, DisplayName, SortName, SummaryShort, "
            "IsCanonical, PromotionState FROM dbo.DimEntity "
            "WHERE IsActive = 1 AND IsLatest = 1 AND EntityType = ? ORDER BY EntityKey",
            [entity_type])
    if frame.empty:
        print(f"No active {entity_type} entity in dbo.DimEntity yet, so the tour has no entity "
              "to follow: the tables below stay empty.")
        return Followed(frame, NO_ENTITY_KEY, f"(no {entity_type})")
    return Followed(frame, int(frame.loc[0, "EntityKey"]), str(frame.loc[0, "DisplayName"]))


def find_entity(db, name: str | None = None, entity_type: str | None = None):
    """One active entity by display name (case-insensitive); without a name, the busiest one.

    Raises UnknownObjectError with close matches when the name is not found.
    """
    if name:
        found = db.query(
            """
            SELECT TOP (1) EntityKey, EntityGuid, EntityType, DisplayName, SortName, SummaryShort,
                   IsCanonical, PromotionState
            FROM dbo.DimEntity
            WHERE DisplayName = ? AND IsActive = 1 AND IsLatest = 1
            ORDER BY EntityKey
            """,
            [name],
        )
        if not found.empty:
            return found
        like = db.query(
            "SELECT TOP (3) DisplayName FROM dbo.DimEntity WHERE DisplayName LIKE ? "
            "AND IsActive = 1 AND IsLatest = 1 ORDER BY DisplayName",
            [f"%{name.split()[0]}%"],
        )
        raise UnknownObjectError("entity", name, list(like["DisplayName"]))
    type_filter = "AND e.EntityType = ?" if entity_type else ""
    params = [entity_type] if entity_type else []
    return db.query(
        f"""
        SELECT TOP (1) e.EntityKey, e.EntityGuid, e.EntityType, e.DisplayName, e.SortName,
               e.SummaryShort, e.IsCanonical, e.PromotionState
        FROM dbo.DimEntity AS e
        JOIN dbo.BridgeEventParticipant AS p
          ON p.EntityKey = e.EntityKey AND p.IsActive = 1 AND p.IsLatest = 1
        WHERE e.IsActive = 1 AND e.IsLatest = 1 {type_filter}
        GROUP BY e.EntityKey, e.EntityGuid, e.EntityType, e.DisplayName, e.SortName,
                 e.SummaryShort, e.IsCanonical, e.PromotionState
        ORDER BY COUNT(*) DESC, e.EntityKey
        """,
        params,
    )


def roles_in_events(db, entity_key: int):
    """How the entity takes part in events: one row per role, with event counts."""
    return db.query(
        """
        SELECT Role, COUNT(DISTINCT EventKey) AS events
        FROM learn_event_participants
        WHERE EntityKey = ?
        GROUP BY Role
        ORDER BY COUNT(DISTINCT EventKey) DESC, Role
        """,
        [int(entity_key)],
    )


def events_of(db, entity_key: int, limit: int = 10):
    """The entity's first events in timeline order, with work, scene and role."""
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) t.WorkCode, t.SceneName, t.EventOrdinal, t.EventTypeName,
               i.RoleInEvent, i.WeightClass, t.SummaryShort
        FROM dbo.mart_event_interactions AS i
        JOIN dbo.mart_event_timeline AS t ON t.EventKey = i.EventKey
        WHERE i.EntityKey = ?
        ORDER BY t.WorkKey, t.TimelineOrdinal, t.EventKey
        """,
        [int(entity_key)],
    )


def co_participants(db, entity_key: int, limit: int = 10):
    """Entities that share events with this one: the relationships the bridges imply."""
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) other.EntityKey, other.ParticipantName,
               other.ParticipantType, COUNT(DISTINCT other.EventKey) AS shared_events
        FROM dbo.BridgeEventParticipant AS mine
        JOIN sem.vw_event_participant AS other
          ON other.EventKey = mine.EventKey AND other.EntityKey <> mine.EntityKey
        WHERE mine.EntityKey = ? AND mine.IsActive = 1 AND mine.IsLatest = 1
        GROUP BY other.EntityKey, other.ParticipantName, other.ParticipantType
        ORDER BY COUNT(DISTINCT other.EventKey) DESC, other.EntityKey
        """,
        [int(entity_key)],
    )


def claims_about(db, entity_key: int, limit: int = 10):
    """Claims whose subject is the entity, most confident first."""
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) ClaimKey, ClaimType, Predicate, ObjectValue, ObjectValueType,
               ConfidenceScore, ExtractionMethod, ContinuityFrameName
        FROM sem.vw_claim
        WHERE SubjectEntityKey = ?
        ORDER BY ConfidenceScore DESC, ClaimKey
        """,
        [int(entity_key)],
    )


def evidence_for_claims(db, entity_key: int, limit: int = 10):
    """For the entity's claims that carry an evidence bundle: the bundle and its items."""
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) c.ClaimKey, c.Predicate, b.bundle_id, b.bundle_kind,
               i.ordinal, i.evidence_type, i.role, i.source_ref, i.byte_count
        FROM dbo.FactClaim AS c
        JOIN llm.evidence_bundle AS b ON b.bundle_id = c.EvidenceBundleGuid
        JOIN llm.evidence_item AS i ON i.bundle_id = b.bundle_id
        WHERE c.SubjectEntityKey = ? AND c.IsActive = 1 AND c.IsLatest = 1
        ORDER BY c.ClaimKey, i.ordinal
        """,
        [int(entity_key)],
    )


def entity_type_counts(db):
    """Active entities per type."""
    return db.query(
        "SELECT EntityType, COUNT(*) AS entities FROM dbo.DimEntity "
        "WHERE IsActive = 1 AND IsLatest = 1 GROUP BY EntityType ORDER BY COUNT(*) DESC, EntityType"
    )


def sample_entities(db, entity_type: str, limit: int = 10, seed: int = 7):
    """A repeatable sample of entities of one type (every k-th by key, not random); no rows
    when the database has none of that type (a sparse or freshly seeded one)."""
    total = db.scalar(
        "SELECT COUNT(*) FROM dbo.DimEntity WHERE EntityType = ? AND IsActive = 1 AND IsLatest = 1",
        [entity_type],
    ) or 0
    step = max(1, int(total) // max(1, int(limit)))
    return db.query(
        f"""
        WITH numbered AS (
            SELECT EntityKey, DisplayName, SummaryShort, IsCanonical, PromotionState,
                   ROW_NUMBER() OVER (ORDER BY EntityKey) AS rn
            FROM dbo.DimEntity
            WHERE EntityType = ? AND IsActive = 1 AND IsLatest = 1)
        SELECT TOP ({int(limit)}) EntityKey, DisplayName, SummaryShort, IsCanonical, PromotionState
        FROM numbered WHERE (rn + ?) % ? = 0 ORDER BY rn
        """,
        [entity_type, int(seed) % step, step],
    )


def relation_chain(db, start_key: int, hops: int = 2, per_hop: int = 3):
    """Follow shared events outward from an entity: at each hop, its strongest partners."""
    import pandas as pd

    frontier = [int(start_key)]
    seen = {int(start_key)}
    rows = []
    for hop in range(1, int(hops) + 1):
        next_frontier = []
        for key in frontier:
            partners = co_participants(db, key, limit=per_hop + len(seen))
            partners = partners[~partners["EntityKey"].isin(seen)].head(per_hop)
            for _, p in partners.iterrows():
                rows.append({"hop": hop, "from_key": key, "to_key": int(p["EntityKey"]),
                             "to_name": p["ParticipantName"], "shared_events": int(p["shared_events"])})
                seen.add(int(p["EntityKey"]))
                next_frontier.append(int(p["EntityKey"]))
        frontier = next_frontier
    return pd.DataFrame(rows, columns=["hop", "from_key", "to_key", "to_name", "shared_events"])
