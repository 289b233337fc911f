"""The Database interface on DuckDB: T-SQL in, DataFrames out, isolation, errors, introspection."""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from holocron_lib.db import connection as database
from holocron_lib.db.base import Database
from holocron_lib.db.connection import connect
from holocron_lib.errors import (
    ConnectionFailedError,
    DatabaseError,
    ProcedureNotEmulatedError,
    UnknownObjectError,
)
from holocron_lib.settings import load_settings

# A small file in DuckDB's own SQL: fast, and independent of the DDL and seed modules.
TINY_DDL = """
CREATE SCHEMA dbo;
CREATE SCHEMA llm;
CREATE TABLE dbo.DimEntity (
  EntityKey INTEGER PRIMARY KEY, EntityType VARCHAR(50) NOT NULL,
  DisplayName VARCHAR(200) NOT NULL, IsActive BOOLEAN NOT NULL DEFAULT true,
  CreatedUtc TIMESTAMP);
CREATE TABLE dbo.DimWork (WorkKey INTEGER PRIMARY KEY, Title VARCHAR(200) NOT NULL);
CREATE VIEW dbo.vw_ActiveEntity AS SELECT EntityKey, DisplayName FROM dbo.DimEntity
  WHERE IsActive;
CREATE TABLE llm.job (
  job_id UUID PRIMARY KEY, created_utc TIMESTAMP NOT NULL, status VARCHAR(20) NOT NULL,
  priority INTEGER NOT NULL DEFAULT 100, interrogation_key VARCHAR(200) NOT NULL,
  input_json VARCHAR NOT NULL, evidence_ref_json VARCHAR, model_hint VARCHAR(100),
  max_attempts INTEGER NOT NULL DEFAULT 3, attempt_count INTEGER NOT NULL DEFAULT 0,
  available_utc TIMESTAMP NOT NULL, locked_by VARCHAR(200), locked_utc TIMESTAMP,
  last_error VARCHAR, dedupe_key VARCHAR(500));
INSERT INTO dbo.DimEntity VALUES
  (1, 'Character', 'Luke Skywalker', true, TIMESTAMP '2024-01-01 10:00:00'),
  (2, 'Character', 'Leia Organa', true, TIMESTAMP '2024-01-02 10:00:00'),
  (3, 'Species', 'Wookiee', true, NULL),
  (4, 'Location', 'Tatooine', false, NULL);
INSERT INTO dbo.DimWork VALUES (1, 'A New Hope');
"""


