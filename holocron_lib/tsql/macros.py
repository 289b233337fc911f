"""DuckDB macros standing in for T-SQL built-ins that sqlglot passes through or maps loosely."""

from __future__ import annotations

import duckdb

from holocron_lib.tsql.convertmacros import CONVERSION_MACROS
from holocron_lib.tsql.formats import FORMAT_MACROS
from holocron_lib.tsql.functions import FUNCTION_MACROS
from holocron_lib.tsql.likes import LIKE_MACROS
from holocron_lib.tsql.padding import PADDING_MACROS
from holocron_lib.tsql.textcasts import TEXT_MACROS

_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT")


def _integer_overloads(name: str, integer_body: str, fallback_body: str,
                       decimal_body: str | None = None) -> str:
    # Typed overloads pick the integer body for integer arguments; the untyped one takes the rest.
    parts = [f"(v {t}) AS {integer_body}" for t in _INTEGERS]
    if decimal_body:
        parts.append(f"(v DECIMAL) AS {decimal_body}")
    parts.append(f"(v) AS {fallback_body}")
    return f"CREATE OR REPLACE TEMP MACRO {name}" + ", ".join(parts)


# Name -> statement. Sessions install them TEMP; the build also stores them in the file
# (``persist_macros``) so the views run where the file is opened without our session set-up.
MACROS: dict[str, str] = {
    # SQL Server returns naive datetimes: UTC for these two, local time for the next two.
    "GETUTCDATE": (
        "CREATE OR REPLACE TEMP MACRO GETUTCDATE() AS "
        "CAST(get_current_timestamp() AT TIME ZONE 'UTC' AS TIMESTAMP)"
    ),
    "SYSUTCDATETIME": (
        "CREATE OR REPLACE TEMP MACRO SYSUTCDATETIME() AS "
        "CAST(get_current_timestamp() AT TIME ZONE 'UTC' AS TIMESTAMP)"
    ),
    "GETDATE": (
        "CREATE OR REPLACE TEMP MACRO GETDATE() AS CAST(current_localtimestamp() AS TIMESTAMP)"
    ),
    "SYSDATETIME": (
        "CREATE OR REPLACE TEMP MACRO SYSDATETIME() AS CAST(current_localtimestamp() AS TIMESTAMP)"
    ),
    "SYSDATETIMEOFFSET": (
        "CREATE OR REPLACE TEMP MACRO SYSDATETIMEOFFSET() AS get_current_timestamp()"
    ),
    "NEWID": "CREATE OR REPLACE TEMP MACRO NEWID() AS uuid()",
    "DB_NAME": "CREATE OR REPLACE TEMP MACRO DB_NAME() AS current_database()",
    "ISJSON": (
        "CREATE OR REPLACE TEMP MACRO ISJSON(v) AS "
        "CASE WHEN v IS NULL THEN NULL WHEN json_valid(v) THEN 1 ELSE 0 END"
    ),
    # DATEDIFF(WEEK, a, b): Sundays crossed, i.e. the distance between the Sundays starting
    # each date's week (dayofweek counts Sunday as 0).
    "tsql_datediff_week": (
        "CREATE OR REPLACE TEMP MACRO tsql_datediff_week(a, b) AS "
        "date_diff('day', CAST(a AS DATE) - CAST(dayofweek(a) AS INTEGER), "
        "CAST(b AS DATE) - CAST(dayofweek(b) AS INTEGER)) // 7"
    ),
    # T-SQL AVG over integers returns an integer, truncated toward zero; DuckDB returns DOUBLE.
    # Of a decimal whose type the translator could not see: SQL Server's decimal(38, 6) for a
    # scale up to 6 (the translator writes the exact form where it knows the type).
    "tsql_avg": _integer_overloads("tsql_avg", "CAST(trunc(avg(v)) AS BIGINT)", "avg(v)",
                                   "CAST(avg(v) AS DECIMAL(38, 6))"),
    # T-SQL SUM over integers stays an integer; DuckDB widens to HUGEINT (a float in pandas).
    "tsql_sum": _integer_overloads("tsql_sum", "CAST(sum(v) AS BIGINT)", "sum(v)"),
    **CONVERSION_MACROS,
    **LIKE_MACROS,
    **PADDING_MACROS,
    **FORMAT_MACROS,
    **FUNCTION_MACROS,
    **TEXT_MACROS,
}


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) every macro in ``MACROS`` on this connection."""
    for statement in MACROS.values():
        con.execute(statement)


def persist_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Store the same macros in the database's ``main`` schema as well.

    Some views call them, and a file opened with plain DuckDB (its CLI, a BI tool, a bare
    ``duckdb.connect``) has none of a session's TEMP macros; with these its views run.
    Sessions of ours still find the TEMP macros first.
    """
    for statement in MACROS.values():
        con.execute(statement.replace("CREATE OR REPLACE TEMP MACRO ",
                                      "CREATE OR REPLACE MACRO main.", 1))
