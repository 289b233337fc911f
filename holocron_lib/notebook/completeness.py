"""Coverage and completeness of the knowledge base: how much of it is connected and backed.

Each function returns a small DataFrame computed in T-SQL, so it runs unchanged on the
embedded database and on SQL Server.
"""

from __future__ import annotations

ACTIVE = "IsActive = 1 AND IsLatest = 1"


def entity_connectivity(db):
    """Per entity type: entities, how many take part in events, have claims or relations."""
    return db.query(
        f"""
        SELECT e.EntityType,
               COUNT(*) AS entities,
               SUM(CASE WHEN EXISTS (SELECT 1 FROM dbo.BridgeEventParticipant AS p
                                     WHERE p.EntityKey = e.EntityKey AND p.{ACTIVE})
                        THEN 1 ELSE 0 END) AS in_events,
               SUM(CASE WHEN EXISTS (SELECT 1 FROM dbo.FactClaim AS c
                                     WHERE c.SubjectEntityKey = e.EntityKey AND c.{ACTIVE})
                        THEN 1 ELSE 0 END) AS with_claims,
               SUM(CASE WHEN EXISTS (SELECT 1 FROM dbo.BridgeEntityRelation AS r
                                     WHERE r.FromEntityGuid = e.EntityGuid OR r.ToEntityGuid = e.EntityGuid)
                        THEN 1 ELSE 0 END) AS with_relations
        FROM dbo.DimEntity AS e
        WHERE e.{ACTIVE}
        GROUP BY e.EntityType
        ORDER BY COUNT(*) DESC, e.EntityType
        """
    )


def with_percentages(frame, total_col: str, part_cols: list[str]):
    """Adds a `pct_<col>` column (0–100, one decimal) for each part column."""
    out = frame.copy()
    for col in part_cols:
        out[f"pct_{col}"] = (100.0 * out[col] / out[total_col].where(out[total_col] > 0)).round(1)
    return out


def claim_evidence_coverage(db):
    """Claims per extraction method, and how many point at an evidence bundle that exists."""
    return db.query(
        f"""
        SELECT c.ExtractionMethod,
               COUNT(*) AS claims,
               SUM(CASE WHEN c.EvidenceBundleGuid IS NOT NULL THEN 1 ELSE 0 END) AS with_bundle_ref,
               SUM(CASE WHEN b.bundle_id IS NOT NULL THEN 1 ELSE 0 END) AS with_existing_bundle
        FROM dbo.FactClaim AS c
        LEFT JOIN llm.evidence_bundle AS b ON b.bundle_id = c.EvidenceBundleGuid
        WHERE c.{ACTIVE}
        GROUP BY c.ExtractionMethod
        ORDER BY COUNT(*) DESC, c.ExtractionMethod
        """
    )


def events_by_era(db):
    """Events per era, in calendar order, with the span of in-universe years they cover."""
    return db.query(
        """
        SELECT ISNULL(EraName, '(no era)') AS EraName, MIN(EraKey) AS EraKey, COUNT(*) AS events,
               MIN(UniverseYearMin) AS first_year, MAX(UniverseYearMax) AS last_year
        FROM sem.vw_event
        GROUP BY ISNULL(EraName, '(no era)')
        ORDER BY MIN(EraKey), EraName
        """
    )


def works_by_release_year(db):
    """Works per release year and type: which eras of publishing the data covers."""
    return db.query(
        """
        SELECT YEAR(ReleaseDate) AS release_year, WorkType, COUNT(*) AS works
        FROM sem.vw_work WHERE ReleaseDate IS NOT NULL
        GROUP BY YEAR(ReleaseDate), WorkType
        ORDER BY YEAR(ReleaseDate), WorkType
        """
    )


def scene_event_density(db, limit: int = 15):
    """Works by events per scene: where the event extraction went deep and where it is thin."""
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) WorkCode, COUNT(*) AS scenes, SUM(EventCount) AS events,
               CAST(SUM(EventCount) AS FLOAT) / COUNT(*) AS events_per_scene
        FROM dbo.mart_scene_event_density
        GROUP BY WorkCode
        ORDER BY SUM(EventCount) DESC, WorkCode
        """
    )
