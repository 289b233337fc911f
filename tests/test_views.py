"""The project's T-SQL views: they parse, they are exactly the live Holocron views, their
output columns match the fact sheet in order, and the computed columns behave."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from holocron_lib.schema import apply as schema
from holocron_lib.schema.apply import VIEWS_DIR
from holocron_lib.tsql import translate as dialect

# Output columns of every live view, in order, from the fact sheet (section 4).
_EVENT_WINDOW = (
    "EventKey, EventGuid, FranchiseKey, FranchiseName, ContinuityFrameKey, ContinuityFrameName, "
    "WorkKey, WorkTitle, WorkCode, SceneKey, SceneName, SceneOrdinal, EventOrdinal, "
    "SequenceOrdinal, EventTypeKey, EventTypeName, EventTypeCode, VerbClass, LocationKey, "
    "LocationName, StartSec, EndSec, SummaryShort, ConfidenceScore, ExtractionMethod"
)
EXPECTED_COLUMNS: dict[str, str] = {
    # 4.1 the semantic layer over dbo
    "sem.vw_franchise": "FranchiseKey, FranchiseGuid, FranchiseName, UniverseCode, "
    "FranchiseGroup, OwnerOrRightsHolder, DefaultContinuityFrame, Notes, ValidFromUtc",
    "sem.vw_work": "WorkKey, WorkGuid, FranchiseKey, FranchiseName, WorkType, WorkTitle, "
    "TitleSort, EditionOrCut, WorkCode, SeasonEpisode, SeasonNumber, EpisodeNumber, "
    "VolumeOrIssue, ReleaseDate, ReleaseDatePrecision, ReleaseRegion, RuntimeRef, "
    "SynopsisShort, Notes, ValidFromUtc",
    "sem.vw_scene": "SceneKey, SceneGuid, WorkKey, WorkTitle, WorkCode, WorkType, SceneOrdinal, "
    "SceneName, SceneType, StartSec, EndSec, DurationSec, LocationHint, Notes, ValidFromUtc, "
    "FranchiseKey, FranchiseName",
    "sem.vw_continuity_frame": "ContinuityFrameKey, ContinuityFrameGuid, FranchiseKey, "
    "FranchiseName, FrameName, FrameCode, AuthorityType, AuthorityRef, PolicySummary, "
    "EffectiveStartDate, EffectiveEndDate, Notes, ValidFromUtc",
    "sem.vw_character": "CharacterKey, CharacterGuid, EntityKey, EntityGuid, CharacterName, "
    "CharacterNameNormalized, SortName, Aliases, ExternalKey, SummaryShort, IsCanonical, "
    "SpeciesKey, SpeciesName, Gender, Pronouns, BirthRef, DeathRef, BirthPlaceRef, "
    "HomeworldRef, HeightRef, MassRef, EyeColor, HairColor, SkinColor, DistinguishingMarks, "
    "RoleArchetype, Notes, FranchiseKey, FranchiseName, ValidFromUtc",
    "sem.vw_species": "SpeciesKey, SpeciesGuid, EntityKey, EntityGuid, SpeciesName, "
    "SpeciesNameNormalized, SortName, SummaryShort, Category, HomeworldRef, TypicalLifespanRef, "
    "AverageHeightRef, SkinTypesRef, LanguageRef, DietRef, TraitsJson, Notes, FranchiseKey, "
    "FranchiseName, ValidFromUtc",
    "sem.vw_organization": "OrganizationKey, OrganizationGuid, EntityKey, EntityGuid, "
    "OrganizationName, OrganizationNameNormalized, SortName, SummaryShort, OrgType, Scope, "
    "AlignmentRef, FoundedRef, DissolvedRef, HeadquartersRef, Notes, FranchiseKey, "
    "FranchiseName, ValidFromUtc",
    "sem.vw_location": "LocationKey, LocationGuid, EntityKey, EntityGuid, LocationName, "
    "LocationNameNormalized, SortName, SummaryShort, LocationType, ParentLocationKey, "
    "ParentLocationName, ParentLocationType, RegionCode, LatitudeRef, LongitudeRef, ClimateRef, "
    "TerrainRef, PopulationRef, GovernmentRef, Notes, FranchiseKey, FranchiseName, ValidFromUtc",
    "sem.vw_tech_asset": "TechAssetKey, TechAssetGuid, FranchiseKey, FranchiseName, AssetType, "
    "ModelName, ModelNameNormalized, ManufacturerRef, ManufacturerCode, EraRef, "
    "FirstAppearanceRef, TechLevelRef, PowerSourceRef, MaterialRef, SafetyNotes, Notes, "
    "ValidFromUtc",
    "sem.vw_tech_instance": "TechInstanceKey, TechInstanceGuid, EntityKey, EntityGuid, "
    "TechAssetKey, TechAssetGuid, InstanceName, ModelName, AssetType, ManufacturerRef, "
    "SerialRef, BuildRef, CurrentStatus, LastKnownLocationRef, Notes, FranchiseKey, "
    "FranchiseName, ValidFromUtc",
    "sem.vw_appearance_look": "LookKey, LookGuid, CharacterKey, CharacterGuid, CharacterName, "
    "WorkKey, WorkTitle, WorkCode, SceneKey, SceneName, SceneOrdinal, LookLabel, LookType, "
    "PrimaryColorRef, SecondaryColorRef, MaterialRef, InsigniaRef, HairStyle, HairColor, "
    "FacialHair, MakeupOrMarkingsRef, ConditionRef, AccessoriesRef, ConfidenceScore, "
    "IsPrimaryLookInScene, EvidenceRef, Notes, FranchiseKey, FranchiseName, ValidFromUtc",
    "sem.vw_event": "EventKey, EventGuid, FranchiseKey, FranchiseName, ContinuityFrameKey, "
    "ContinuityFrameName, ContinuityFrameCode, WorkKey, WorkTitle, WorkCode, SceneKey, "
    "SceneName, SceneOrdinal, ParentEventKey, EventOrdinal, EventTypeKey, EventTypeName, "
    "EventTypeCode, VerbClass, VerbLemma, LocationKey, LocationName, StartSec, EndSec, EraKey, "
    "EraName, EraCode, UniverseYearMin, UniverseYearMax, DateKey, TimeKey, EventTimestampUtc, "
    "SummaryShort, SummaryNormalized, ConfidenceScore, ExtractionMethod, Notes, ValidFromUtc",
    "sem.vw_event_participant": "BridgeEventParticipantKey, ParticipantGuid, EventKey, "
    "EventGuid, EventSummary, EventOrdinal, EntityKey, EntityGuid, ParticipantName, "
    "ParticipantType, RoleInEvent, RoleSubtype, WeightClass, ParticipantOrdinal, "
    "ParticipationScore, Notes, WorkKey, WorkTitle, WorkCode, SceneKey, SceneName, "
    "FranchiseKey, FranchiseName, ValidFromUtc",
    "sem.vw_event_asset": "BridgeEventAssetKey, EventAssetGuid, EventKey, EventGuid, "
    "EventSummary, EventOrdinal, TechInstanceKey, TechInstanceGuid, AssetName, TechAssetKey, "
    "ModelName, AssetType, AssetRole, AssetRoleDetail, AssetOrdinal, Notes, WorkKey, WorkTitle, "
    "WorkCode, SceneKey, SceneName, FranchiseKey, FranchiseName, ValidFromUtc",
    "sem.vw_claim": "ClaimKey, ClaimGuid, FranchiseKey, FranchiseName, ContinuityFrameKey, "
    "ContinuityFrameName, ContinuityFrameCode, ClaimType, SubjectEntityKey, SubjectEntityGuid, "
    "SubjectName, SubjectType, Predicate, ObjectValue, ObjectValueType, WorkKey, WorkTitle, "
    "WorkCode, SceneKey, SceneName, ConfidenceScore, EvidenceRef, ExtractionMethod, Notes, "
    "ValidFromUtc",
    "sem.vw_continuity_issue": "ContinuityIssueKey, ContinuityIssueGuid, FranchiseKey, "
    "FranchiseName, ContinuityFrameKey, ContinuityFrameName, ContinuityFrameCode, IssueTypeKey, "
    "IssueTypeName, IssueTypeCode, IssueSummary, IssueDescription, Scope, WorkKey, WorkTitle, "
    "WorkCode, SceneKey, SceneName, SeverityScore, SeverityLabel, DisputeLevel, Status, "
    "ConfidenceScore, Notes, ValidFromUtc",
    "sem.vw_issue_claim_link": "BridgeContinuityIssueClaimKey, LinkGuid, ContinuityIssueKey, "
    "ContinuityIssueGuid, IssueSummary, SeverityLabel, IssueStatus, ClaimKey, ClaimGuid, "
    "SubjectName, Predicate, ObjectValue, ClaimConfidence, Role, Notes, FranchiseKey, "
    "FranchiseName, ValidFromUtc",
    # 4.2 page staging
    "sem.vw_CurrentPageClassification": "source_page_id, source_system, resource_id, variant, "
    "namespace, continuity_hint, content_hash_sha256, latest_ingest_id, page_created_utc, "
    "page_updated_utc, page_classification_id, taxonomy_version, primary_type, type_set_json, "
    "confidence_score, classification_method, model_name, classification_run_id, rationale, "
    "needs_review, suggested_tags_json, classification_utc, page_signals_id, lead_sentence, "
    "infobox_type, categories_json, is_list_page, is_disambiguation, has_timeline_markers, "
    "has_infobox, signals_extracted_utc",
    "sem.vw_PagesByType": "primary_type, taxonomy_version, page_count, avg_confidence, "
    "needs_review_count, rules_count, llm_count, hybrid_count",
    "sem.vw_PagesNeedingReview": "source_page_id, source_system, resource_id, variant, "
    "namespace, primary_type, confidence_score, classification_method, rationale, needs_review, "
    "lead_sentence, infobox_type, classification_utc",
    "sem.vw_TechnicalPages": "source_page_id, source_system, resource_id, namespace, "
    "primary_type, confidence_score, rationale, classification_utc",
    "sem.vw_EntityCandidates": "source_page_id, source_system, resource_id, variant, namespace, "
    "continuity_hint, primary_type, type_set_json, confidence_score, classification_method, "
    "rationale, suggested_tags_json, lead_sentence, infobox_type, categories_json, "
    "classification_utc",
    # 4.3 learner views
    "dbo.learn_characters": "CharacterId, CharacterName, SortName, Aliases, Description, "
    "Species, Gender, RoleArchetype, Homeworld, BirthPlace, BirthYear, DeathYear, Height, "
    "EyeColor, HairColor, SkinColor, IsCanonical, Franchise, CharacterKey, EntityKey",
    "dbo.learn_scenes": "SceneId, SceneName, SceneNumber, SceneType, WorkTitle, WorkCode, "
    "WorkType, StartSec, EndSec, DurationSec, LocationHint, Franchise, SceneKey, WorkKey",
    "dbo.learn_events": "EventId, EventSummary, EventType, EventTypeCode, VerbClass, WorkTitle, "
    "WorkCode, SceneName, SceneNumber, EventNumber, Location, StartSec, EndSec, EraName, "
    "EraCode, UniverseYearMin, UniverseYearMax, ConfidenceScore, ExtractionMethod, "
    "ContinuityFrame, Franchise, EventKey, SceneKey, WorkKey",
    "dbo.learn_event_participants": "ParticipantId, ParticipantName, ParticipantType, Role, "
    "RoleSubtype, Importance, ParticipantOrder, ParticipationScore, EventId, EventSummary, "
    "EventNumber, WorkTitle, WorkCode, SceneName, Franchise, EventKey, EntityKey",
    "dbo.learn_assets": "AssetId, AssetName, ModelName, AssetType, Manufacturer, SerialNumber, "
    "Status, LastKnownLocation, BuildInfo, Franchise, TechInstanceKey, TechAssetKey",
    "dbo.learn_locations": "LocationId, LocationName, LocationType, ParentLocation, "
    "ParentLocationType, RegionCode, Climate, Terrain, Population, Government, Description, "
    "Franchise, LocationKey, ParentLocationKey",
    "dbo.learn_continuity_issues": "IssueId, IssueSummary, Description, IssueType, "
    "IssueTypeCode, Severity, SeverityScore, DisputeLevel, Status, Scope, WorkTitle, WorkCode, "
    "SceneName, ConfidenceScore, ContinuityFrame, Franchise, ContinuityIssueKey",
    "dbo.learn_claims": "ClaimId, SubjectName, SubjectType, ClaimType, Predicate, Value, "
    "ValueType, ConfidenceScore, Evidence, ExtractionMethod, SourceWork, SourceWorkCode, "
    "SourceScene, ContinuityFrame, Franchise, ClaimKey",
    # 4.4 marts
    "dbo.mart_event_timeline": "EventKey, EventGuid, FranchiseKey, FranchiseName, "
    "ContinuityFrameKey, ContinuityFrameName, ContinuityFrameCode, WorkKey, WorkTitle, "
    "WorkCode, SceneKey, SceneName, SceneOrdinal, EventOrdinal, TimelineOrdinal, EventTypeKey, "
    "EventTypeName, EventTypeCode, VerbClass, LocationKey, LocationName, StartSec, EndSec, "
    "EraKey, EraName, EraCode, UniverseYearMin, UniverseYearMax, SummaryShort, "
    "SummaryNormalized, ConfidenceScore, ExtractionMethod, Notes",
    "dbo.mart_event_interactions": "BridgeEventParticipantKey, ParticipantGuid, EventKey, "
    "EventGuid, EventSummary, EventOrdinal, EntityKey, EntityGuid, ParticipantName, "
    "ParticipantType, RoleInEvent, RoleSubtype, WeightClass, ParticipantOrdinal, "
    "ParticipationScore, WorkKey, WorkTitle, WorkCode, SceneKey, SceneName, SceneOrdinal, "
    "EventTypeName, EventTypeCode, LocationName, ConfidenceScore, FranchiseKey, FranchiseName",
    "dbo.mart_asset_lifecycle": "BridgeEventAssetKey, EventAssetGuid, TechInstanceKey, "
    "TechInstanceGuid, AssetName, TechAssetKey, ModelName, AssetType, AssetRole, "
    "AssetRoleDetail, AssetOrdinal, EventKey, EventGuid, EventSummary, EventOrdinal, "
    "EventTypeName, EventTypeCode, WorkKey, WorkTitle, WorkCode, SceneKey, SceneName, "
    "SceneOrdinal, StartSec, EndSec, LocationName, ConfidenceScore, FranchiseKey, "
    "FranchiseName, TimelineOrdinal",
    "dbo.mart_character_profile": "CharacterKey, CharacterGuid, EntityKey, EntityGuid, "
    "CharacterName, CharacterNameNormalized, SortName, Aliases, SummaryShort, SpeciesKey, "
    "SpeciesName, Gender, Pronouns, RoleArchetype, BirthRef, DeathRef, BirthPlaceRef, "
    "HomeworldRef, HeightRef, EyeColor, HairColor, SkinColor, IsCanonical, FranchiseKey, "
    "FranchiseName, EventParticipationCount, AppearanceCount",
    "dbo.mart_character_appearance_timeline": "CharacterKey, CharacterGuid, CharacterName, "
    "WorkKey, WorkTitle, WorkCode, SceneKey, SceneName, SceneOrdinal, LookKey, LookGuid, "
    "LookLabel, LookType, ConditionRef, IsPrimaryLookInScene, ConfidenceScore, StartSec, "
    "EndSec, DurationSec, LocationHint, FranchiseKey, FranchiseName",
    "dbo.mart_location_event_rollup": "LocationKey, LocationGuid, EntityKey, LocationName, "
    "LocationNameNormalized, LocationType, ParentLocationKey, ParentLocationName, "
    "ParentLocationType, RegionCode, ClimateRef, TerrainRef, PopulationRef, FranchiseKey, "
    "FranchiseName, EventCount",
    "dbo.mart_scene_event_density": "SceneKey, SceneGuid, WorkKey, WorkTitle, WorkCode, "
    "WorkType, SceneOrdinal, SceneName, SceneType, StartSec, EndSec, DurationSec, LocationHint, "
    "FranchiseKey, FranchiseName, EventCount, EventsPerMinute, MinEventOrdinal, "
    "MaxEventOrdinal, DistinctEventTypes, DistinctParticipants",
    "dbo.mart_continuity_issue_dashboard": "ContinuityIssueKey, ContinuityIssueGuid, "
    "FranchiseKey, FranchiseName, ContinuityFrameKey, ContinuityFrameName, ContinuityFrameCode, "
    "IssueTypeKey, IssueTypeName, IssueTypeCode, IssueSummary, IssueDescription, Scope, WorkKey, "
    "WorkTitle, WorkCode, SceneKey, SceneName, SeverityScore, SeverityLabel, DisputeLevel, "
    "Status, ConfidenceScore, LinkedClaimCount, ConflictingClaimCount, SupportingClaimCount",
    "dbo.mart_trench_run_events": _EVENT_WINDOW,
    "dbo.mart_duel_of_fates_events": _EVENT_WINDOW,
    # 4.5 promotion and tagging
    "dbo.vw_PromotedEntities": "EntityKey, EntityGuid, DisplayName, EntityType, PromotionState, "
    "PromotionDecisionUtc, PromotionDecidedBy, PromotionReason, PrimaryTypeInferred, "
    "TypeSetJsonInferred, SourcePageId, FranchiseKey, ConfidenceScore, IsCanonical, "
    "SourceSystem, SourceRef, CreatedUtc, UpdatedUtc",
    "dbo.vw_StagedEntities": "EntityKey, EntityGuid, DisplayName, EntityType, PromotionState, "
    "PrimaryTypeInferred, TypeSetJsonInferred, SourcePageId, ConfidenceScore, SourceSystem, "
    "SourceRef, CreatedUtc, PageTitle, PageNamespace, PageContinuity, ClassificationConfidence, "
    "ClassificationRationale",
    "dbo.vw_TagAssignments": "AssignmentId, TagKey, TagType, TagName, TagDisplayName, "
    "TagVisibility, TargetType, TargetId, Weight, Confidence, AssignmentMethod, AssignedUtc",
    # 4.6 live ingest views
    "ingest.vw_WorkItems_Recent": "work_item_id, source_system, source_name, resource_type, "
    "resource_id, variant, request_uri, request_method, status, priority, retry_count, rank, "
    "created_at, updated_at, error_message, error_type, run_id",
    "ingest.vw_LatestSuccessfulFetch": "ingest_id, source_system, source_name, resource_type, "
    "resource_id, variant, request_uri, request_method, status_code, content_type, "
    "content_length, file_path, hash_sha256, fetched_at_utc, duration_ms, error_message, "
    "error_type, work_item_id, run_id",
    "ingest.vw_WorkItems_QueueSummary": "source_system, source_name, status, variant, "
    "item_count, oldest_item, newest_item, items_with_retries, max_retries",
    # 4.7 llm queue health
    "llm.vw_queue_health": "status, job_count, avg_age_minutes, min_age_minutes, "
    "max_age_minutes, jobs_over_1h, jobs_over_4h, jobs_over_24h",
    "llm.vw_queue_health_by_type": "interrogation_key, status, job_count, avg_priority, "
    "avg_age_minutes, max_age_minutes, avg_attempts, exhausted_retries",
    "llm.vw_queue_aged_jobs": "job_id, interrogation_key, status, priority, attempt_count, "
    "max_attempts, created_utc, age_minutes, age_severity, last_error",
    "llm.vw_queue_summary_by_priority": "priority_band, status, job_count, avg_age_minutes",
}


def _batches() -> list[tuple[str, str]]:
    """(file name, batch text) for every batch of every view file, in application order."""
    found = []
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        for batch in dialect.split_batches(path.read_text(encoding="utf-8")):
            if batch.strip():
                found.append((path.name, batch))
    return found


def _parse(batch: str) -> exp.Create:
    return sqlglot.parse_one(batch, read="tsql", error_level=sqlglot.ErrorLevel.RAISE)


def _view_name(tree: exp.Create) -> str:
    table = tree.this
    return f"{table.db}.{table.name}"


BATCHES = _batches()


# --- (a) the source ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "batch", [b for _, b in BATCHES], ids=[f"{f}:{_view_name(_parse(b))}" for f, b in BATCHES]
)
def test_each_batch_is_one_create_view_in_tsql(batch):
    tree = _parse(batch)
    assert isinstance(tree, exp.Create) and tree.kind == "VIEW"
    assert tree.this.db, "the view name must be schema-qualified"
    # Views have no ORDER BY of their own (window ORDER BYs are allowed).
    assert tree.expression.args.get("order") is None
    for table in tree.find_all(exp.Table):
        if table.name in {cte.alias for cte in tree.find_all(exp.CTE)}:
            continue
        assert table.db, f"{table.name} is not schema-qualified in {_view_name(tree)}"


def test_view_files_are_numbered_groups():
    names = [p.name for p in sorted(VIEWS_DIR.glob("*.sql"))]
    assert names, "no view files found"
    for name in names:
        prefix, _, group = name.partition("_")
        assert len(prefix) == 2 and prefix.isdigit() and group.endswith(".sql"), name


# --- (b) the set of views ---------------------------------------------------------------


def test_views_are_exactly_the_live_views():
    names = [_view_name(_parse(b)) for _, b in BATCHES]
    assert len(names) == len(set(names)), "a view is defined twice"
    assert set(names) == set(EXPECTED_COLUMNS)
    assert len(names) == 50


def test_no_legacy_dbo_sem_views():
    names = {_view_name(_parse(b)) for _, b in BATCHES}
    assert not [n for n in names if n.startswith("dbo.sem_")]


def test_learn_and_mart_views_read_only_the_semantic_layer():
    for _, batch in BATCHES:
        tree = _parse(batch)
        name = _view_name(tree)
        if name.startswith(("dbo.learn_", "dbo.mart_")):
            sources = {f"{t.db}.{t.name}" for t in tree.find_all(exp.Table)} - {name}
            assert sources and all(s.startswith("sem.vw_") for s in sources), (name, sources)


def test_views_come_after_the_views_they_read():
    defined: set[str] = set()
    for _, batch in BATCHES:
        tree = _parse(batch)
        name = _view_name(tree)
        reads = {f"{t.db}.{t.name}" for t in tree.find_all(exp.Table)} - {name}
        later = {r for r in reads if r in EXPECTED_COLUMNS and r not in defined}
        assert not later, f"{name} reads {sorted(later)} before they are defined"
        defined.add(name)


# --- (c) applied on DuckDB --------------------------------------------------------------


def _fresh_database() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    dialect.configure_session(con)
    schema.apply_schema(con)
    return con


@pytest.fixture(scope="module")
def empty_db():
    con = _fresh_database()
    yield con
    con.close()


@pytest.mark.parametrize("view", list(EXPECTED_COLUMNS))
def test_view_exists_with_expected_columns_in_order(empty_db, view):
    cursor = empty_db.execute(f"SELECT * FROM {view} LIMIT 0")
    assert [d[0] for d in cursor.description] == EXPECTED_COLUMNS[view].split(", ")


def test_every_view_is_empty_on_an_empty_database(empty_db):
    # Aggregating views must not invent a row (e.g. a global aggregate without GROUP BY).
    for view in EXPECTED_COLUMNS:
        assert empty_db.execute(f"SELECT COUNT(*) FROM {view}").fetchone()[0] == 0, view


# --- (d) behaviour on hand-inserted rows ------------------------------------------------


class Sql(str):
    """A DuckDB expression to insert as written, not as a bound value."""


_FILLERS = {
    "VARCHAR": "x",
    "BLOB": b"\x00",
    "BOOLEAN": False,
    "DATE": "2000-01-01",
}


def _filler(data_type: str):
    if data_type in _FILLERS:
        return _FILLERS[data_type]
    if data_type.startswith("TIMESTAMP"):
        return "2000-01-01 00:00:00"
    if data_type == "UUID":
        return Sql("uuid()")
    return 0  # integers and decimals


def _insert(con, table: str, **values) -> None:
    """Insert one row; NOT NULL columns without a default and not given get a filler value."""
    schema_name, table_name = table.split(".")
    columns = con.execute(
        "SELECT column_name, is_nullable, column_default, data_type FROM duckdb_columns() "
        "WHERE schema_name = ? AND table_name = ?",
        [schema_name, table_name],
    ).fetchall()
    assert columns, f"{table} does not exist"
    row = dict(values)
    for name, nullable, default, data_type in columns:
        if name not in row and not nullable and default is None:
            row[name] = _filler(data_type)
    names = ", ".join(f'"{n}"' for n in row)
    marks = ", ".join(str(v) if isinstance(v, Sql) else "?" for v in row.values())
    params = [v for v in row.values() if not isinstance(v, Sql)]
    con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", params)


def _ago(minutes: int) -> Sql:
    return Sql(f"SYSUTCDATETIME() - INTERVAL {minutes} MINUTE")


def _seed_dimensional(con) -> None:
    _insert(con, "dbo.DimFranchise", FranchiseKey=1, Name="Star Wars", UniverseCode="SW")
    _insert(
        con, "dbo.DimContinuityFrame", ContinuityFrameKey=1, FranchiseKey=1,
        FrameName="Canon", FrameCode="CANON",
    )
    _insert(con, "dbo.DimWork", WorkKey=1, FranchiseKey=1, WorkType="Film",
            Title="A New Hope", WorkCode="ANH")
    # Scene 1 has two minutes and an event, scene 2 no duration, scene 3 no events.
    for key, ordinal, duration in ((1, 44, 120), (2, 43, 0), (3, 60, None)):
        _insert(con, "dbo.DimScene", SceneKey=key, WorkKey=1, SceneOrdinal=ordinal,
                SceneName=f"Scene {ordinal}", SceneType="Action", DurationSec=duration)
    _insert(con, "dbo.DimEventType", EventTypeKey=1, FranchiseKey=1, EventTypeName="Attack",
            EventTypeCode="ATTACK", VerbClass="Combat", VerbLemma="attack")
    entities = (
        (1, "Character", "Luke Skywalker", True, True),
        (2, "Character", "Luke Skywalker (superseded)", True, False),
        (3, "Species", "Human", False, True),
        (4, "Species", "Wookiee", True, True),
        (5, "Character", "Chewbacca", True, True),
    )
    for key, kind, name, active, latest in entities:
        _insert(con, "dbo.DimEntity", EntityKey=key, FranchiseKey=1, EntityType=kind,
                DisplayName=name, IsActive=active, IsLatest=latest)
    _insert(con, "dbo.DimSpecies", SpeciesKey=1, EntityKey=3, Category="Sentient")
    _insert(con, "dbo.DimSpecies", SpeciesKey=2, EntityKey=4, Category="Sentient")
    _insert(con, "dbo.DimCharacter", CharacterKey=1, EntityKey=1, SpeciesKey=1)
    _insert(con, "dbo.DimCharacter", CharacterKey=2, EntityKey=2)
    _insert(con, "dbo.DimCharacter", CharacterKey=3, EntityKey=5, SpeciesKey=2)
    events = ((1, 1, 7, True), (2, 2, 1, True), (3, 1, 8, False))
    for key, scene, ordinal, latest in events:
        _insert(con, "dbo.FactEvent", EventKey=key, FranchiseKey=1, ContinuityFrameKey=1,
                WorkKey=1, SceneKey=scene, EventOrdinal=ordinal, EventTypeKey=1,
                SummaryShort=f"Event {key}", ConfidenceScore=0.9, ExtractionMethod="Manual",
                IsLatest=latest)
    for key, entity in ((1, 1), (2, 5)):
        _insert(con, "dbo.BridgeEventParticipant", BridgeEventParticipantKey=key, EventKey=1,
                EntityKey=entity, RoleInEvent="Pilot", WeightClass="Primary")


# (status, minutes old, priority, attempt_count)
_JOBS = (
    ("NEW", 31, 250, 0),
    ("NEW", 90, 101, 0),
    ("NEW", 300, 199, 1),
    ("NEW", 1500, 75, 3),
    ("RUNNING", 100, 10, 1),
    ("SUCCEEDED", 2000, 50, 1),
)


def _seed_queue(con) -> None:
    for status, minutes, priority, attempts in _JOBS:
        _insert(con, "llm.job", status=status, created_utc=_ago(minutes), priority=priority,
                attempt_count=attempts, max_attempts=3,
                interrogation_key="page_classification_v1", input_json="{}")


def _seed_ingest(con) -> None:
    for item, days in (("recent", 10), ("old", 100)):
        _insert(con, "ingest.work_items", work_item_id=item, status="completed",
                created_at=Sql(f"SYSUTCDATETIME() - INTERVAL {days} DAY"),
                updated_at=Sql("SYSUTCDATETIME()"), dedupe_key=item, attempt=1)
    fetches = (("older-200", 200, 3), ("newest-200", 204, 2), ("newer-500", 500, 1))
    for name, code, hours in fetches:
        _insert(con, "ingest.IngestRecords", source_system="mediawiki",
                source_name="wookieepedia", resource_type="page", resource_id="Tatooine",
                variant="raw", status_code=code, payload=name, error_message=name,
                fetched_at_utc=Sql(f"SYSUTCDATETIME() - INTERVAL {hours} HOUR"))


@pytest.fixture(scope="module")
def sample_db():
    con = _fresh_database()
    _seed_dimensional(con)
    _seed_queue(con)
    _seed_ingest(con)
    yield con
    con.close()


def _rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_superseded_and_inactive_rows_are_left_out(sample_db):
    rows = _rows(sample_db, "SELECT CharacterKey, SpeciesName FROM sem.vw_character "
                            "ORDER BY CharacterKey")
    # Character 2's entity is not the latest version; character 1 keeps its row although
    # its species' entity is inactive (an optional join), it just has no species name.
    assert rows == [
        {"CharacterKey": 1, "SpeciesName": None},
        {"CharacterKey": 3, "SpeciesName": "Wookiee"},
    ]
    assert sample_db.execute("SELECT COUNT(*) FROM dbo.learn_characters").fetchone()[0] == 2
    assert sample_db.execute("SELECT COUNT(*) FROM sem.vw_species").fetchone()[0] == 1


def test_event_timeline_ordinal(sample_db):
    rows = _rows(sample_db, "SELECT EventKey, SceneOrdinal, EventOrdinal, TimelineOrdinal "
                            "FROM dbo.mart_event_timeline ORDER BY EventKey")
    assert rows == [
        {"EventKey": 1, "SceneOrdinal": 44, "EventOrdinal": 7, "TimelineOrdinal": 44007},
        {"EventKey": 2, "SceneOrdinal": 43, "EventOrdinal": 1, "TimelineOrdinal": 43001},
    ]


def test_trench_run_keeps_its_scenes_and_numbers_from_scene_44(sample_db):
    rows = _rows(sample_db, "SELECT EventKey, SequenceOrdinal FROM dbo.mart_trench_run_events")
    assert rows == [{"EventKey": 1, "SequenceOrdinal": 7}]


def test_scene_density(sample_db):
    rows = _rows(
        sample_db,
        "SELECT SceneKey, EventCount, EventsPerMinute, MinEventOrdinal, DistinctParticipants "
        "FROM dbo.mart_scene_event_density ORDER BY SceneKey",
    )
    assert [r["EventCount"] for r in rows] == [1, 1, 0]
    assert float(rows[0]["EventsPerMinute"]) == pytest.approx(0.5)
    assert rows[1]["EventsPerMinute"] is None  # DurationSec = 0
    assert rows[2]["EventsPerMinute"] is None  # DurationSec is NULL
    assert [r["DistinctParticipants"] for r in rows] == [2, 0, None]
    assert rows[2]["MinEventOrdinal"] is None


def test_character_profile_counts_participation(sample_db):
    rows = _rows(sample_db, "SELECT CharacterKey, EventParticipationCount, AppearanceCount "
                            "FROM dbo.mart_character_profile ORDER BY CharacterKey")
    assert rows == [
        {"CharacterKey": 1, "EventParticipationCount": 1, "AppearanceCount": 0},
        {"CharacterKey": 3, "EventParticipationCount": 1, "AppearanceCount": 0},
    ]


def test_queue_health_counts_per_status_with_integer_averages(sample_db):
    rows = {r["status"]: r for r in _rows(sample_db, "SELECT * FROM llm.vw_queue_health")}
    assert set(rows) == {"NEW", "RUNNING", "SUCCEEDED"}
    new = rows["NEW"]
    assert new["job_count"] == 4
    # A minute boundary may pass between insert and query, shifting every age alike, so
    # compare with the youngest: offsets 0, 59, 269, 1469 average 449.25, truncated to 449.
    assert new["min_age_minutes"] in (31, 32)
    assert isinstance(new["avg_age_minutes"], int)
    assert new["avg_age_minutes"] - new["min_age_minutes"] == 449
    assert new["max_age_minutes"] - new["min_age_minutes"] == 1469
    assert (new["jobs_over_1h"], new["jobs_over_4h"], new["jobs_over_24h"]) == (3, 2, 1)
    assert rows["RUNNING"]["job_count"] == 1


def test_queue_health_by_type_truncates_averages(sample_db):
    rows = _rows(sample_db, "SELECT * FROM llm.vw_queue_health_by_type WHERE status = 'NEW'")
    assert len(rows) == 1
    new = rows[0]
    assert new["avg_priority"] == 156  # (250 + 101 + 199 + 75) / 4 = 156.25
    assert new["avg_attempts"] == 1  # (0 + 0 + 1 + 3) / 4 = 1.0
    assert new["exhausted_retries"] == 1


def test_aged_jobs_severity_bands(sample_db):
    rows = _rows(sample_db, "SELECT status, priority, age_severity FROM llm.vw_queue_aged_jobs")
    # Only waiting or running jobs older than an hour are listed.
    assert {(r["status"], r["priority"], r["age_severity"]) for r in rows} == {
        ("NEW", 101, "elevated"),
        ("NEW", 199, "warning"),
        ("NEW", 75, "critical"),
        ("RUNNING", 10, "elevated"),
    }


def test_priority_bands(sample_db):
    rows = _rows(sample_db, "SELECT priority_band, status, job_count "
                            "FROM llm.vw_queue_summary_by_priority")
    assert {(r["priority_band"], r["status"], r["job_count"]) for r in rows} == {
        ("urgent (200+)", "NEW", 1),
        ("normal (100-199)", "NEW", 2),
        ("backfill (50-99)", "NEW", 1),
        ("low (<50)", "RUNNING", 1),
        ("backfill (50-99)", "SUCCEEDED", 1),
    }


def test_recent_work_items_cover_90_days(sample_db):
    rows = _rows(sample_db, "SELECT work_item_id, retry_count FROM ingest.vw_WorkItems_Recent")
    assert rows == [{"work_item_id": "recent", "retry_count": 1}]


def test_latest_successful_fetch_is_the_newest_2xx(sample_db):
    rows = _rows(sample_db, "SELECT status_code, error_message "
                            "FROM ingest.vw_LatestSuccessfulFetch")
    assert rows == [{"status_code": 204, "error_message": "newest-200"}]


def test_queue_summary_counts_retried_items(sample_db):
    rows = _rows(sample_db, "SELECT status, item_count, items_with_retries, max_retries "
                            "FROM ingest.vw_WorkItems_QueueSummary")
    assert rows == [
        {"status": "completed", "item_count": 2, "items_with_retries": 2, "max_retries": 1}
    ]
