"""Building part of the seed data (`--only`, `--empty`, `--rows`) and reporting the declared
constraints that seed data breaks (filtered unique indexes, foreign keys)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from seeded_db import SEEDS, fresh, seeded_path, state_lake, state_path

from holocron_lib.db.seeded import build_database
from holocron_lib.db.sidecar import read_meta
from holocron_lib.db.subset import Subset, parse_names, parse_row_limits
from holocron_lib.errors import UnknownObjectError
from holocron_lib.notebook import quality
from holocron_lib.schema.apply import check_foreign_keys
from holocron_lib.schema.ddl import load_schema_model
from holocron_lib.schema.indexes import check_filtered_unique_indexes

CHECKOUT = SEEDS / "checkout_like"
MODEL = load_schema_model()
REAL_SEED_BREAKS = {"UX_DimWeaponModel_TechAssetKey_IsLatest",
                    "UX_FactEvent_FranchiseKey_WorkKey_SceneKey_EventOrdinal_IsLatest",
                    "UX_FactClaim_SubjectEntityKey_Predicate_IsLatest"}


def count(path: Path, table: str) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


# --- naming a subset ------------------------------------------------------------------------


def test_names_are_validated_and_respelt_as_the_schema_spells_them():
    subset = Subset(only=("DBO",), empty=("LLM.Run", "ingest"), rows={"llm.JOB": 2})
    assert subset.validate(MODEL) == Subset(("dbo",), ("llm.run", "ingest"), {"llm.job": 2})


@pytest.mark.parametrize("subset, suggestion", [
    (Subset(empty=("llm.runs",)), "llm.run"),
    (Subset(only=("dbbo",)), "dbo"),
    (Subset(rows={"llm.jobs": 1}), "llm.job"),
])
def test_an_unknown_name_is_refused_with_a_suggestion(subset, suggestion):
    with pytest.raises(UnknownObjectError) as caught:
        subset.validate(MODEL)
    assert suggestion in caught.value.suggestions


def test_list_and_limit_options_parse():
    assert parse_names(["llm,ingest", " vector "]) == ("llm", "ingest", "vector")
    assert parse_row_limits(["llm.job=1,dbo.DimWork=3"]) == {"llm.job": 1, "dbo.DimWork": 3}
    with pytest.raises(ValueError, match="'llm.job' is not of the form schema.table=N"):
        parse_row_limits(["llm.job"])


def test_a_whole_build_has_no_subset_record():
    assert Subset().whole and Subset().describe() == {}


# --- what a subset build holds --------------------------------------------------------------


@pytest.mark.slow
def test_dbo_only_keeps_every_dbo_row_and_writes_no_lake(tmp_path_factory):
    full, part = seeded_path(tmp_path_factory), state_path(tmp_path_factory, "dbo-only")
    counts = read_meta(part)["row_counts"]
    for table in MODEL.tables:
        if table.schema == "dbo":
            assert counts.get(table.full_name, 0) == count(full, table.full_name), table.full_name
        else:
            assert count(part, table.full_name) == 0, table.full_name
    assert not state_lake(part).exists()
    assert read_meta(part)["subset"] == {"only": ["dbo"], "empty": [], "rows": {}}


@pytest.mark.slow
def test_one_job_and_no_runs(tmp_path_factory):
    path = state_path(tmp_path_factory, "one-job-no-runs")
    assert count(path, "llm.job") == 1
    for table in ("llm.run", "llm.artifact", "llm.run_evidence"):
        assert count(path, table) == 0, table
    assert count(path, "llm.evidence_bundle") > 0, "bundles do not depend on runs"
    assert count(path, "ingest.work_items") == count(seeded_path(tmp_path_factory),
                                                     "ingest.work_items")
    meta = read_meta(path)
    assert meta["row_counts"]["llm.run_evidence"] == 0, "the sidecar counts what is left"
    assert meta["fingerprint"] != read_meta(seeded_path(tmp_path_factory))["fingerprint"]


@pytest.mark.slow
def test_runs_without_artifacts_lose_their_artifact_pointers_not_their_rows(tmp_path_factory):
    path = state_path(tmp_path_factory, "runs-no-artifacts")
    assert count(path, "llm.run") == count(seeded_path(tmp_path_factory), "llm.run")
    assert count(path, "llm.artifact") == 0
    with duckdb.connect(str(path), read_only=True) as con:
        pointers = con.execute(
            "SELECT COUNT(*) FROM llm.run WHERE request_artifact_id IS NOT NULL OR "
            "response_artifact_id IS NOT NULL OR output_artifact_id IS NOT NULL OR "
            "prompt_rendered_artifact_id IS NOT NULL").fetchone()[0]
        assert pointers == 0
        assert check_foreign_keys(con) == []
        bundles = {u for (u,) in con.execute(
            "SELECT lake_uri FROM llm.evidence_bundle WHERE lake_uri IS NOT NULL").fetchall()}
    lake = state_lake(path)
    written = {p.relative_to(lake).as_posix() for p in lake.rglob("*") if p.is_file()}
    assert written <= bundles, "the lake keeps the bundles' files, no artifact's"


@pytest.mark.slow
def test_first_rows_keep_their_keys_and_whatever_pointed_at_the_rest_goes(tmp_path):
    path = tmp_path / "h.duckdb"
    lines: list[str] = []
    build_database(path, lake_root=tmp_path / "lake", progress=lines.append,
                   subset=Subset(rows={"dbo.DimWork": 3}))
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT MIN(WorkKey), MAX(WorkKey), COUNT(*) FROM dbo.DimWork"
                           ).fetchone() == (1, 3, 3)
        assert con.execute("SELECT MAX(WorkKey) FROM dbo.FactEvent").fetchone()[0] <= 3
        kept = dict(con.execute("SELECT FactEventGuid, EventKey FROM dbo.FactEvent").fetchall())
        assert check_foreign_keys(con) == []
        scenes_of_kept_works = con.execute("SELECT COUNT(*) FROM dbo.DimScene").fetchone()[0]
    assert kept and scenes_of_kept_works > 0
    with duckdb.connect(str(seeded_path_of(tmp_path)), read_only=True) as con:
        whole = dict(con.execute("SELECT FactEventGuid, EventKey FROM dbo.FactEvent").fetchall())
    assert all(whole[guid] == key for guid, key in kept.items()), "identity keys unchanged"
    assert any("rows that pointed at rows left out" in line for line in lines)


def seeded_path_of(tmp_path: Path) -> Path:
    """A whole scale-1 build beside ``tmp_path``'s subset, for comparing keys."""
    path = tmp_path / "whole.duckdb"
    if not path.exists():
        build_database(path, lake_root=tmp_path / "whole-lake")
    return path


