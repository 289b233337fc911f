"""Coverage and completeness measures, each checked against a direct count."""

from seeded_db import fresh_db_fixture

from holocron_lib.notebook import completeness as coverage

db = fresh_db_fixture("module")


def test_entity_connectivity_counts_active_entities_per_type(db):
    conn = coverage.entity_connectivity(db).set_index("EntityType")
    assert conn["entities"].sum() == db.scalar(
        "SELECT COUNT(*) FROM dbo.DimEntity WHERE IsActive = 1 AND IsLatest = 1")
    assert (conn[["in_events", "with_claims", "with_relations"]].le(conn["entities"], axis=0)).all().all()
    chars_in_events = db.scalar(
        "SELECT COUNT(DISTINCT p.EntityKey) FROM dbo.BridgeEventParticipant AS p JOIN dbo.DimEntity AS e "
        "ON e.EntityKey = p.EntityKey WHERE e.EntityType = 'Character' AND p.IsActive = 1 AND p.IsLatest = 1 "
        "AND e.IsActive = 1 AND e.IsLatest = 1")
    assert conn.loc["Character", "in_events"] == chars_in_events


def test_percentages_are_of_the_total():
    import pandas as pd

    out = coverage.with_percentages(pd.DataFrame({"n": [4, 0], "a": [1, 0]}), "n", ["a"])
    assert out.loc[0, "pct_a"] == 25.0 and out["pct_a"].isna().iloc[1]


def test_claim_evidence_coverage(db):
    claims = coverage.claim_evidence_coverage(db)
    assert claims["claims"].sum() == db.scalar("SELECT COUNT(*) FROM dbo.FactClaim WHERE IsActive = 1 AND IsLatest = 1")
    assert (claims["with_existing_bundle"] <= claims["with_bundle_ref"]).all()


def test_temporal_coverage(db):
    eras = coverage.events_by_era(db)
    assert eras["events"].sum() == db.scalar("SELECT COUNT(*) FROM sem.vw_event")
    works = coverage.works_by_release_year(db)
    assert works["works"].sum() == db.scalar("SELECT COUNT(*) FROM sem.vw_work WHERE ReleaseDate IS NOT NULL")
    assert works["release_year"].is_monotonic_increasing


def test_scene_event_density_is_bounded(db):
    density = coverage.scene_event_density(db, limit=3)
    assert len(density) == 3 and density["events"].is_monotonic_decreasing
