"""T-SQL batches through the Database interface on DuckDB: variables across statements, the
first result set, parameters per statement, and SQL Server's error messages."""

from __future__ import annotations

import duckdb
import pytest

from holocron_lib.db.connection import connect
from holocron_lib.errors import DatabaseError, TranslationError

DDL = """
CREATE SCHEMA dbo;
CREATE TABLE dbo.Thing (ThingKey INTEGER PRIMARY KEY, Label VARCHAR, Weight DECIMAL(6, 2));
INSERT INTO dbo.Thing VALUES (1, 'alpha', 1.50), (2, 'beta', 2.25), (3, 'gamma  ', NULL);
"""


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("batches") / "things.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(DDL)
    return path


@pytest.fixture
def db(db_path):
    with connect(path=db_path) as handle:
        yield handle


def test_a_declared_variable_is_read_by_a_later_statement_with_parameters(db):
    frame = db.query("DECLARE @n INT = ?; SELECT TOP (@n) ThingKey FROM dbo.Thing "
                     "WHERE Label <> ? ORDER BY ThingKey", [2, "alpha"])
    assert frame["ThingKey"].tolist() == [2, 3]


def test_select_assignment_then_query(db):
    frame = db.query("DECLARE @heaviest INT; "
                     "SELECT @heaviest = ThingKey FROM dbo.Thing WHERE Weight IS NOT NULL "
                     "ORDER BY Weight; "
                     "SELECT Label FROM dbo.Thing WHERE ThingKey = @heaviest")
    assert frame["Label"].tolist() == ["beta"]


def test_variables_end_with_the_call(db):
    assert db.scalar("DECLARE @x INT = 5; SELECT @x") == 5
    with pytest.raises(TranslationError) as info:
        db.scalar("SELECT @x")
    assert 'Must declare the scalar variable "@x".' in str(info.value)


def test_the_answer_is_the_first_result_set(db):
    frame = db.query("SELECT 1 AS first_set; SELECT 2 AS second_set")
    assert list(frame.columns) == ["first_set"]


def test_statements_before_the_query_take_effect(db):
    frame = db.query("INSERT INTO dbo.Thing (ThingKey, Label) VALUES (4, 'delta'); "
                     "SELECT COUNT(*) AS n FROM dbo.Thing")
    assert frame["n"].tolist() == [4]
    assert db.execute("UPDATE dbo.Thing SET Label = 'x' WHERE ThingKey = 4; "
                      "DELETE FROM dbo.Thing WHERE ThingKey >= ?", [4]) == 1


def test_table_variable_and_temp_table_in_one_call(db):
    frame = db.query("DECLARE @t TABLE (k INT); INSERT INTO @t SELECT ThingKey FROM dbo.Thing; "
                     "SELECT k INTO #kept FROM @t WHERE k > 1; SELECT COUNT(*) AS n FROM #kept")
    assert frame["n"].tolist() == [2]


def test_trailing_spaces_are_ignored_by_equality(db):
    assert db.scalar("SELECT ThingKey FROM dbo.Thing WHERE Label = ?", ["gamma"]) == 3


@pytest.mark.parametrize(("tsql", "message"), [
    ("SELECT AVG(Wieght) FROM dbo.Thing", "Invalid column name 'Wieght'."),
    ("SELECT Lable FROM dbo.Thing", "Invalid column name 'Lable'."),
    ("SELECT t.Lable FROM dbo.Thing AS t", "Invalid column name 'Lable'."),
    ("SELECT Label + 1 FROM dbo.Thing", "Conversion failed when converting the nvarchar value "
                                         "'alpha' to data type int."),
    ("SELECT 'a' + 1", "Conversion failed when converting the varchar value 'a' to data type int."),
    ("SELECT ThingKey / 0 FROM dbo.Thing", "Divide by zero error encountered."),
], ids=["unknown-in-avg", "unknown", "unknown-qualified", "nvarchar-conversion",
        "varchar-conversion", "divide-by-zero"])
def test_errors_read_as_sql_server_words_them(db, tsql, message):
    with pytest.raises(DatabaseError) as info:
        db.query(tsql)
    assert str(info.value).startswith(f"[duckdb] {message}\n  in: ")


def test_a_refused_statement_stops_the_batch_before_anything_runs(db):
    with pytest.raises(TranslationError):
        db.query("INSERT INTO dbo.Thing (ThingKey) VALUES (9); SELECT SOUNDEX(Label) FROM dbo.Thing")
    assert db.scalar("SELECT COUNT(*) FROM dbo.Thing WHERE ThingKey = 9") == 0
