"""apply_schema on a fresh DuckDB: what is created, what is enforced, and the FK checks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from holocron_lib.db.embedded import DuckDBDatabase
from holocron_lib.errors import DatabaseError
from holocron_lib.schema import apply as schema
from holocron_lib.schema.ddl import load_schema_model
from holocron_lib.tsql import translate as dialect

ROWHASH = b"\x00" * 32


@pytest.fixture(scope="module")
def catalog():
    """Column facts of a database built once with every view, as SQL Server sessions see it."""
    con = duckdb.connect()
    dialect.configure_session(con)
    schema.apply_schema(con)
    yield con
    con.close()


@pytest.fixture
def con():
    """A fresh session-configured database with the tables only."""
    con = duckdb.connect()
    dialect.configure_session(con)
    schema.apply_schema(con, views=False)
    yield con
    con.close()


def add_franchise(con, guid=None) -> int:
    guid = guid or uuid.uuid4()
    return con.execute(
        "INSERT INTO dbo.DimFranchise (FranchiseGuid, Name, UniverseCode, RowHash) "
        "VALUES (?, 'Star Wars', 'SW', ?) RETURNING FranchiseKey", [guid, ROWHASH]
    ).fetchone()[0]


# --- what is created -------------------------------------------------------------------------


def test_every_table_has_the_model_columns_types_and_nullability(catalog):
    rows = catalog.execute(
        "SELECT table_schema, table_name, column_name, data_type, is_nullable "
        "FROM information_schema.columns ORDER BY table_schema, table_name, ordinal_position"
    ).fetchall()
    created: dict[str, list[tuple]] = {}
    for schema_name, table, column, data_type, nullable in rows:
        created.setdefault(f"{schema_name}.{table}", []).append((column, data_type, nullable))
    for table in load_schema_model().tables:
        expected = [(c.name, c.duckdb_type, "YES" if c.nullable else "NO") for c in table.columns]
        assert created.get(table.full_name) == expected, table.full_name


def test_bit_columns_are_booleans(catalog):
    types = dict(catalog.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'dbo' AND table_name = 'DimDroidInstance'"
    ).fetchall())
    assert types["RestrainingBoltFlag"] == "BOOLEAN"
    assert types["IsLatest"] == "BOOLEAN"
    assert types["RowHash"] == "BLOB"
    bit_typed = catalog.execute(
        "SELECT count(*) FROM information_schema.columns WHERE data_type LIKE 'BIT%'"
    ).fetchone()[0]
    assert bit_typed == 0


def test_every_view_of_the_view_files_is_created(catalog):
    names = schema.view_names()
    assert names and len(names) == len(set(n.lower() for n in names))
    created = {
        f"{s}.{v}".lower()
        for s, v in catalog.execute("SELECT schema_name, view_name FROM duckdb_views()").fetchall()
    }
    missing = [n for n in names if n.lower() not in created]
    assert not missing
    assert all("." in n for n in names)
    assert [p.suffix for p in schema.view_files()] == [".sql"] * len(schema.view_files())


def test_a_failing_view_names_its_file_and_view(tmp_path, monkeypatch):
    (tmp_path / "10_fine.sql").write_text(
        "CREATE VIEW dbo.vw_fine AS SELECT 1 AS one;\nGO\n", encoding="utf-8"
    )
    (tmp_path / "20_broken.sql").write_text(
        "-- reads a table that does not exist\nCREATE VIEW [sem].[vw_broken] AS\n"
        "SELECT x FROM dbo.NoSuchTable;\nGO\n", encoding="utf-8"
    )
    monkeypatch.setattr(schema, "VIEWS_DIR", tmp_path)
    assert schema.view_names() == ["dbo.vw_fine", "sem.vw_broken"]
    con = duckdb.connect()
    with pytest.raises(DatabaseError) as err:
        schema.apply_schema(con)
    assert "20_broken.sql" in str(err.value) and "sem.vw_broken" in str(err.value)
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'vw_fine'").fetchone() == (1,)


def test_applying_twice_names_the_object_that_exists():
    con = duckdb.connect()
    schema.apply_schema(con, views=False)
    with pytest.raises(DatabaseError) as err:
        schema.apply_schema(con, views=False)
    assert "dbo.seq_DimFranchise_FranchiseKey" in str(err.value)


# --- what is enforced ------------------------------------------------------------------------


def test_identity_defaults_count_from_one(con):
    keys = [add_franchise(con) for _ in range(3)]
    assert keys == [1, 2, 3]
    log = [
        con.execute(
            "INSERT INTO dbo.__migration_log (migration_id, step_name) VALUES ('0032', 's') "
            "RETURNING log_id"
        ).fetchone()[0]
        for _ in range(2)
    ]
    assert log == [1, 2]


def test_sync_identity_sequences_continues_after_explicit_keys(con):
    for key in (1, 2, 5):
        con.execute(
            "INSERT INTO dbo.DimFranchise (FranchiseKey, Name, UniverseCode, RowHash) "
            "VALUES (?, 'Star Wars', 'SW', ?)", [key, ROWHASH]
        )
    schema.sync_identity_sequences(con)
    schema.sync_identity_sequences(con)  # a second call changes nothing
    assert add_franchise(con) == 6
    con.execute("DELETE FROM dbo.DimFranchise")
    schema.sync_identity_sequences(con)  # never moves a sequence backwards
    assert add_franchise(con) == 7


def test_defaults_fill_block_g_with_utc_time(con):
    con.execute("SET TimeZone = 'America/New_York'")  # the stored value must still be UTC
    key = add_franchise(con)
    is_active, is_latest, version, valid_from, created = con.execute(
        "SELECT IsActive, IsLatest, VersionNum, ValidFromUtc, CreatedUtc "
        "FROM dbo.DimFranchise WHERE FranchiseKey = ?", [key]
    ).fetchone()
    assert (is_active, is_latest, version) == (True, True, 1)
    assert valid_from.tzinfo is None
    utc_now = datetime.now(UTC).replace(tzinfo=None)
    assert abs(utc_now - valid_from) < timedelta(hours=1)
    assert created == valid_from
    guid, state = con.execute(
        "INSERT INTO dbo.DimEntity (FranchiseKey, EntityType, DisplayName, RowHash) "
        "VALUES (?, 'Character', 'Luke Skywalker', ?) RETURNING EntityGuid, PromotionState",
        [key, ROWHASH],
    ).fetchone()
    assert isinstance(guid, uuid.UUID) and state == "staged"


def test_an_invalid_status_is_rejected_and_every_valid_one_accepted(con):
    for status in ("NEW", "RUNNING", "SUCCEEDED", "FAILED", "DEADLETTER"):
        con.execute(
            "INSERT INTO llm.job (status, interrogation_key, input_json) VALUES (?, 'k', '{}')",
            [status],
        )
    with pytest.raises(duckdb.ConstraintException, match="CHECK"):
        con.execute(
            "INSERT INTO llm.job (status, interrogation_key, input_json) VALUES ('DONE', 'k', '{}')"
        )
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO llm.job (interrogation_key, input_json, max_attempts) "
                    "VALUES ('k', '{}', 0)")
    assert con.execute("SELECT count(*) FROM llm.job").fetchone() == (5,)
    assert con.execute("SELECT count(*) FROM llm.job WHERE status = 'new'").fetchone() == (1,)


def test_check_between_columns_is_enforced(con):
    con.execute("INSERT INTO dbo.DimTag (TagName, TagType) VALUES ('Jedi', 'faction')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO dbo.BridgeTagRelation (FromTagKey, ToTagKey, RelationType) "
                    "VALUES (1, 1, 'related')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO dbo.DimTag (TagName, TagType, Visibility) "
                    "VALUES ('Sith', 'faction', 'secret')")


def test_a_duplicate_guid_is_rejected(con):
    guid = uuid.uuid4()
    add_franchise(con, guid)
    with pytest.raises(duckdb.ConstraintException, match="[Dd]uplicate"):
        add_franchise(con, guid)


def test_a_duplicate_primary_key_is_rejected(con):
    run = uuid.uuid4()
    bundle = uuid.uuid4()
    con.execute("INSERT INTO llm.run_evidence (run_id, bundle_id) VALUES (?, ?)", [run, bundle])
    con.execute("INSERT INTO llm.run_evidence (run_id, bundle_id) VALUES (?, ?)", [run, uuid.uuid4()])
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO llm.run_evidence (run_id, bundle_id) VALUES (?, ?)", [run, bundle])


def test_filtered_business_keys_and_foreign_keys_are_not_enforced(con):
    # the real seed set repeats DimWeaponModel.TechAssetKey; it must load
    for _ in range(2):
        con.execute(
            "INSERT INTO dbo.DimWeaponModel (TechAssetKey, WeaponClass, EnergyType, RowHash) "
            "VALUES (24, 'Blaster', 'Plasma', ?)", [ROWHASH]
        )
    assert con.execute("SELECT count(*) FROM dbo.DimWeaponModel").fetchone() == (2,)


# --- foreign-key checks ----------------------------------------------------------------------


def test_check_foreign_keys_is_clean_on_consistent_data(con):
    key = add_franchise(con)
    con.execute(
        "INSERT INTO dbo.DimEntity (FranchiseKey, EntityType, DisplayName, RowHash) "
        "VALUES (?, 'Character', 'Leia Organa', ?)", [key, ROWHASH]
    )
    con.execute("INSERT INTO dbo.DimCharacter (EntityKey, SpeciesKey, RowHash) VALUES (1, NULL, ?)",
                [ROWHASH])
    assert schema.check_foreign_keys(con) == []


def test_check_foreign_keys_finds_a_planted_orphan(con):
    add_franchise(con)
    for entity_key in (999, 999, 7):
        con.execute("INSERT INTO dbo.DimCharacter (EntityKey, RowHash) VALUES (?, ?)",
                    [entity_key, ROWHASH])
    con.execute("INSERT INTO llm.artifact (run_id, artifact_type) VALUES (?, 'prompt_text')",
                [uuid.uuid4()])
    violations = {v.name: v for v in schema.check_foreign_keys(con)}
    assert set(violations) == {"FK_DimCharacter_DimEntity", "FK_llm_artifact_run"}
    orphan = violations["FK_DimCharacter_DimEntity"]
    assert (orphan.table, orphan.columns) == ("dbo.DimCharacter", ("EntityKey",))
    assert (orphan.ref_table, orphan.ref_columns) == ("dbo.DimEntity", ("EntityKey",))
    assert orphan.orphan_count == 3 and orphan.sample == (7, 999)
    assert "FK_DimCharacter_DimEntity" in str(orphan) and "dbo.DimCharacter" in str(orphan)
    assert "EntityKey" in str(orphan)


@pytest.mark.slow
def test_check_foreign_keys_through_the_database_interface(tmp_path):
    path = tmp_path / "orphans.duckdb"
    raw = duckdb.connect(str(path))
    schema.apply_schema(raw, views=False)
    page = uuid.uuid4()
    raw.execute("INSERT INTO sem.PageSignals (source_page_id) VALUES (?)", [page])
    raw.close()
    db = DuckDBDatabase(path)  # query() takes T-SQL and returns a DataFrame
    try:
        violations = schema.check_foreign_keys(db)
    finally:
        db.close()
    assert [(v.name, v.orphan_count, v.sample) for v in violations] == [
        ("FK_sem_PageSignals_SourcePage", 1, (page,))
    ]
