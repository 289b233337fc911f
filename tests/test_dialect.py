"""T-SQL -> DuckDB: the corpus in tests/sql/ gives the expected rows; batches, errors, session."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import uuid
from pathlib import Path

import duckdb
import pytest
from tsql_fixture import FIXTURE_TYPES, fixture_connection
from tsql_fixture import plain as _plain

from holocron_lib.errors import HolocronError, TranslationError
from holocron_lib.schema.apply import VIEWS_DIR
from holocron_lib.schema.ddl import column_types
from holocron_lib.tsql.macros import MACROS, install_macros
from holocron_lib.tsql.messages import sql_server_message
from holocron_lib.tsql.rewrites import PARAM_PREFIX
from holocron_lib.tsql.translate import configure_session, split_batches, translate

CORPUS = Path(__file__).parent / "sql"
VIEW_FILES = sorted(VIEWS_DIR.glob("*.sql"))
SHAPES = sorted(p.name.removesuffix(".sql") for p in CORPUS.glob("*.sql"))

@pytest.fixture
def con():
    """A fresh in-memory database per test: some corpus shapes write."""
    connection = fixture_connection()
    yield connection
    connection.close()


def _typed(rows):
    # Types matter: 3 and 3.0 are different answers to an integer division or an AVG.
    return [[(type(v).__name__, v) for v in row] for row in rows]


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPES)
def test_corpus_shape_returns_expected_rows(con, shape):
    """Rows as SQL Server returns them, or SQL Server's error message (``"error"``)."""
    tsql = (CORPUS / f"{shape}.sql").read_text(encoding="utf-8")
    expected = json.loads((CORPUS / f"{shape}.expected.json").read_text(encoding="utf-8"))
    duck = translate(tsql, FIXTURE_TYPES)
    if "error" in expected:
        with pytest.raises(duckdb.Error) as info:
            con.execute(duck, expected.get("params")).fetchall()
        assert sql_server_message(str(info.value)) == expected["error"]
        return
    result = con.execute(duck, expected.get("params"))
    columns = [d[0] for d in result.description]
    rows = [[_plain(v) for v in row] for row in result.fetchall()]
    assert columns == expected["columns"]
    assert _typed(rows) == _typed(expected["rows"])


def test_every_shape_has_expected_rows():
    expected = {p.name.removesuffix(".expected.json") for p in CORPUS.glob("*.expected.json")}
    assert expected == set(SHAPES)
    assert len(SHAPES) >= 21


@pytest.mark.parametrize("path", VIEW_FILES, ids=[p.name for p in VIEW_FILES])
def test_project_view_batches_translate(path):
    batches = split_batches(path.read_text(encoding="utf-8"))
    assert batches
    for batch in batches:
        assert translate(batch).upper().startswith(("CREATE", "DROP"))


# --- parameters ---------------------------------------------------------------------------


def test_parameters_in_order_stay_question_marks():
    assert translate("SELECT a FROM t WHERE b = ? AND c IN (?, ?)").count("?") == 3


def test_parameters_moved_by_translation_become_numbered():
    duck = translate("SELECT TOP (?) a FROM t WHERE b = ?")
    assert "?" not in duck
    assert duck.index("$2") < duck.index("$1")


def test_update_top_with_parameters_binds_in_source_order(con):
    duck = translate("UPDATE TOP (?) llm.job SET Status = ? WHERE Status = ?")
    con.execute(duck, [1, "cancelled", "queued"])
    assert con.execute("SELECT count(*) FROM llm.job WHERE Status = 'cancelled'").fetchone() == (1,)


def test_question_mark_inside_string_is_not_a_parameter():
    # (b and the parameter have no type the translator can see: DuckDB decides the padding)
    assert translate("SELECT '?' AS q, a FROM t WHERE b = ?") == (
        "SELECT '?' AS q, a FROM t WHERE TSQL_PAD(b) = TSQL_PAD(?)"
    )


# --- statement shapes -----------------------------------------------------------------------


def test_create_or_alter_view_becomes_create_or_replace():
    assert translate("CREATE OR ALTER VIEW sem.v AS SELECT 1 AS a").startswith(
        "CREATE OR REPLACE VIEW"
    )


def test_session_noops_and_print_are_dropped():
    assert translate("SET NOCOUNT ON; SET ANSI_NULLS ON; PRINT 'hello'") == ""
    assert translate("SET QUOTED_IDENTIFIER ON\nGO\nSELECT 1 AS a") == "SELECT 1 AS a"


