"""The pyodbc backend through the real unixODBC driver manager and Debian's SQLite ODBC driver.

No SQL Server runs here, so the SQL is SQLite's; what these tests do not prove is listed in
the docstring of ``holocron_lib/db/sqlserver.py``.
"""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from conftest import CANARY_PASSWORD

from holocron_lib.db.connection import connect
from holocron_lib.db.sqlserver import (
    SqlServerDatabase,
    build_connection_string,
    exec_statement,
    parse_connection_string,
    scrub,
)
from holocron_lib.errors import (
    ConnectionFailedError,
    DatabaseError,
    ProcedureParameterError,
    UnknownObjectError,
)
from holocron_lib.settings import load_settings

pytestmark = pytest.mark.odbc

SQLITE_DRIVER = "SQLite3"


def _no_canary(*texts: str) -> None:
    for text in texts:
        assert CANARY_PASSWORD not in text


@pytest.fixture
def sqlite_env(clean_env, monkeypatch):
    """Settings that point the SQL Server backend at a SQLite file through unixODBC."""
    path = clean_env / "odbc.sqlite"
    monkeypatch.setenv("SEED_SQLSERVER_CONN_STR", f"Driver={SQLITE_DRIVER};Database={path}")
    return path


@pytest.fixture
def odbc_db(sqlite_env):
    with connect() as db:
        db.execute(
            "CREATE TABLE character (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "homeworld TEXT, height_m REAL, first_seen DATE)"
        )
        yield db


# --- connection strings (unit level) ----------------------------------------------------------


def test_connection_string_from_the_separate_variables(clean_env):
    settings = load_settings(
        env={
            "HOLOCRON_HOME": str(clean_env),
            "SEED_SQLSERVER_HOST": "sql.example.test",
            "SEED_SQLSERVER_PORT": "14330",
            "SEED_SQLSERVER_DATABASE": "Holocron",
            "SEED_SQLSERVER_USER": "holocron_reader",
            "SEED_SQLSERVER_PASSWORD": CANARY_PASSWORD,
        },
        dotenv=False,
    )
    built = build_connection_string(settings)
    assert built == (
        "DRIVER={ODBC Driver 18 for SQL Server};SERVER=sql.example.test,14330;"
        "DATABASE=Holocron;UID=holocron_reader;PWD={" + CANARY_PASSWORD + "};"
        "TrustServerCertificate=yes"
    )


def test_a_password_with_reserved_characters_survives_the_round_trip(clean_env):
    password = "a;b}c{d=e " + CANARY_PASSWORD
    settings = load_settings(
        env={
            "HOLOCRON_HOME": str(clean_env),
            "SEED_SQLSERVER_HOST": "h",
            "SEED_SQLSERVER_USER": "u",
            "SEED_SQLSERVER_PASSWORD": password,
            "SEED_SQLSERVER_TRUST_CERT": "no",
        },
        dotenv=False,
    )
    parsed = parse_connection_string(build_connection_string(settings))
    assert parsed["PWD"] == password
    assert parsed["SERVER"] == "h,1433"
    assert parsed["TRUSTSERVERCERTIFICATE"] == "no"


def test_a_complete_connection_string_overrides_the_parts(clean_env):
    settings = load_settings(
        env={
            "HOLOCRON_HOME": str(clean_env),
            "SEED_SQLSERVER_HOST": "ignored",
            "SEED_SQLSERVER_CONN_STR": "DSN=holocron;UID=u;PWD=p4ss",
        },
        dotenv=False,
    )
    assert build_connection_string(settings) == "DSN=holocron;UID=u;PWD=p4ss"


@pytest.mark.parametrize(
    "text",
    [
        f"Driver=x;PWD={CANARY_PASSWORD};UID=u",
        f"driver=x;pwd = {{{CANARY_PASSWORD};with}}}}braces}};uid=u",
        f"Server=s;Password={CANARY_PASSWORD}",
    ],
)
def test_scrub_removes_password_fragments(text):
    cleaned = scrub(f"failed with {text}; here")
    _no_canary(cleaned)
    assert "=***" in cleaned and cleaned.startswith("failed with ") and "here" in cleaned


