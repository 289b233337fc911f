"""A value converted to a string as SQL Server writes it (CAST, CONVERT without a style, CONCAT).

SQL Server's style 0 differs from DuckDB's text for several types: a float shows at most six
significant digits (``1.23457e+006``), money two decimals, a datetime ``Jan  5 2024 10:30AM``,
a datetime2 and a time seven fraction digits, a bit ``1``/``0``, a uniqueidentifier upper
case. Integers, decimals, dates and strings read the same. A datetimeoffset is refused.
"""

from __future__ import annotations

from sqlglot import exp

from holocron_lib.errors import TranslationError
from holocron_lib.tsql.sqltypes import SqlType

__all__ = ["TEXT_MACROS", "as_text"]

TEXT_MACROS = {
    # printf's %g gives six significant digits; SQL Server writes the exponent with three.
    "tsql_float_text": (
        "CREATE OR REPLACE TEMP MACRO tsql_float_text(v) AS "
        r"regexp_replace(printf('%g', CAST(v AS DOUBLE)), 'e([+-])([0-9]{2})$', 'e\10\2')"
    ),
    "tsql_datetime_text": (
        "CREATE OR REPLACE TEMP MACRO tsql_datetime_text(v) AS "
        "strftime(v, '%b ') || lpad(CAST(day(v) AS VARCHAR), 2, ' ') || strftime(v, ' %Y ') || "
        "lpad(CAST(CASE WHEN hour(v) % 12 = 0 THEN 12 ELSE hour(v) % 12 END AS VARCHAR), 2, ' ')"
        " || strftime(v, ':%M%p')"
    ),
    # n fraction digits of a time of day (DuckDB keeps microseconds; the 7th digit is 0)
    "tsql_fraction_text": (
        "CREATE OR REPLACE TEMP MACRO tsql_fraction_text(v, n) AS "
        "CASE WHEN n = 0 THEN '' ELSE '.' || left(strftime(v, '%f') || '0', n) END"
    ),
}

def as_text(value: exp.Expression, source: SqlType | None, original: str = "") -> exp.Expression:
    """``value`` as the text SQL Server's style 0 gives; ``value`` itself if that is DuckDB's."""
    if source is None or source.is_string or source.is_integer and source.name != "bit":
        return value
    name = source.name
    if name in ("float", "real"):
        return _call("tsql_float_text", value)
    if name in ("money", "smallmoney"):
        rounded = _call("round", value, exp.Literal.number(2))
        return exp.Cast(this=rounded, to=exp.DataType.build("VARCHAR"))
    if name == "bit":
        return exp.Case(ifs=[exp.If(this=exp.Cast(this=value, to=exp.DataType.build("BOOLEAN")),
                                    true=exp.Literal.string("1"))],
                        default=exp.If(this=exp.Is(this=value.copy(), expression=exp.Null()),
                                       true=exp.Null(), false=exp.Literal.string("0")))
    if name == "uniqueidentifier":
        return _call("upper", exp.Cast(this=value, to=exp.DataType.build("VARCHAR")))
    if name in ("datetime", "smalldatetime"):
        return _call("tsql_datetime_text", exp.Cast(this=value,
                                                    to=exp.DataType.build("TIMESTAMP")))
    if name in ("datetime2", "time"):
        digits = source.precision
        moment: exp.Expression = exp.Cast(this=value, to=exp.DataType.build("TIMESTAMP"))
        if name == "time":  # strftime takes timestamps: the time on an arbitrary day
            day = exp.Cast(this=exp.Literal.string("1970-01-01"), to=exp.DataType.build("DATE"))
            moment = exp.Add(this=day, expression=exp.Cast(this=value,
                                                           to=exp.DataType.build("TIME")))
        pattern = "%Y-%m-%d %H:%M:%S" if name == "datetime2" else "%H:%M:%S"
        whole = _call("strftime", moment, exp.Literal.string(pattern))
        return exp.DPipe(this=whole, expression=_call("tsql_fraction_text", moment.copy(),
                                                      exp.Literal.number(digits)), safe=False)
    if name == "datetimeoffset":
        raise TranslationError(original or value.sql(dialect="tsql"),
                               "converting a datetimeoffset to a string is not supported on "
                               "the embedded backend")
    return value


def _call(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))
