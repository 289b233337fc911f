"""The orphan and duplicate-key SQL (schema/integrity): T-SQL, the same answer in both quotings."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from holocron_lib.schema.ddl import load_schema_model
from holocron_lib.schema.integrity import any_orphan_sql, duplicate_key_sql, orphan_sql
from holocron_lib.schema.model import ForeignKey
from holocron_lib.tsql.names import quote_duckdb, quote_tsql
from holocron_lib.tsql.translate import configure_session, translate

# Names that need their quotes: a closing bracket, a double quote, a space, a keyword.
CHILD, PARENT = 'odd."child]rows"', "odd.[parent table]"
FK = ForeignKey("FK_odd", CHILD, ("key]a", 'key"b'), PARENT, ("id]a", "order"))


@pytest.fixture
def con():
    con = duckdb.connect()
    configure_session(con)
    con.execute("CREATE SCHEMA odd")
    con.execute('CREATE TABLE odd."parent table" ("id]a" INTEGER, "order" INTEGER)')
    con.execute('CREATE TABLE odd."child]rows" ("key]a" INTEGER, "key""b" INTEGER)')
    con.execute('INSERT INTO odd."parent table" VALUES (1, 1), (2, 2)')
    con.execute('INSERT INTO odd."child]rows" VALUES '
                "(1, 1), (2, 2), (9, 9), (9, 9), (3, 1), (NULL, 5), (1, NULL), (9, 9)")
    yield con
    con.close()


def both(con, sql_of):
    """Rows of the DuckDB-quoted statement run as it is, and of the T-SQL one translated."""
    direct = con.execute(sql_of(quote_duckdb)).fetchall()
    translated = con.execute(translate(sql_of(quote_tsql))).fetchall()
    return direct, translated


def test_orphans_are_found_with_their_total_in_either_quoting(con):
    direct, translated = both(con, lambda q: orphan_sql(FK, sample_size=5, quote=q))
    # orphan rows: (9, 9) three times and (3, 1); NULL keys are never orphans
    assert direct == translated == [(3, 1, 4), (9, 9, 4)]
    first, _ = both(con, lambda q: orphan_sql(FK, sample_size=1, quote=q))
    assert first == [(3, 1, 4)]


def test_the_one_query_probe_says_whether_any_key_is_broken(con):
    assert both(con, lambda q: any_orphan_sql([FK], q)) == ([(1,)], [(1,)])
    con.execute('DELETE FROM odd."child]rows" WHERE "key]a" IN (3, 9)')
    assert both(con, lambda q: any_orphan_sql([FK], q)) == ([(0,)], [(0,)])
    assert con.execute(any_orphan_sql([])).fetchall() == [(0,)]


def test_duplicate_keys_count_rows_beyond_the_first_of_each_value(con):
    key = ("key]a", 'key"b')
    direct, translated = both(con, lambda q: duplicate_key_sql(CHILD, key, q))
    # keyed rows (both columns set): (1,1) (2,2) (9,9)x3 (3,1) -> 6 rows, 4 values, 2 repeats
    assert direct == translated == [(6, 4, 2)]
    con.execute('DELETE FROM odd."child]rows"')
    assert both(con, lambda q: duplicate_key_sql(CHILD, key, q)) == ([(0, 0, 0)], [(0, 0, 0)])


def test_every_statement_for_the_project_schema_is_t_sql():
    model = load_schema_model()
    statements = [any_orphan_sql(model.foreign_keys)]
    statements += [orphan_sql(fk) for fk in model.foreign_keys]
    statements += [duplicate_key_sql(t.full_name, t.primary_key) for t in model.tables
                   if t.primary_key]
    for sql in statements:
        assert sqlglot.parse_one(sql, read="tsql").key == "select", sql
    assert all("[" in sql and '"' not in sql for sql in statements)