def test_exec_statement_sends_named_parameters_as_markers():
    sql, values = exec_statement("llm.usp_complete_job", {"job_id": "j", "@status": "FAILED"})
    assert sql == "EXEC llm.usp_complete_job @job_id = ?, @status = ?"
    assert values == ["j", "FAILED"]
    assert exec_statement("[llm].[usp_get_queue_health_summary]", {}) == (
        "EXEC [llm].[usp_get_queue_health_summary]",
        [],
    )


def test_exec_statement_refuses_names_that_are_not_names():
    with pytest.raises(UnknownObjectError):
        exec_statement("llm.usp_x; DROP TABLE llm.job", {})
    with pytest.raises(ProcedureParameterError, match="a = 1") as info:
        exec_statement("llm.usp_x", {"a = 1; --": 1})
    assert info.value.procedure == "llm.usp_x"


# --- the backend through unixODBC ---------------------------------------------------------


def test_settings_with_a_connection_string_give_the_pyodbc_backend(odbc_db, sqlite_env):
    assert isinstance(odbc_db, SqlServerDatabase)
    assert odbc_db.backend == "sqlserver"
    assert str(sqlite_env) in repr(odbc_db) and SQLITE_DRIVER in repr(odbc_db)


def test_bound_values_arrive_as_data_and_come_back_as_a_frame(odbc_db):
    rows = [
        (1, "Obi-Wan 'Ben' Kenobi", "Stewjon", 1.82, dt.date(1977, 5, 25)),
        (2, 'The "Client"; DROP TABLE character; --', None, None, None),
        (3, "Chewbacca", "Kashyyyk", 2.28, dt.date(1977, 5, 25)),
    ]
    for row in rows:
        affected = odbc_db.execute(
            "INSERT INTO character (id, name, homeworld, height_m, first_seen) "
            "VALUES (?, ?, ?, ?, ?)",
            list(row),
        )
        assert affected == 1
    frame = odbc_db.query(
        "SELECT id, name, homeworld, height_m, first_seen FROM character WHERE id >= ? "
        "ORDER BY id",
        [1],
    )
    assert list(frame.columns) == ["id", "name", "homeworld", "height_m", "first_seen"]
    assert [tuple(None if v != v else v for v in r) for r in frame.itertuples(index=False)] == rows
    assert odbc_db.scalar("SELECT COUNT(*) FROM character") == 3
    assert odbc_db.scalar("SELECT name FROM character WHERE id = ?", [99]) is None
    empty = odbc_db.query("SELECT id, name FROM character WHERE id < 0")
    assert list(empty.columns) == ["id", "name"] and empty.empty


def test_update_reports_rows_affected(odbc_db):
    for i in range(4):
        odbc_db.execute("INSERT INTO character (id, name) VALUES (?, ?)", [i, f"clone {i}"])
    assert odbc_db.execute("UPDATE character SET homeworld = ? WHERE id < ?", ["Kamino", 3]) == 3


def test_a_transaction_commits_or_really_rolls_back(odbc_db, sqlite_env):
    with odbc_db.transaction() as tx:
        tx.execute("INSERT INTO character (id, name) VALUES (?, ?)", [1, "Rey"])
    with pytest.raises(RuntimeError), odbc_db.transaction() as tx:
        tx.execute("INSERT INTO character (id, name) VALUES (?, ?)", [2, "Finn"])
        assert tx.scalar("SELECT COUNT(*) FROM character") == 2
        raise RuntimeError("undo")
    with odbc_db.transaction() as tx:
        tx.execute("DELETE FROM character")
        tx.rollback()
    assert not odbc_db.in_transaction
    with connect() as other:  # a second connection sees what was committed, and only that
        names = other.query("SELECT name FROM character ORDER BY id")["name"].tolist()
    assert names == ["Rey"]