@pytest.mark.slow
def test_the_lake_holds_only_the_files_of_kept_artifacts(tmp_path):
    path = tmp_path / "h.duckdb"
    lake = tmp_path / "lake"
    build_database(path, lake_root=lake, subset=Subset(rows={"llm.job": 5}))
    with duckdb.connect(str(path), read_only=True) as con:
        named = {u for (u,) in con.execute(
            "SELECT lake_uri FROM llm.artifact WHERE lake_uri IS NOT NULL UNION "
            "SELECT lake_uri FROM llm.evidence_bundle WHERE lake_uri IS NOT NULL").fetchall()}
    written = {p.relative_to(lake).as_posix() for p in lake.rglob("*") if p.is_file()}
    assert written and written <= named


# --- the CLI --------------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_builds_a_subset_and_info_describes_it(clean_env):
    from holocron_lib.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["db", "build", "--quiet", "--empty", "llm.run",
                                 "--rows", "llm.job=1"])
    assert result.exit_code == 0, result.output
    assert count(clean_env / ".holocron" / "holocron.duckdb", "llm.job") == 1
    info = runner.invoke(cli, ["db", "info"])
    assert info.exit_code == 0, info.output
    assert "subset       empty llm.run; llm.job first 1" in info.output
    assert "constraints  every foreign key and filtered unique index holds" in info.output


def test_cli_refuses_an_unknown_table_naming_the_option(clean_env):
    from holocron_lib.cli import cli

    result = CliRunner().invoke(cli, ["db", "build", "--empty", "llm.runs"])
    assert result.exit_code == 2
    assert "--only/--empty/--rows" in result.output and "'llm.run'" in result.output
    assert not (clean_env / ".holocron" / "holocron.duckdb").exists()


def test_cli_refuses_a_malformed_row_limit(clean_env):
    from holocron_lib.cli import cli

    result = CliRunner().invoke(cli, ["db", "build", "--rows", "llm.job:1"])
    assert result.exit_code == 2 and "schema.table=N" in result.output


# --- constraints the seed data breaks -------------------------------------------------------


def test_real_like_seeds_warn_per_broken_index_with_counts_and_keys(tmp_path):
    lines: list[str] = []
    report = build_database(tmp_path / "h.duckdb", seed_dir=CHECKOUT, progress=lines.append)
    assert {v.name for v in report.unique_index_violations} == REAL_SEED_BREAKS
    warning = [line for line in lines if line.startswith("warning:")]
    assert warning == ["warning: 3 filtered unique index(es) do not hold in this seed data "
                       "(SQL Server would refuse these rows):"]
    claim = next(line for line in lines if "UX_FactClaim_" in line)
    assert "1 duplicate key(s) (2 rows) in dbo.FactClaim (SubjectEntityKey, Predicate)" in claim
    assert "(1, 'pilots') ×2" in claim
    recorded = read_meta(tmp_path / "h.duckdb")["unique_index_violations"]
    event = next(v for v in recorded if v["table"] == "dbo.FactEvent")
    assert event["groups"] == 1 and event["rows"] == 2
    assert event["sample"] == [{"key": [1, 1, 2, 1], "rows": 2}]