def test_types_map_to_duckdb_meaning():
    duck = translate(
        "SELECT CAST(a AS BIT), CAST(a AS FLOAT), CAST(a AS MONEY), CAST(a AS NVARCHAR(MAX))"
    )
    assert duck == (
        "SELECT CAST(a AS BOOLEAN), CAST(a AS DOUBLE), CAST(a AS DECIMAL(19, 4)), CAST(a AS TEXT)"
    )


def test_cast_to_short_varchar_truncates_like_sql_server(con):
    assert con.execute(translate("SELECT CAST('Skywalker' AS VARCHAR(3))")).fetchone() == ("Sky",)


def test_try_convert_stays_lenient(con):
    duck = translate("SELECT TRY_CONVERT(INT, 'x') AS a, CONVERT(INT, '7') AS b")
    assert con.execute(duck).fetchone() == (None, 7)


def test_integer_aggregates_are_integers_in_pandas(con):
    frame = con.execute(
        translate("SELECT SUM(Priority) AS s, AVG(Priority) AS a FROM llm.job")
    ).df()
    assert str(frame["s"].dtype) == "int64"
    assert str(frame["a"].dtype) == "int64"
    assert frame.iloc[0].tolist() == [20, 3]


def test_unaliased_aggregate_keeps_duckdb_column_name(con):
    result = con.execute(translate("SELECT AVG(Priority) FROM llm.job"))
    assert [d[0] for d in result.description] == ["avg(Priority)"]


def test_utc_now_macros_are_naive_utc_timestamps(con):
    duck = translate("SELECT GETUTCDATE(), SYSUTCDATETIME(), SYSDATETIME(), NEWID()")
    utc, sys_utc, local, guid = con.execute(duck).fetchone()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert utc.tzinfo is None and sys_utc.tzinfo is None and local.tzinfo is None
    assert abs((utc - now).total_seconds()) < 3600  # same clock, not a different zone's
    assert isinstance(guid, uuid.UUID)


def test_dateadd_on_utc_now_works(con):
    duck = translate(
        "SELECT COUNT(*) FROM llm.job WHERE CreatedUtc < DATEADD(day, -1, GETUTCDATE())"
    )
    assert con.execute(duck).fetchone() == (6,)


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tsql", "named"),
    [
        ("SELECT FROM WHERE", "syntax error"),
        ("SELECT @n AS n", 'Must declare the scalar variable "@n".'),
        ("SELECT Name FROM dbo.DimEntity WHERE EntityKey = @key", "@key"),
        ("SELECT @@ROWCOUNT", "@@ROWCOUNT"),
        ("SELECT * FROM OPENJSON(@doc)", "OPENJSON"),
        ("SELECT TOP 1 WITH TIES a FROM t", "WITH TIES"),
        ("SET DATEFIRST 1", "DATEFIRST"),
        ("EXEC llm.usp_claim_next_job 'w1'", "EXEC"),
        ("SELECT SCOPE_IDENTITY()", "SCOPE_IDENTITY"),
        ("SELECT a FROM t FOR JSON PATH", "FOR JSON"),
    ],
    ids=[
        "syntax",
        "undeclared-variable",
        "variable",
        "system-variable",
        "openjson",
        "with-ties",
        "set-option",
        "exec",
        "scope-identity",
        "for-json",
    ],
)
def test_untranslatable_tsql_names_the_problem(tsql, named):
    with pytest.raises(TranslationError) as info:
        translate(tsql)
    assert named in str(info.value)
    assert info.value.sql.strip() == tsql
    assert isinstance(info.value, HolocronError)


def test_translation_error_pickles():
    with pytest.raises(TranslationError) as info:
        translate("SELECT a FROM t WHERE b = @b")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.sql, copy.reason) == (info.value.sql, info.value.reason)
    assert str(copy) == str(info.value)


def test_syntax_error_reads_without_sqlglot_internals():
    with pytest.raises(TranslationError) as info:
        translate("SELECT a FROM t WHERE b = ? AND AND c")
    reason = info.value.reason
    assert reason.startswith("syntax error on line 1 near 'AND'")
    assert "<class" not in reason and PARAM_PREFIX not in reason


def test_error_names_the_failing_statement_of_several():
    with pytest.raises(TranslationError) as info:
        translate("SELECT 1 AS a; SELECT @x AS b")
    assert info.value.sql == "SELECT @x AS b"


# --- batches ------------------------------------------------------------------------------


def test_split_batches_on_go_lines():
    script = "CREATE VIEW a AS SELECT 1 AS x\nGO\n  go  -- second\nSELECT 2\n\ngo\n"
    assert split_batches(script) == ["CREATE VIEW a AS SELECT 1 AS x", "SELECT 2"]