def test_a_dry_run_rolls_back_unless_confirmed(odbc_db):
    with odbc_db.dry_run(False) as tx:
        tx.execute("INSERT INTO character (id, name) VALUES (?, ?)", [1, "Rey"])
        assert not tx.keeps_writes and tx.scalar("SELECT COUNT(*) FROM character") == 1
    with odbc_db.dry_run(True) as tx:
        tx.execute("INSERT INTO character (id, name) VALUES (?, ?)", [2, "Finn"])
    with pytest.raises(RuntimeError), odbc_db.dry_run(True) as tx:
        tx.execute("INSERT INTO character (id, name) VALUES (?, ?)", [3, "Poe"])
        raise RuntimeError("undo")
    assert not odbc_db.in_transaction
    with connect() as other:  # a second connection sees only the confirmed row
        names = other.query("SELECT name FROM character ORDER BY id")["name"].tolist()
    assert names == ["Finn"]


def test_a_bad_statement_is_a_database_error_and_the_connection_works_on(odbc_db):
    with pytest.raises(DatabaseError) as err:
        odbc_db.query("SELEC name FROM character")
    assert err.value.backend == "sqlserver"
    assert "in: SELEC name FROM character" in str(err.value)
    with pytest.raises(DatabaseError), odbc_db.transaction() as tx:
        tx.execute("INSERT INTO character (id, name) VALUES (?, ?)", [1, "Rey"])
        tx.execute("INSERT INTO character (id, name) VALUES (?, ?)", [1, "duplicate"])
    assert odbc_db.scalar("SELECT COUNT(*) FROM character") == 0
    assert pickle.loads(pickle.dumps(err.value)).message == err.value.message


def test_a_secret_in_a_failing_statement_is_scrubbed(odbc_db, monkeypatch):
    with pytest.raises(DatabaseError) as err:
        odbc_db.query(f"SELECT * FROM nowhere WHERE pwd = 'PWD={CANARY_PASSWORD}'")
    _no_canary(str(err.value), repr(err.value.args))


def test_an_unknown_driver_is_named_without_the_password(clean_env, monkeypatch):
    monkeypatch.setenv("SEED_SQLSERVER_HOST", "sql.example.test")
    monkeypatch.setenv("SEED_SQLSERVER_USER", "holocron_reader")
    monkeypatch.setenv("SEED_SQLSERVER_PASSWORD", CANARY_PASSWORD)
    monkeypatch.setenv("SEED_SQLSERVER_DRIVER", "No Such ODBC Driver 99")
    with pytest.raises(ConnectionFailedError) as err:
        connect()
    message = str(err.value)
    assert "No Such ODBC Driver 99" in message
    assert "odbcinst -q -d" in message
    _no_canary(message, repr(err.value.args), pickle.dumps(err.value).decode("latin-1"))
    # the driver's own exception is not chained on, so a traceback shows only the scrubbed text
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_an_unknown_dsn_in_a_connection_string_is_named_without_it(clean_env, monkeypatch):
    monkeypatch.setenv(
        "SEED_SQLSERVER_CONN_STR", f"DSN=holocron_missing;UID=u;PWD={CANARY_PASSWORD}"
    )
    with pytest.raises(ConnectionFailedError) as err:
        connect()
    assert "holocron_missing" in str(err.value)
    _no_canary(str(err.value), repr(err.value.args))


def test_repr_shows_the_target_and_never_the_password(clean_env, monkeypatch):
    path = clean_env / "secret.sqlite"
    monkeypatch.setenv(
        "SEED_SQLSERVER_CONN_STR", f"Driver={SQLITE_DRIVER};Database={path};PWD={CANARY_PASSWORD}"
    )
    with connect() as db:
        text = repr(db)
        assert "sqlserver" in text and str(path) in text
        _no_canary(text, str(db), db.target)
    assert "closed" in repr(db)
