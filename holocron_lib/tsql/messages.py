"""DuckDB's error messages in SQL Server's words, so a failure reads as the server would say it.

The translation makes DuckDB fail where SQL Server fails (a string that is no integer, a
division by zero, an unknown column); this module rewords DuckDB's message for those cases
and leaves any other message as it is. ``diagnose`` finds the real culprit behind DuckDB's
"Macro ... has multiple overloads" (an unknown column inside a typed macro call).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

__all__ = ["diagnose", "sql_server_message"]

_DUCK_TYPES = {"INT8": "tinyint", "UINT8": "tinyint", "INT16": "smallint", "INT32": "int",
               "INT64": "bigint", "INT128": "bigint", "DOUBLE": "float", "FLOAT": "real",
               "BOOL": "bit", "BOOLEAN": "bit", "UUID": "uniqueidentifier"}
_PREFIX = re.compile(r"^(?:[A-Z][A-Za-z ]*Error|Invalid Input Error): ")


def _rules() -> list[tuple[re.Pattern, Callable[[re.Match], str]]]:
    def type_name(raw: str) -> str:
        if raw.startswith("DECIMAL"):
            return "numeric"
        return _DUCK_TYPES.get(raw, raw.lower())

    def conversion(m: re.Match) -> str:
        target = type_name(m.group(2))
        if target in ("numeric", "float", "real"):
            return f"Error converting data type nvarchar to {target}."
        if target == "uniqueidentifier":
            return "Conversion failed when converting from a character string to uniqueidentifier."
        return (f"Conversion failed when converting the nvarchar value '{m.group(1)}' "
                f"to data type {target}.")

    return [
        (re.compile(r"Referenced column \"([^\"]+)\" not found"),
         lambda m: f"Invalid column name '{m.group(1)}'."),
        (re.compile(r"Table \"[^\"]+\" does not have a column named \"([^\"]+)\""),
         lambda m: f"Invalid column name '{m.group(1)}'."),
        (re.compile(r"Division by zero"), lambda m: "Divide by zero error encountered."),
        (re.compile(r"Could not convert string ['\"](.*?)['\"] to ([A-Z0-9]+(?:\(\d+,\d+\))?)"),
         conversion),
        (re.compile(r"Date out of range: \d+-\d+-\d+$"),
         lambda m: "Cannot construct data type date, some of the arguments have values which "
                   "are not valid."),
        (re.compile(r"(?:invalid date field format|date field value out of range|"
                    r"timestamp field value out of range|time field value out of range)"),
         lambda m: "Conversion failed when converting date and/or time from character string."),
        (re.compile(r"Type \w+ with value .* can't be cast because the value is out of range "
                    r"for the destination type (\w+)"),
         lambda m: "Arithmetic overflow error converting expression to data type "
                   f"{type_name(m.group(1))}."),
        (re.compile(r"Overflow in (?:addition|subtraction|multiplication) of (\w+)"),
         lambda m: "Arithmetic overflow error converting expression to data type "
                   f"{type_name(m.group(1))}."),
    ]


_RULES = _rules()


def sql_server_message(duckdb_message: str) -> str | None:
    """SQL Server's message for a DuckDB error the translation maps, else None."""
    first = duckdb_message.split("\n\nLINE ", 1)[0].strip()
    for pattern, word in _RULES:
        found = pattern.search(first)
        if found:
            return word(found)
    if first.startswith("Invalid Input Error: "):
        text = _PREFIX.sub("", first).split("\n", 1)[0]
        # raised by a translation macro (error(...)), already in SQL Server's words
        if text.startswith(OWN_MESSAGES):
            return text
    return None


# How the messages of the translation's own error(...) calls begin.
OWN_MESSAGES = ("Conversion failed when converting", "The conversion of the",
                "Error converting data type", "Divide by zero error", "adding a string",
                "AVG over a decimal", "FORMAT ", "The TOP N", "Must declare",
                "Invalid length parameter", "LIKE with ESCAPE")


# Typed macros whose binder failure hides the argument's own error, and a neutral stand-in
# that binds the same arguments (an aggregate for an aggregate).
_STAND_INS = {"tsql_avg": "count", "tsql_sum": "count"}
_OVERLOADED = ("tsql_add", "tsql_int_part", "tsql_try_int_part", "tsql_pad", "tsql_avg",
               "tsql_sum", "tsql_like")


def diagnose(duckdb_sql: str, explain: Callable[[str], object]) -> str | None:
    """The error DuckDB gives once typed macros stand aside, or None.

    ``explain`` binds a statement (e.g. runs ``EXPLAIN`` on it) and raises on failure; it is
    called only on the error path, with the macro calls replaced by plain functions.
    """
    try:
        statements = sqlglot.parse(duckdb_sql, read="duckdb")
    except SqlglotError:
        return None
    for statement in statements:
        if statement is None:
            continue
        probe = statement.transform(_stand_in)
        try:
            explain(probe.sql(dialect="duckdb"))
        except Exception as exc:  # noqa: BLE001 - any binder failure is the diagnosis
            return sql_server_message(str(exc))
    return None


def _stand_in(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Anonymous) and node.name.lower() in _OVERLOADED:
        name = _STAND_INS.get(node.name.lower(), "concat")
        return exp.Anonymous(this=name, expressions=[a.copy() for a in node.expressions])
    return node