def test_split_batches_ignores_go_in_strings_and_comments():
    script = (
        "SELECT 'first line\nGO\nstill the string' AS s\n"
        "/* a comment\nGO\n /* nested */ GO\n*/\n"
        "SELECT 1 AS [GO\nGO]; -- GO\n"
        "SELECT 'go' AS go\n"
        "GO\n"
        "SELECT 3"
    )
    batches = split_batches(script)
    assert len(batches) == 2
    assert batches[0].startswith("SELECT 'first line")
    assert batches[0].endswith("SELECT 'go' AS go")
    assert batches[1] == "SELECT 3"


def test_split_batches_drops_empty_and_comment_only_batches():
    assert split_batches("GO\n\nGO\n-- only a note\nGO\nSELECT 1\nGO") == ["SELECT 1"]
    assert split_batches("") == []


def test_go_not_alone_on_its_line_is_not_a_separator():
    assert split_batches("SELECT 1 GO\nSELECT 2") == ["SELECT 1 GO\nSELECT 2"]


# --- session ------------------------------------------------------------------------------


def test_configure_session_without_dbo_keeps_working():
    connection = duckdb.connect()
    configure_session(connection)
    configure_session(connection)
    assert connection.execute("SELECT 'A' = 'a'").fetchone() == (True,)
    assert connection.execute("SELECT 7 / 2").fetchone() == (3,)
    connection.close()


def test_configure_session_resolves_unqualified_names_to_dbo(con):
    con.execute("CREATE TABLE main.DimEntity (Name VARCHAR)")  # a decoy outside dbo
    assert con.execute(translate("SELECT COUNT(*) FROM DimEntity")).fetchone() == (5,)


def test_case_insensitive_grouping_and_ordering(con):
    con.execute("INSERT INTO dbo.DimEntity (EntityKey, Name, EntityType) VALUES (6, 'x', 'planet')")
    rows = con.execute(
        translate("SELECT COUNT(*) AS n FROM DimEntity GROUP BY EntityType ORDER BY EntityType")
    ).fetchall()
    assert rows == [(3,), (2,), (1,)]


def test_macros_are_temporary(tmp_path):
    path = tmp_path / "file.duckdb"
    with duckdb.connect(str(path)) as first:
        configure_session(first)
        first.execute("CREATE TABLE t (i INTEGER)")
    with duckdb.connect(str(path)) as second:
        names = {
            r[0].lower()
            for r in second.execute(
                "SELECT function_name FROM duckdb_functions() WHERE function_type = 'macro' "
                "AND NOT internal"
            ).fetchall()
        }
        assert not names & {m.lower() for m in MACROS}
        install_macros(second)
        assert second.execute("SELECT tsql_avg(i) FROM (VALUES (1), (2)) AS v(i)").fetchone() == (
            1,
        )


@pytest.mark.parametrize(("tsql", "duck"), [
    ("SELECT DisplayName + SortName FROM DimEntity", "SELECT DisplayName || SortName FROM DimEntity"),
    ("SELECT e.DisplayName + c.Gender FROM dbo.DimEntity AS e JOIN DimCharacter AS c "
     "ON c.EntityKey = e.EntityKey", "SELECT e.DisplayName || c.Gender FROM dbo.DimEntity AS e "
     "JOIN DimCharacter AS c ON c.EntityKey = e.EntityKey"),
    # numbers still add, also where a CTE shadows the table; a derived table's columns keep
    # the types of what they select
    ("SELECT EntityKey + FranchiseKey FROM DimEntity",
     "SELECT EntityKey + FranchiseKey FROM DimEntity"),
    ("WITH DimEntity AS (SELECT 1 AS DisplayName, 2 AS SortName) "
     "SELECT DisplayName + SortName FROM DimEntity",
     "WITH DimEntity AS (SELECT 1 AS DisplayName, 2 AS SortName) "
     "SELECT DisplayName + SortName FROM DimEntity"),
    ("SELECT x.a + x.b FROM (SELECT DisplayName AS a, SortName AS b FROM DimEntity) AS x",
     "SELECT x.a || x.b FROM (SELECT DisplayName AS a, SortName AS b FROM DimEntity) AS x"),
])
def test_plus_on_declared_text_columns_becomes_concatenation(tsql, duck):
    assert translate(tsql, column_types()) == duck


def test_plus_without_the_tables_types_is_decided_by_duckdb(con):
    """With no table types, ``+`` is a typed macro: concatenation once DuckDB sees two strings."""
    duck = translate("SELECT Name + EntityType AS a, EntityKey + 1 AS b FROM DimEntity "
                     "WHERE EntityKey = 4")
    assert "TSQL_ADD(Name, EntityType)" in duck
    assert con.execute(duck).fetchone() == ("TatooinePlanet", 5)