def _digest(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.fixture(scope="session")
def tiny_db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    con = duckdb.connect(str(path))
    con.execute(TINY_DDL)
    con.close()
    return path


@pytest.fixture
def db(tiny_db_path):
    with connect(path=tiny_db_path) as handle:
        yield handle


@pytest.fixture(scope="module")
def seeded(seeded_file):
    with connect(path=seeded_file, read_only=True) as handle:
        yield handle


# --- statements ---------------------------------------------------------------------------


def test_query_binds_params_to_question_marks_in_order(db):
    frame = db.query(
        "SELECT EntityKey, DisplayName FROM dbo.DimEntity WHERE EntityType = ? AND EntityKey > ? "
        "ORDER BY EntityKey",
        ["Character", 1],
    )
    assert list(frame.columns) == ["EntityKey", "DisplayName"]
    assert frame["DisplayName"].tolist() == ["Leia Organa"]


def test_query_takes_t_sql(db):
    frame = db.query("SELECT TOP (2) DisplayName FROM dbo.DimEntity ORDER BY EntityKey DESC")
    assert frame["DisplayName"].tolist() == ["Tatooine", "Wookiee"]


def test_unqualified_names_resolve_to_dbo(db):
    assert db.scalar("SELECT COUNT(*) FROM DimEntity") == 4
    assert db.scalar("SELECT COUNT(*) FROM vw_ActiveEntity") == 3


def test_string_comparison_ignores_case(db):
    assert db.scalar("SELECT EntityKey FROM dbo.DimEntity WHERE DisplayName = ?", ["LEIA organa"]) == 2
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimEntity WHERE EntityType = 'character'") == 2


def test_plus_between_two_text_columns_concatenates_as_sql_server_does(seeded):
    """``+`` on two NVARCHAR columns is concatenation, known from the declared types; NULL on
    either side gives NULL (CONCAT_NULL_YIELDS_NULL), unlike CONCAT."""
    frame = seeded.query(
        "SELECT TOP 20 e.DisplayName + e.EntityType AS plus, CONCAT(e.DisplayName, e.EntityType) "
        "AS joined, c.Gender + e.DisplayName AS across, c.Gender, e.DisplayName "
        "FROM dbo.DimEntity AS e "
        "JOIN DimCharacter AS c ON c.EntityKey = e.EntityKey WHERE c.Gender IS NOT NULL "
        "ORDER BY e.EntityKey")
    assert len(frame) == 20
    assert frame["plus"].tolist() == frame["joined"].tolist()
    assert frame["across"].tolist() == (frame["Gender"] + frame["DisplayName"]).tolist()
    nulls = seeded.scalar("SELECT COUNT(*) FROM DimEntity WHERE ExternalUrl + DisplayName IS NULL")
    assert nulls == seeded.scalar("SELECT COUNT(*) FROM DimEntity WHERE ExternalUrl IS NULL")
    assert seeded.scalar("SELECT MIN(EntityKey + FranchiseKey) FROM DimEntity") > 1  # still adds


def test_scalar_is_none_without_rows(db):
    assert db.scalar("SELECT EntityKey FROM dbo.DimEntity WHERE EntityKey = ?", [99]) is None


def test_numpy_and_pandas_values_bind_as_plain_values(db):
    frame = db.query(
        "SELECT EntityKey FROM dbo.DimEntity WHERE EntityKey = ? AND CreatedUtc = ?",
        [np.int64(1), pd.Timestamp("2024-01-01 10:00:00")],
    )
    assert frame["EntityKey"].tolist() == [1]


def test_params_must_be_a_sequence(db):
    with pytest.raises(TypeError, match="sequence"):
        db.query("SELECT ? AS x", "Luke")
    with pytest.raises(TypeError, match="sequence"):
        db.query("SELECT ? AS x", {"x": 1})


def test_execute_returns_rows_affected(db):
    changed = db.execute("UPDATE dbo.DimEntity SET IsActive = 0 WHERE EntityType = ?", ["Character"])
    assert changed == 2
    assert db.execute("INSERT INTO dbo.DimWork (WorkKey, Title) VALUES (?, ?)", [2, "x"]) == 1
    assert db.execute("CREATE TABLE dbo.Scratch (a INT)") == -1
    assert db.execute("SET NOCOUNT ON") == -1


# --- isolation ----------------------------------------------------------------------------


def test_a_write_reaches_neither_another_connection_nor_the_seeded_file(tiny_db_path):
    before = _digest(tiny_db_path)
    with connect(path=tiny_db_path) as first, connect(path=tiny_db_path) as second:
        first.execute("DELETE FROM dbo.DimEntity")
        assert first.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 0
        assert second.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 4
        assert first.path != second.path != tiny_db_path
    assert _digest(tiny_db_path) == before
    with connect(path=tiny_db_path) as third:
        assert third.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 4


_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from holocron_lib.db.connection import connect

    seeded, me, other = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    with connect(path=seeded) as db:
        db.execute("INSERT INTO dbo.DimWork (WorkKey, Title) VALUES (?, ?)", [100, me.name])
        me.write_text("connected")
        for _ in range(1200):  # both processes hold a connection at once before going on
            if other.exists():
                break
            time.sleep(0.05)
        else:
            sys.exit("the other process never connected")
        db.execute("INSERT INTO dbo.DimWork (WorkKey, Title) VALUES (?, ?)", [101, me.name])
        titles = db.query("SELECT Title FROM dbo.DimWork WHERE WorkKey >= 100")["Title"]
        print(sorted(set(titles)), len(titles))
    """
)


@pytest.mark.slow
def test_two_processes_connect_and_write_at_once(tiny_db_path, tmp_path):
    before = _digest(tiny_db_path)
    script = tmp_path / "writer.py"
    script.write_text(_WRITER)
    a, b = tmp_path / "a", tmp_path / "b"
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(tiny_db_path), str(me), str(other)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for me, other in ((a, b), (b, a))
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    # each process sees only its own two rows
    assert outputs[0][0].strip() == "['a'] 2"
    assert outputs[1][0].strip() == "['b'] 2"
    assert _digest(tiny_db_path) == before


def test_the_private_copy_goes_away_on_close(tiny_db_path):
    db = connect(path=tiny_db_path)
    copy = db.path
    assert copy.is_file() and copy != tiny_db_path
    db.close()
    assert not copy.exists() and not copy.parent.exists()
    with pytest.raises(DatabaseError, match="closed"):
        db.query("SELECT 1")


def test_copies_left_by_dead_processes_are_swept(tiny_db_path, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    orphan = tmp_path / "holocron-db-orphan"
    orphan.mkdir()
    (orphan / "owner.lock").touch()  # nobody holds the lock: its process is gone
    (orphan / "tiny.duckdb").write_bytes(b"left behind")
    with connect(path=tiny_db_path) as live, connect(path=tiny_db_path) as other:
        assert not orphan.exists()
        assert live.path.is_file() and other.path.parent.parent == tmp_path
        assert live.scalar("SELECT COUNT(*) FROM DimWork") == 1  # a live copy is kept


def test_read_only_opens_the_seeded_file_without_copying(tiny_db_path):
    before = _digest(tiny_db_path)
    with connect(path=tiny_db_path, read_only=True) as db:
        assert db.path == tiny_db_path
        assert db.scalar("SELECT COUNT(*) FROM DimEntity") == 4
        with pytest.raises(DatabaseError, match="read-only"):
            db.execute("DELETE FROM dbo.DimEntity")
        assert db.scalar("SELECT COUNT(*) FROM DimEntity") == 4
    assert _digest(tiny_db_path) == before


# --- transactions -------------------------------------------------------------------------


def test_transaction_commits_on_success(db):
    with db.transaction() as tx:
        assert db.in_transaction and tx.in_transaction
        tx.execute("INSERT INTO dbo.DimWork VALUES (?, ?)", [2, "The Empire Strikes Back"])
    assert not db.in_transaction
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimWork") == 2


def test_transaction_rolls_back_on_exception(db):
    with pytest.raises(RuntimeError, match="stop"), db.transaction() as tx:
        tx.execute("DELETE FROM dbo.DimEntity")
        assert tx.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 0
        raise RuntimeError("stop")
    assert not db.in_transaction
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 4


def test_explicit_rollback_undoes_the_work_and_ends_the_transaction(db):
    with db.transaction() as tx:
        tx.execute("DELETE FROM dbo.DimEntity")
        tx.rollback()
        assert not db.in_transaction
        assert db.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 4
        with pytest.raises(DatabaseError, match="rolled back"):
            tx.query("SELECT 1")
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 4


def test_nested_transaction_joins_the_outer_one(db):
    with pytest.raises(RuntimeError), db.transaction() as outer:
        outer.execute("DELETE FROM dbo.DimWork")
        with db.transaction() as inner:
            assert inner is outer
            inner.execute("DELETE FROM dbo.DimEntity")
        assert db.in_transaction  # the inner block did not commit
        raise RuntimeError("undo both")
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimWork") == 1
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 4


def test_a_failed_statement_rolls_back_and_the_connection_works_on(db):
    with pytest.raises(DatabaseError, match="(?i)duplicate key"), db.transaction() as tx:
        tx.execute("DELETE FROM dbo.DimWork")
        tx.execute("INSERT INTO dbo.DimEntity (EntityKey, EntityType, DisplayName) VALUES (1, 'x', 'y')")
    assert not db.in_transaction
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimWork") == 1


def test_a_caught_failure_still_prevents_the_commit(db):
    with pytest.raises(DatabaseError, match="nothing was committed"), db.transaction() as tx:
        tx.execute("DELETE FROM dbo.DimWork")
        with pytest.raises(DatabaseError):
            tx.scalar("SELECT CAST(? AS INT)", ["not a number"])
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimWork") == 1


def test_a_dry_run_rolls_back_unless_confirmed(db):
    with db.dry_run(False) as tx:
        assert not tx.keeps_writes
        tx.execute("DELETE FROM dbo.DimWork")
        assert tx.scalar("SELECT COUNT(*) FROM dbo.DimWork") == 0
    assert tx.state == "rolled back" and not db.in_transaction
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimWork") == 1
    with db.dry_run(True) as tx:
        assert tx.keeps_writes
        tx.execute("INSERT INTO dbo.DimWork VALUES (?, ?)", [2, "Return of the Jedi"])
    assert tx.state == "committed" and tx.keeps_writes
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimWork") == 2


def test_a_confirmed_dry_run_rolls_back_on_error(db):
    with pytest.raises(RuntimeError, match="stop"), db.dry_run(True) as tx:
        tx.execute("DELETE FROM dbo.DimEntity")
        raise RuntimeError("stop")
    assert tx.state == "rolled back" and not tx.keeps_writes and not db.in_transaction
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 4


def test_a_dry_run_keeps_nothing_written_by_what_it_encloses(db):
    with db.dry_run(False) as outer:
        with db.transaction() as inner, inner.dry_run(True) as innermost:
            assert inner is outer and innermost is outer and not innermost.keeps_writes
            innermost.execute("DELETE FROM dbo.DimEntity")
        assert db.in_transaction
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 4


def test_an_unconfirmed_dry_run_inside_a_committing_transaction_is_refused(db):
    with pytest.raises(DatabaseError, match="dry run cannot be nested"), db.transaction() as tx:
        tx.execute("DELETE FROM dbo.DimWork")
        with db.dry_run(False):
            tx.execute("DELETE FROM dbo.DimEntity")  # never reached
    assert not db.in_transaction
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimWork") == 1
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 4


# --- procedures ---------------------------------------------------------------------------


def test_call_runs_the_emulation_of_the_named_procedure(db):
    queued = db.call(
        "llm.usp_enqueue_job", interrogation_key="entity_classify", input_json='{"k": 1}',
        priority=200,
    )
    assert len(queued) == 1
    assert list(queued[0].columns) == ["job_id", "is_duplicate", "existing_status"]
    job_id = str(queued[0].loc[0, "job_id"])
    claimed = db.call("llm.usp_claim_next_job", worker_id="w1")
    assert len(claimed) == 1
    assert str(claimed[0].loc[0, "job_id"]) == job_id
    assert claimed[0].loc[0, "locked_by"] == "w1"
    assert db.scalar("SELECT status FROM llm.job WHERE job_id = ?", [job_id]) == "RUNNING"
    assert db.call("llm.usp_claim_next_job", worker_id="w2") == []


def test_call_inside_a_transaction_is_undone_with_it(db):
    with db.transaction() as tx:
        tx.call("llm.usp_enqueue_job", interrogation_key="k", input_json="{}")
        assert tx.scalar("SELECT COUNT(*) FROM llm.job") == 1
        tx.rollback()
    assert db.scalar("SELECT COUNT(*) FROM llm.job") == 0


def test_an_unknown_procedure_is_named(db):
    with pytest.raises(ProcedureNotEmulatedError, match="usp_claim_next_jobb") as err:
        db.call("llm.usp_claim_next_jobb", worker_id="w1")
    assert "llm.usp_claim_next_job" in err.value.suggestions


# --- errors -------------------------------------------------------------------------------


def test_a_misspelt_table_suggests_the_real_one(db):
    with pytest.raises(UnknownObjectError) as err:
        db.query("SELECT TOP (5) * FROM dbo.DimEntitty")
    assert err.value.kind == "table"
    assert err.value.name == "dbo.DimEntitty"
    assert "dbo.DimEntity" in err.value.suggestions
    assert "did you mean 'dbo.DimEntity'" in str(err.value)
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 4  # still usable


def test_a_misspelt_table_inside_a_transaction_rolls_it_back(db):
    with pytest.raises(UnknownObjectError) as err, db.transaction() as tx:
        tx.execute("DELETE FROM dbo.DimWork")
        tx.query("SELECT * FROM [dbo].[DimEntitty]")
    assert err.value.suggestions[0] == "dbo.DimEntity"
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimWork") == 1


def test_an_unqualified_misspelt_table_suggests_the_qualified_one(db):
    with pytest.raises(UnknownObjectError) as err:
        db.scalar("SELECT COUNT(*) FROM DimWrok")
    assert err.value.suggestions == ("dbo.DimWork",)


def test_other_errors_carry_the_statement(db):
    with pytest.raises(DatabaseError) as err:
        db.query("SELECT NoSuchColumn FROM dbo.DimEntity WHERE EntityKey = ?", [1])
    message = str(err.value)
    assert "NoSuchColumn" in message
    assert "in: SELECT NoSuchColumn FROM dbo.DimEntity WHERE EntityKey = ?" in message
    assert err.value.backend == "duckdb"
    assert pickle.loads(pickle.dumps(err.value)).message == err.value.message


def test_a_missing_seeded_file_says_how_to_build_it(clean_env):
    settings = load_settings(env={"HOLOCRON_HOME": str(clean_env)}, dotenv=False)
    with pytest.raises(ConnectionFailedError) as err:
        connect(settings)
    message = str(err.value)
    assert "holocron db build" in message
    assert ".holocron/holocron.duckdb" in message
    assert str(clean_env) not in message  # named relative to the project


# --- connect() and settings ---------------------------------------------------------------


def test_connect_follows_the_settings(clean_env, tiny_db_path, monkeypatch):
    monkeypatch.setenv("HOLOCRON_DB_PATH", str(tiny_db_path))
    with connect() as db:
        assert isinstance(db, Database)
        assert db.backend == "duckdb"
        assert db.seeded_path == tiny_db_path
        assert "duckdb" in repr(db) and "tiny.duckdb" in repr(db)


def test_query_shares_one_connection_per_process(clean_env, tiny_db_path, monkeypatch):
    monkeypatch.setenv("HOLOCRON_DB_PATH", str(tiny_db_path))
    monkeypatch.setattr(database, "_shared", None)
    try:
        frame = database.query("SELECT DisplayName FROM DimEntity WHERE EntityKey = ?", [3])
        assert frame["DisplayName"].tolist() == ["Wookiee"]
        first = database.shared_database()
        database.query("SELECT 1 AS one")
        assert database.shared_database() is first
    finally:
        database.shared_database().close()


# --- introspection ------------------------------------------------------------------------


def test_introspection_on_a_small_database(db):
    assert db.schemas() == ["dbo", "llm"]
    tables = db.tables("DBO")
    assert list(tables.columns) == ["schema", "name", "kind"]
    assert tables.values.tolist() == [
        ["dbo", "DimEntity", "table"],
        ["dbo", "DimWork", "table"],
        ["dbo", "vw_ActiveEntity", "view"],
    ]
    cols = db.columns("DimEntity")
    assert list(cols.columns) == ["name", "type", "nullable"]
    assert cols["name"].tolist()[:3] == ["EntityKey", "EntityType", "DisplayName"]
    assert cols.set_index("name")["nullable"].to_dict()["DisplayName"] == False  # noqa: E712
    counts = db.row_counts()
    assert counts.values.tolist() == [["dbo", "DimEntity", 4], ["dbo", "DimWork", 1],
                                      ["llm", "job", 0]]


def test_row_counts_quote_names_that_need_it(db):
    con = db.connection
    con.execute('CREATE SCHEMA "odd schema"')
    con.execute('CREATE TABLE "odd schema"."it\'s]here" (x INTEGER)')
    con.execute('INSERT INTO "odd schema"."it\'s]here" VALUES (1), (2)')
    counts = db.row_counts("odd schema")
    assert counts.values.tolist() == [["odd schema", "it's]here", 2]]
    assert str(counts["rows"].dtype) == "int64"
    assert db.row_counts("no_such_schema").empty


def test_columns_of_an_unknown_table(db):
    with pytest.raises(UnknownObjectError) as err:
        db.columns("[dbo].[DimEntitty]")
    assert err.value.suggestions[0] == "dbo.DimEntity"


def test_introspection_on_the_seeded_database(seeded):
    schemas = seeded.schemas()
    assert {"dbo", "llm", "sem", "ingest", "vector"} <= set(schemas)
    objects = seeded.tables()
    assert {"table", "view"} == set(objects["kind"])
    assert ("dbo", "DimEntity", "table") in set(objects.itertuples(index=False, name=None))
    cols = seeded.columns("dbo.DimEntity").set_index("name")
    assert cols.loc["EntityKey", "nullable"] == False  # noqa: E712
    # T-SQL types where the project's DDL model knows the column
    assert cols.loc["DisplayName", "type"] == "NVARCHAR(200)"
    assert cols.loc["EntityGuid", "type"] == "UNIQUEIDENTIFIER"
    counts = seeded.row_counts("dbo").set_index("table")["rows"]
    assert counts["DimEntity"] == seeded.scalar("SELECT COUNT(*) FROM dbo.DimEntity") > 0
    assert set(seeded.row_counts()["schema"]) <= set(schemas)


def test_seeded_views_answer_t_sql(seeded):
    entity = seeded.query("SELECT TOP (1) EntityKey, DisplayName FROM dbo.DimEntity ORDER BY 1")
    name = entity.loc[0, "DisplayName"]
    found = seeded.scalar("SELECT EntityKey FROM DimEntity WHERE DisplayName = ?", [name.upper()])
    assert found == entity.loc[0, "EntityKey"]
