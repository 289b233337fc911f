"""Quoting identifiers and literals, and reading qualified names (tsql/names)."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from holocron_lib.tsql.names import NAME_RE, quote_duckdb, quote_tsql, split_name, string_literal


@pytest.mark.parametrize("name, quoted", [
    ("rank", "[rank]"),
    ("a]b", "[a]]b]"),
    ("]]", "[]]]]]"),
    ("[x]", "[[x]]]"),
    ("two words", "[two words]"),
    ('say "hi"', '[say "hi"]'),
    ("dbo.DimEntity", "[dbo.DimEntity]"),  # one part: the dot belongs to the name
])
def test_quote_tsql_brackets_one_part_and_doubles_closing_brackets(name, quoted):
    assert quote_tsql(name) == quoted


def test_quote_tsql_quotes_each_part_of_a_dotted_name():
    assert quote_tsql("dbo", "DimEntity") == "[dbo].[DimEntity]"
    assert quote_tsql(*split_name("[llm].[job]")) == "[llm].[job]"
    assert quote_tsql(*split_name("Weird]Table")) == "[dbo].[Weird]]Table]"


@pytest.mark.parametrize("name", ["a]b", "x]]y", "[lead", "end]", "dotted.name", "it's"])
def test_a_bracket_quoted_name_reads_back_as_the_same_identifier(name):
    column = sqlglot.parse_one(f"SELECT 1 AS {quote_tsql(name)}", read="tsql").expressions[0]
    assert column.alias == name


def test_quote_duckdb_doubles_double_quotes_and_duckdb_reads_it_back():
    assert quote_duckdb('say "hi"') == '"say ""hi"""'
    assert quote_duckdb("main", "t") == '"main"."t"'
    odd = 'a"b]c'
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE {quote_duckdb('main', odd)} (x INTEGER)")
        con.execute(f"INSERT INTO {quote_duckdb('main', odd)} VALUES (7)")
        assert con.execute(f"SELECT x FROM {quote_duckdb(odd)}").fetchall() == [(7,)]
    finally:
        con.close()


def test_quoting_needs_a_name():
    with pytest.raises(ValueError, match="quote_tsql"):
        quote_tsql()
    with pytest.raises(ValueError, match="quote_duckdb"):
        quote_duckdb()


def test_string_literal_doubles_single_quotes():
    assert string_literal("it's") == "'it''s'"
    text = "a'b''c"
    assert duckdb.execute(f"SELECT {string_literal(text)}").fetchone() == (text,)


@pytest.mark.parametrize("name, parts", [
    ("DimEntity", ("dbo", "DimEntity")),
    ("llm.job", ("llm", "job")),
    ("[llm].[job]", ("llm", "job")),
    ('"sem"."Page"', ("sem", "Page")),
    (" [dbo] . [DimWork] ", ("dbo", "DimWork")),
    ("Holocron.llm.job", ("llm", "job")),
    ("Holocron..usp_x", ("dbo", "usp_x")),
])
def test_split_name(name, parts):
    assert split_name(name) == parts


def test_split_name_takes_another_default_schema():
    assert split_name("job", default_schema="") == ("", "job")


@pytest.mark.parametrize("name, ok", [
    ("dbo.usp_x", True), ("[llm].[usp_claim]", True), ("a.b.c", True), ("usp_x", True),
    ("a.b.c.d", False), ("x; DROP TABLE y", False), ("", False),
])
def test_name_re_accepts_object_names_only(name, ok):
    assert bool(NAME_RE.match(name)) is ok
