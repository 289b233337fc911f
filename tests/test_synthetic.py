"""The synthetic generator: deterministic, scalable, shaped like the real seed set, consistent."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from holocron_lib.schema.ddl import load_schema_model
from holocron_lib.synthetic import generate, write_seed_dir
from holocron_lib.synthetic.lakedocs import dumps

AS_OF = datetime(2026, 3, 1)
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
LOADER_FILLED = {"RowHash", "ValidFromUtc", "CreatedUtc", "IsActive", "IsLatest", "VersionNum"}
REFERENCE = ("dbo.DimFranchise", "dbo.DimContinuityFrame", "dbo.DimEra", "dbo.DimIssueType",
             "dbo.DimEventType")
# (table, low, high) at scale 1: the real seed set's sizes with a little slack
REAL_RANGES = (
    ("dbo.DimFranchise", 1, 1), ("dbo.DimIssueType", 10, 10), ("dbo.DimContinuityFrame", 3, 3),
    ("dbo.DimEra", 9, 9), ("dbo.DimWork", 180, 195), ("dbo.DimEventType", 52, 52),
    ("dbo.DimEntity", 800, 850), ("dbo.DimCharacter", 150, 170), ("dbo.DimSpecies", 95, 105),
    ("dbo.DimLocation", 210, 230), ("dbo.DimOrganization", 50, 60),
    ("dbo.DimTechAsset", 120, 135), ("dbo.DimTechInstance", 270, 290),
    ("dbo.DimScene", 190, 210), ("dbo.FactEvent", 1200, 1250), ("dbo.ContinuityIssue", 50, 50),
    ("dbo.FactClaim", 600, 640), ("dbo.BridgeEventParticipant", 2300, 2700),
    ("dbo.BridgeEventAsset", 600, 850), ("dbo.BridgeContinuityIssueClaim", 170, 180),
    ("llm.job", 300, 600),
)


@pytest.fixture(scope="module")
def tables():
    ordered, _lake = generate(scale=1, seed=42, as_of=AS_OF)
    return {t.qualified: t for t in ordered}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    paths = write_seed_dir(root / "seeds", scale=1, seed=42, as_of=AS_OF, lake_root=root / "lake")
    return root, paths


@pytest.fixture(scope="module")
def model():
    return load_schema_model()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_arguments_give_byte_identical_seed_and_lake_files(written, tmp_path):
    root, _paths = written
    write_seed_dir(tmp_path / "seeds", scale=1, seed=42, as_of=AS_OF, lake_root=tmp_path / "lake")
    first, second = _tree(root), _tree(tmp_path)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert sum(1 for name in first if name.startswith("lake/")) > 500


def test_another_seed_gives_other_data(tables):
    other, _ = generate(scale=1, seed=7, as_of=AS_OF)
    other = {t.qualified: t for t in other}
    assert other["dbo.FactEvent"].rows != tables["dbo.FactEvent"].rows
    assert len(other["dbo.FactEvent"].rows) == len(tables["dbo.FactEvent"].rows)


def test_files_follow_the_seed_format_and_load_order(written):
    _root, paths = written
    names = [p.name for p in paths]
    assert names[0] == "001_DimFranchise.json"
    assert names[23] == "024_BridgeContinuityIssueClaim.json"
    assert "040_llm.job.json" in names
    for path in paths:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["seedVersion"] == "0.1.0"
        assert doc["generatedUtc"] == "2026-03-01T00:00:00Z"
        assert doc["target"]["loadBehavior"] == "truncate-insert"
        assert doc["options"] == {"allowIdentityInsert": False, "ignoreUnknownFields": False,
                                  "defaults": {"IsActive": True, "IsLatest": True,
                                               "VersionNum": 1}}
        schema = doc["target"]["schema"]
        expected = (f"{doc['target']['table']}.json" if schema == "dbo"
                    else f"{schema}.{doc['target']['table']}.json")
        assert path.name[4:] == expected
        assert doc["rows"], path.name


def test_dbo_rows_carry_guid_and_provenance_but_no_identity_key(tables, model):
    for name, table in tables.items():
        if not name.startswith("dbo."):
            continue
        spec = model.table(name)
        identity = spec.identity_column
        guid_column = spec.columns[1 if identity else 0].name  # the GUID follows the key
        guids = [row.get(guid_column) for row in table.rows]
        assert all(isinstance(g, str) and GUID.match(g) for g in guids), name
        assert len(set(guids)) == len(guids), name
        if identity is not None:
            assert all(identity.name not in row for row in table.rows), name
        if spec.has_governance:
            file_name = f"{table.table}.json"
            assert all(row["SourceSystem"] == "seed_loader" for row in table.rows), name
            assert all(row["SourceRef"].endswith(file_name) for row in table.rows), name
            assert all(row["Notes"] for row in table.rows), name


def test_every_emitted_column_exists_and_required_columns_are_given(tables, model):
    for name, table in tables.items():
        spec = model.table(name)
        known = {c.name for c in spec.columns}
        emitted = set().union(*(row.keys() for row in table.rows))
        assert emitted <= known, (name, emitted - known)
        for column in spec.columns:
            if column.identity or column.nullable or column.default is not None:
                continue
            if spec.has_governance and column.name in LOADER_FILLED:
                continue
            missing = [n for n, row in enumerate(table.rows, 1) if row.get(column.name) is None]
            assert missing == [], (name, column.name, missing[:5])


def test_integer_foreign_keys_point_at_existing_row_numbers(tables, model):
    checked = 0
    for name, table in tables.items():
        for fk in model.table(name).foreign_keys:
            parent = model.table(fk.ref_table)
            identity = parent.identity_column
            if len(fk.columns) != 1 or identity is None or fk.ref_columns != (identity.name,):
                continue
            size = len(tables[fk.ref_table].rows) if fk.ref_table in tables else 0
            values = [row.get(fk.columns[0]) for row in table.rows]
            bad = [v for v in values if v is not None and not 1 <= v <= size]
            assert bad == [], (name, fk.columns[0], bad[:5])
            checked += 1
    assert checked >= 40


def test_scenes_belong_to_the_work_they_are_cited_with(tables):
    work_of_scene = {k: row["WorkKey"] for k, row in enumerate(tables["dbo.DimScene"].rows, 1)}
    for name in ("dbo.FactEvent", "dbo.FactClaim", "dbo.ContinuityIssue",
                 "dbo.DimAppearanceLook"):
        rows = [r for r in tables[name].rows if r.get("SceneKey")]
        assert rows, name
        assert all(work_of_scene[r["SceneKey"]] == r["WorkKey"] for r in rows), name


@pytest.mark.parametrize("name, columns", [
    ("dbo.DimEntity", ("FranchiseKey", "DisplayName", "EntityType")),
    ("dbo.DimWork", ("WorkCode",)),
    ("dbo.DimScene", ("WorkKey", "SceneOrdinal")),
    ("dbo.DimTechAsset", ("FranchiseKey", "ModelName")),
    ("dbo.DimWeaponModel", ("TechAssetKey",)),
    ("dbo.FactEvent", ("FranchiseKey", "WorkKey", "SceneKey", "EventOrdinal")),
    ("dbo.FactClaim", ("SubjectEntityKey", "Predicate")),
    ("dbo.ContinuityIssue", ("FranchiseKey", "ContinuityFrameKey", "IssueSummary")),
    ("dbo.BridgeEventParticipant", ("EventKey", "EntityKey", "RoleInEvent")),
    ("dbo.BridgeEventAsset", ("EventKey", "TechInstanceKey")),
    ("dbo.BridgeContinuityIssueClaim", ("ContinuityIssueKey", "ClaimKey")),
    ("sem.SourcePage", ("source_system", "resource_id", "variant")),
    ("ingest.work_items", ("dedupe_key",)),
    ("llm.evidence_item", ("bundle_id", "evidence_id")),
])
def test_unique_indexes_hold(tables, name, columns):
    keys = Counter(tuple(row.get(c) for c in columns) for row in tables[name].rows)
    assert [k for k, n in keys.items() if n > 1] == []


@pytest.mark.slow
def test_work_item_dedupe_keys_stay_unique_at_a_larger_scale():
    # scale 3 drew a discovered title twice before titles were checked against those taken
    ordered, _lake = generate(scale=3, seed=42, as_of=AS_OF)
    items = next(t for t in ordered if t.qualified == "ingest.work_items").rows
    keys = Counter(row["dedupe_key"].lower() for row in items)
    assert [k for k, n in keys.items() if n > 1] == []


def test_a_discovered_title_is_redrawn_only_when_taken():
    from holocron_lib.synthetic.base import Rand
    from holocron_lib.synthetic.staging import _new_title

    first = _new_title(Rand(7, "titles"), set())
    taken = {first.lower()}
    again = _new_title(Rand(7, "titles"), taken)
    assert again != first and again.lower() in taken and len(taken) == 2


def test_job_dedupe_keys_are_unique_per_job_type(tables):
    jobs = tables["llm.job"].rows
    keyed = [(j["interrogation_key"], j["dedupe_key"]) for j in jobs if j["dedupe_key"]]
    assert len(keyed) == len(set(keyed))
    assert any(key.startswith("entity_classify:") for _, key in keyed)


@pytest.mark.parametrize("name, low, high", REAL_RANGES, ids=[r[0] for r in REAL_RANGES])
def test_scale_one_matches_the_real_seed_set_size(tables, name, low, high):
    assert low <= len(tables[name].rows) <= high


def test_scale_two_doubles_the_data_but_not_the_reference_tables(tables):
    double, _ = generate(scale=2, seed=42, as_of=AS_OF)
    double = {t.qualified: t for t in double}
    for name in REFERENCE:
        assert double[name].rows == tables[name].rows
    for name in ("dbo.FactEvent", "dbo.FactClaim", "dbo.DimEntity", "llm.job"):
        ratio = len(double[name].rows) / len(tables[name].rows)
        assert 1.8 <= ratio <= 2.2, (name, ratio)
    names = Counter((r["DisplayName"], r["EntityType"]) for r in double["dbo.DimEntity"].rows)
    assert max(names.values()) == 1


def test_real_key_layout_is_kept(tables):
    entities = tables["dbo.DimEntity"].rows
    assert entities[0]["DisplayName"] == "Luke Skywalker"
    assert Counter(e["EntityType"] for e in entities[:42]) == {"Character": 42}
    species = tables["dbo.DimSpecies"].rows
    assert entities[species[0]["EntityKey"] - 1]["DisplayName"] == "Wookiee"
    works = tables["dbo.DimWork"].rows
    assert [w["WorkCode"] for w in works[:6]] == ["TPM", "AOTC", "ROTS", "ANH", "ESB", "ROTJ"]
    assert works[153]["WorkCode"] == "GM-LEG-006"
    events = tables["dbo.FactEvent"].rows
    assert all(e["SummaryShort"].endswith(")") and " in " in e["SummaryShort"] for e in events)
    primaries = Counter(p["EventKey"] for p in tables["dbo.BridgeEventParticipant"].rows
                        if p["WeightClass"] == "Primary")
    assert len(primaries) == len(events) and set(primaries.values()) == {1}


def test_promotion_states_feed_both_entity_views(tables):
    states = Counter(e["PromotionState"] for e in tables["dbo.DimEntity"].rows)
    assert states["promoted"] > len(tables["dbo.DimEntity"].rows) / 2
    assert states["staged"] and states["candidate"] and states["suppressed"]


def test_every_job_status_is_present_with_aged_queue_entries(tables):
    jobs = tables["llm.job"].rows
    assert {j["status"] for j in jobs} == {"NEW", "RUNNING", "SUCCEEDED", "FAILED", "DEADLETTER"}
    assert {j["interrogation_key"] for j in jobs} == {
        "page_classification_v1", "sw_entity_facts_v1", "entity_extraction_droid_v1",
        "entity_extraction_generic_v1", "relationship_extraction_v1"}
    for status in ("NEW", "RUNNING"):
        ages = [AS_OF - datetime.fromisoformat(j["created_utc"]) for j in jobs
                if j["status"] == status]
        assert all(age > timedelta(0) for age in ages)
        for hours in (1, 4, 24):
            assert any(age > timedelta(hours=hours) for age in ages), (status, hours)
        assert any(age < timedelta(hours=1) for age in ages), status
    created = [datetime.fromisoformat(j["created_utc"]) for j in jobs]
    assert AS_OF - min(created) > timedelta(days=21)
    retried = [j for j in jobs if j["attempt_count"] > 1]
    assert retried and all(j["last_error"] for j in retried)
    bands = {("urgent" if p >= 200 else "normal" if p >= 100 else "backfill" if p >= 50
              else "low") for p in (j["priority"] for j in jobs)}
    assert bands == {"urgent", "normal", "backfill", "low"}


def test_runs_match_their_jobs(tables):
    jobs = {j["job_id"]: j for j in tables["llm.job"].rows}
    runs = tables["llm.run"].rows
    per_job = Counter(r["job_id"] for r in runs)
    for job_id, job in jobs.items():
        assert per_job.get(job_id, 0) == job["attempt_count"]
    by_id = {r["run_id"]: r for r in runs}
    assert all(by_id[r["parent_run_id"]]["job_id"] == r["job_id"]
               for r in runs if r["parent_run_id"])
    assert all(r["error"] for r in runs if r["status"] == "FAILED")
    assert all(r["completed_utc"] is None for r in runs if r["status"] == "RUNNING")
    artifacts = {a["artifact_id"]: a for a in tables["llm.artifact"].rows}
    for run in runs:
        for column, kind in (("request_artifact_id", "request_json"),
                             ("response_artifact_id", "response_json"),
                             ("output_artifact_id", "parsed_output"),
                             ("prompt_rendered_artifact_id", "prompt_text")):
            if run[column]:
                assert artifacts[run[column]]["run_id"] == run["run_id"]
                assert artifacts[run[column]]["artifact_type"] == kind


def test_lake_files_match_their_artifact_rows(tables, written):
    root, _ = written
    lake = root / "lake"
    rows = tables["llm.artifact"].rows
    with_lake = [a for a in rows if a["lake_uri"]]
    assert with_lake and any(a["stored_in_sql"] for a in with_lake)
    assert any(not a["stored_in_sql"] for a in with_lake)
    for artifact in with_lake:
        data = (lake / artifact["lake_uri"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == artifact["content_sha256"]
        assert len(data) == artifact["byte_count"]
        if artifact["content"] is not None:
            assert artifact["content"].encode("utf-8") == data
    folders = {a["lake_uri"].rsplit("/", 2)[0] for a in with_lake}
    assert all(re.fullmatch(r"\d{4}/\d{2}/\d{2}", f) for f in folders)
    run_dirs = {a["lake_uri"].split("/")[3] for a in with_lake}
    assert all(d == d.upper() for d in run_dirs)


def test_evidence_json_has_the_documented_shape(tables, written):
    root, _ = written
    bundles = {b["bundle_id"]: b for b in tables["llm.evidence_bundle"].rows}
    evidence = [a for a in tables["llm.artifact"].rows
                if a["artifact_type"] == "evidence_bundle" and a["lake_uri"]]
    for artifact in evidence[:50]:
        doc = json.loads((root / "lake" / artifact["lake_uri"]).read_text(encoding="utf-8"))
        assert {"bundle_id", "created_utc", "build_version", "policy", "items",
                "summary"} <= doc.keys()
        assert doc["policy"]["max_items"] == 50 and doc["build_version"] == "2.0"
        assert doc["summary"]["item_count"] == len(doc["items"])
        bundle = bundles[doc["bundle_id"]]
        assert json.loads(bundle["policy_json"]) == doc["policy"]
        for item in doc["items"]:
            assert hashlib.sha256(item["content"].encode()).hexdigest() == item["content_sha256"]
    items = tables["llm.evidence_item"].rows
    assert all(re.match(r"^(inline:\d+|lake:[0-9a-f]+:\d+|sql:[0-9a-f]+:\d+|doc:[0-9a-f]+:\d+|"
                        r"sqldef:[0-9a-f]+)$", i["evidence_id"]) for i in items)


def test_claims_point_at_real_evidence_bundles(tables):
    bundles = {b["bundle_id"] for b in tables["llm.evidence_bundle"].rows}
    cited = [c["EvidenceBundleGuid"] for c in tables["dbo.FactClaim"].rows
             if c["EvidenceBundleGuid"]]
    assert len(cited) > len(tables["dbo.FactClaim"].rows) / 4
    assert set(cited) <= bundles
    relations = tables["dbo.BridgeEntityRelation"].rows
    guids = {e["EntityGuid"] for e in tables["dbo.DimEntity"].rows}
    assert relations and all(r["FromEntityGuid"] in guids and r["ToEntityGuid"] in guids
                             for r in relations)
    assert any(r["NeedsReview"] for r in relations) and not all(r["NeedsReview"]
                                                                for r in relations)


@pytest.mark.parametrize("value", [
    {"a": [1, 2.5, None, True, {"b": "é\"x\n"}], "c": {}, "d": [], "e": "ü"},
    {"control": "\x01\x1f\x7f\u2028/", "tab": "\t\r\b\f", "zero": 0.0, "neg": -3},
    # orjson spells these differently or refuses them; the writer must not
    {"small": 1e-05, "big": 1e16, "huge": 2 ** 70, "neg_exp": -1.5e-07},
    {"text": "score: 3e5", "list": [1e300, 100.0, 0.1]},
    {"lone surrogate": "\ud800"},
    "just a string", 1e-05, [2.5e-08, {"x": [1e22]}],
])
def test_lake_json_writer_matches_the_standard_library(value):
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [
    {"a": "é\"x\n\x01", "b": [1, 2.5, 1e-05, None, True], "c": {}}, "ü", [0.1, -0.0, 2 ** 70],
])
def test_compact_json_writer_matches_the_standard_library(value):
    from holocron_lib.synthetic.base import jdumps

    assert jdumps(value) == json.dumps(value)


def test_no_lake_files_without_a_lake_root(tmp_path):
    write_seed_dir(tmp_path / "seeds", scale=1, as_of=AS_OF)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds"]


def test_scale_must_be_positive():
    with pytest.raises(ValueError, match="scale"):
        generate(scale=0)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import duckdb

    from holocron_lib.db.seeded import build_database

    root = tmp_path_factory.mktemp("built")
    build_database(root / "h.duckdb", scale=1, as_of=AS_OF, lake_root=root / "lake")
    con = duckdb.connect(str(root / "h.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.mark.slow
def test_seed_files_load_with_every_foreign_key_holding(built):
    from holocron_lib.schema.apply import check_foreign_keys

    assert check_foreign_keys(built) == []
    assert built.execute("SELECT COUNT(*) FROM dbo.FactEvent").fetchone()[0] == 1224


@pytest.mark.parametrize("view", [
    "dbo.vw_PromotedEntities", "dbo.vw_StagedEntities", "dbo.vw_TagAssignments",
    "sem.vw_appearance_look", "dbo.mart_character_appearance_timeline",
    "dbo.mart_trench_run_events", "dbo.mart_duel_of_fates_events",
    "sem.vw_CurrentPageClassification", "sem.vw_PagesNeedingReview", "sem.vw_TechnicalPages",
    "sem.vw_EntityCandidates", "ingest.vw_LatestSuccessfulFetch",
])
def test_views_return_rows(built, view):
    schema, name = view.split(".")
    assert built.execute(f'SELECT COUNT(*) FROM "{schema}"."{name}"').fetchone()[0] > 0