def test_cli_quiet_build_still_prints_the_warnings_and_info_lists_them(clean_env):
    from holocron_lib.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["db", "build", "--quiet", "--seed-dir", str(CHECKOUT)])
    assert result.exit_code == 0, result.output
    assert not [line for line in result.output.splitlines() if line.startswith("dbo.")], (
        "no per-table lines when quiet")
    assert "UX_DimWeaponModel_TechAssetKey_IsLatest: 1 duplicate key(s)" in result.output
    info = runner.invoke(cli, ["db", "info"]).output
    assert ("duplicates   UX_FactClaim_SubjectEntityKey_Predicate_IsLatest: 1 key(s), 2 rows "
            "in dbo.FactClaim (SubjectEntityKey, Predicate); e.g. (1, 'pilots') ×2") in info


def test_the_synthetic_build_records_that_every_index_holds(tmp_path_factory):
    assert read_meta(seeded_path(tmp_path_factory))["unique_index_violations"] == []


def test_orphans_of_outside_seeds_are_recorded_too(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(CHECKOUT, seeds)
    events = json.loads((seeds / "019_FactEvent.json").read_text(encoding="utf-8"))
    events["rows"][0]["LocationKey"] = 99
    (seeds / "019_FactEvent.json").write_text(json.dumps(events), encoding="utf-8")
    report = build_database(tmp_path / "h.duckdb", seed_dir=seeds)
    assert [v.name for v in report.foreign_key_violations] == ["FK_FactEvent_DimLocation"]
    recorded = read_meta(tmp_path / "h.duckdb")["foreign_key_violations"]
    assert recorded[0]["orphan_rows"] == 1 and recorded[0]["sample"] == [99]


def test_latest_rows_only_and_nulls_are_equal_as_on_sql_server(tmp_path_factory):
    with fresh(tmp_path_factory) as db:
        con = db.connection
        copy = ("INSERT INTO dbo.DimWeaponModel SELECT * REPLACE (nextval('dbo.seq_DimWeaponModel_"
                "WeaponModelKey') AS WeaponModelKey, uuid() AS WeaponModelGuid, {latest} AS "
                "IsLatest) FROM dbo.DimWeaponModel WHERE WeaponModelKey = 1")
        con.execute(copy.format(latest="false"))
        assert check_filtered_unique_indexes(con) == [], "a superseded version is no duplicate"
        con.execute(copy.format(latest="true"))
        two = [r for (r,) in con.execute("SELECT source_page_id FROM sem.SourcePage WHERE "
                                         "is_active ORDER BY source_page_id LIMIT 2").fetchall()]
        con.execute("UPDATE sem.SourcePage SET source_system = 'test', resource_id = 'same', "
                    "variant = NULL WHERE source_page_id IN (?, ?)", two)
        found = {v.name: v for v in check_filtered_unique_indexes(con)}
        assert set(found) == {"UX_DimWeaponModel_TechAssetKey_IsLatest",
                              "UX_SourcePage_system_resource_variant_active"}
        assert found["UX_SourcePage_system_resource_variant_active"].sample == (
            (("test", "same", None), 2),)
        # the data-quality checks run the same SQL through the T-SQL translation
        failing = quality.run_checks(db, schemas=["dbo", "sem"], families=["filtered unique"])
        failing = failing[failing["status"] == quality.FAIL]
        assert len(failing) == 2
        assert "('test', 'same', None) ×2" in " ".join(failing["detail"])


@pytest.mark.slow
def test_the_quality_check_fails_on_real_like_seeds_and_shows_the_keys(tmp_path_factory):
    from holocron_lib.db.connection import connect

    with connect(path=state_path(tmp_path_factory, "checkout-seeds")) as db:
        results = quality.run_checks(db, families=["filtered unique"])
        failed = results[results["status"] == quality.FAIL]
        assert len(results) == sum(len(t.filtered_unique_indexes) for t in MODEL.tables)
        assert len(failed) == 3
        assert {n for n in REAL_SEED_BREAKS if any(n in d for d in failed["detail"])} == (
            REAL_SEED_BREAKS)
        duplicates = quality.unique_index_duplicates(db)
    assert set(duplicates["index"]) == REAL_SEED_BREAKS
    assert list(duplicates.loc[duplicates["table"] == "dbo.FactClaim", "key"]) == ["(1, 'pilots')"]
    assert quality.duplicates_summary(duplicates).startswith(
        "3 filtered unique index(es) do not hold: ")


def test_the_quality_check_passes_on_the_synthetic_database(tmp_path_factory):
    with fresh(tmp_path_factory) as db:
        results = quality.run_checks(db, families=["filtered unique"])
        assert (results["status"] == quality.PASS).all()
        duplicates = quality.unique_index_duplicates(db)
    assert duplicates.empty
    assert quality.duplicates_summary(duplicates).startswith("Every filtered unique index holds")
