"""The T-SQL support list keeps its word: every sample runs with its answer or is refused by
name, the allow-list follows the list, and the book page is the rendered list."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp
from tsql_fixture import FIXTURE_TYPES, fixture_connection, plain

from holocron_lib.errors import TranslationError
from holocron_lib.tsql import supportpage
from holocron_lib.tsql.features import CATEGORIES, NO_VALUE, REFUSED, SAME, STATUSES, TRANSLATED
from holocron_lib.tsql.support import FEATURES
from holocron_lib.tsql.translate import translate, translate_batch

ROOT = Path(__file__).resolve().parent.parent
RUNNING = [f for f in FEATURES if f.status != REFUSED]
REFUSING = [f for f in FEATURES if f.status == REFUSED]


@pytest.fixture
def con():
    connection = fixture_connection()
    yield connection
    connection.close()


def _first_value(con: duckdb.DuckDBPyConnection, tsql: str):
    """The first value of the batch's answer: its first row-returning statement's first row."""
    statements = translate_batch(tsql, FIXTURE_TYPES)
    answer = None
    for statement in statements:
        cursor = con.execute(statement.sql)
        if statement.returns_rows and answer is None:
            answer = cursor.fetchall()
    if answer is None:  # a statement run for its effect: the rows it touched
        answer = cursor.fetchall() if cursor.description else []
    return plain(answer[0][0]) if answer and answer[0] else None


@pytest.mark.parametrize("feature", RUNNING, ids=[f.name for f in RUNNING])
def test_same_or_translated_feature_gives_sql_server_answer(con, feature):
    value = _first_value(con, feature.sample)
    if feature.expect is NO_VALUE:
        return
    if isinstance(feature.expect, float):
        assert value == pytest.approx(feature.expect, abs=1e-9)
    else:
        assert value == feature.expect


@pytest.mark.parametrize("feature", REFUSING, ids=[f.name for f in REFUSING])
def test_refused_feature_raises_translation_error_naming_it(feature):
    with pytest.raises(TranslationError) as info:
        translate(feature.sample, FIXTURE_TYPES)
    reason = info.value.reason.upper()
    words = [w for w in feature.name.replace("/", " ").replace("...", " ").split()
             if w.strip("@#()") and w.isascii()]
    assert any(w.strip("()@#").upper() in reason for w in words), (feature.name, reason)


@pytest.mark.parametrize("feature", [f for f in FEATURES if f.nodes],
                         ids=[f.name for f in FEATURES if f.nodes])
def test_declared_nodes_appear_in_the_sample(feature):
    """A feature speaks for the sqlglot expressions its own sample parses to."""
    from holocron_lib.tsql.translate import _Dialect

    found: set[str] = set()
    for tree in sqlglot.parse(feature.sample.replace("\nGO\n", ";\n"), read=_Dialect):
        for node in tree.walk() if tree is not None else ():
            found.add(type(node).__name__)
            if isinstance(node, exp.Anonymous):
                found.add("anon:" + node.name.upper())
    missing = [n for n in feature.nodes if n not in found]
    # the aliases of one entry (SUSER_SNAME, HOST_NAME, ...) need not all be in one sample
    assert len(missing) < len(feature.nodes), (feature.name, missing)


def test_the_list_is_well_formed():
    names = [f.name for f in FEATURES]
    assert len(names) == len(set(names))
    assert {f.status for f in FEATURES} == set(STATUSES)
    assert {f.category for f in FEATURES} == set(CATEGORIES)
    for feature in FEATURES:
        if feature.status != SAME:
            assert feature.note, f"{feature.name}: a translated or refused feature says how"
    assert len([f for f in FEATURES if f.status == TRANSLATED]) >= 60
    assert len(REFUSING) >= 30


@pytest.mark.parametrize("tsql", [
    "SELECT FROBNICATE(1)",
    "SELECT NO_SUCH_FUNCTION(a) FROM t",
])
def test_a_function_the_list_does_not_know_is_refused_by_name(tsql):
    with pytest.raises(TranslationError) as info:
        translate(tsql)
    assert tsql.split("(")[0].split()[-1] in info.value.reason


def test_a_schema_qualified_function_is_left_to_the_database():
    assert translate("SELECT dbo.fn_score(1) AS s") == "SELECT dbo.fn_score(1) AS s"


def test_refusals_happen_before_anything_runs(con):
    """A refused statement in a batch stops the whole batch from translating."""
    with pytest.raises(TranslationError):
        translate_batch("INSERT INTO llm.job (JobId) VALUES (900); SELECT SOUNDEX('x')")
    assert con.execute("SELECT COUNT(*) FROM llm.job WHERE JobId = 900").fetchone() == (0,)


# --- the book page ------------------------------------------------------------------------


def test_support_page_is_the_rendered_list():
    page = (ROOT / "book" / "tsql-support.md").read_text(encoding="utf-8")
    assert supportpage.marked_region(page) == supportpage.render_support_tables(), (
        "regenerate with: python -m holocron_lib.tsql.supportpage book/tsql-support.md")


def test_support_page_is_in_the_table_of_contents_after_the_sql_server_page():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert toc.index("book/sql-server") < toc.index("book/tsql-support")


def test_rendered_tables_list_every_feature_under_its_category():
    text = supportpage.render_support_tables()
    for feature in FEATURES:
        assert f"| `{feature.name.replace('|', chr(92) + '|')}` | {feature.status} |" in text
    for category in CATEGORIES:
        assert f"## {category[0].upper()}{category[1:]}" in text


def test_update_page_rewrites_only_the_marked_region(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(f"# T\n\nProse.\n\n{supportpage.START_MARKER}\nstale\n"
                    f"{supportpage.END_MARKER}\nAfter.\n", encoding="utf-8")
    assert supportpage.update_page(page) is True
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# T\n\nProse.\n\n") and text.endswith("After.\n")
    assert supportpage.marked_region(text) == supportpage.render_support_tables()
    assert supportpage.update_page(page) is False
