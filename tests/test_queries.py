import pytest

from holocron_lib.errors import TranslationError
from holocron_lib.notebook.queries import STARTER_QUERIES, bound_query


@pytest.mark.parametrize(
    "sql, expected",
    [
        ("SELECT a FROM t ORDER BY a", "SELECT TOP 5 a FROM t ORDER BY a"),
        ("SELECT TOP 100 a FROM t", "SELECT TOP 5 a FROM t"),
        ("SELECT TOP (3) a FROM t", "SELECT TOP 3 a FROM t"),
        ("WITH x AS (SELECT 1 AS a) SELECT a FROM x", "WITH x AS (SELECT 1 AS a) SELECT TOP 5 a FROM x"),
    ],
)
def test_bound_query_adds_or_lowers_top(sql, expected):
    assert bound_query(sql, 5) == expected


def test_bound_query_wraps_set_operations():
    out = bound_query("SELECT a FROM t UNION ALL SELECT b FROM u", 5)
    assert out.startswith("SELECT TOP 5 * FROM (")


def test_bound_query_rejects_non_select_and_garbage():
    with pytest.raises(TranslationError):
        bound_query("DELETE FROM t", 5)
    with pytest.raises(TranslationError):
        bound_query("SELEC nonsense FROM", 5)


def test_starter_queries_are_unique_and_bounded_without_error():
    names = [q.name for q in STARTER_QUERIES]
    assert len(names) == len(set(names))
    for q in STARTER_QUERIES:
        assert "TOP 7" in bound_query(q.sql, 7)
