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


# CONVERT(string, date, style): strftime patterns of SQL Server's date styles; %F stands for
# the fraction digits of the source type (three for datetime, seven for datetime2).
_STYLES = {
    1: "%m/%d/%y", 101: "%m/%d/%Y", 2: "%y.%m.%d", 102: "%Y.%m.%d", 3: "%d/%m/%y",
    103: "%d/%m/%Y", 4: "%d.%m.%y", 104: "%d.%m.%Y", 5: "%d-%m-%y", 105: "%d-%m-%Y",
    6: "%d %b %y", 106: "%d %b %Y", 7: "%b %d, %y", 107: "%b %d, %Y", 8: "%H:%M:%S",
    108: "%H:%M:%S", 24: "%H:%M:%S", 10: "%m-%d-%y", 110: "%m-%d-%Y", 11: "%y/%m/%d",
    111: "%Y/%m/%d", 12: "%y%m%d", 112: "%Y%m%d", 13: "%d %b %Y %H:%M:%S:%g",
    113: "%d %b %Y %H:%M:%S:%g", 14: "%H:%M:%S:%g", 114: "%H:%M:%S:%g",
    20: "%Y-%m-%d %H:%M:%S", 120: "%Y-%m-%d %H:%M:%S", 21: "%Y-%m-%d %H:%M:%S.%F",
    121: "%Y-%m-%d %H:%M:%S.%F", 23: "%Y-%m-%d", 126: "%Y-%m-%dT%H:%M:%S.%F",
}
# Styles a string is read back with (CONVERT(date, '05/01/2024', 103)).
_READ_STYLES = {101, 103, 104, 105, 110, 111, 112, 120, 121, 23, 126, 20, 21}


def convert_style(original: str, value: exp.Expression, source: SqlType | None,
                  target: SqlType, style: int) -> exp.Expression:
    """CONVERT with a date style: a date written as text, or text read as a date."""
    if target.is_string:
        if source is not None and source.is_string:
            return value
        if source is not None and not source.is_temporal:
            if style == 0:
                return as_text(value, source, original)
            raise TranslationError(original, f"CONVERT style {style} of a {source.name} is not "
                                             "supported on the embedded backend")
        if style in (0, 100):
            return _call("tsql_datetime_text", exp.Cast(this=value,
                                                        to=exp.DataType.build("TIMESTAMP")))
        pattern = _STYLES.get(style)
        if pattern is None:
            raise TranslationError(original, f"CONVERT date style {style} is not supported on "
                                             "the embedded backend")
        digits = source.precision if source is not None and source.name == "datetime2" else 3
        moment = exp.Cast(this=value, to=exp.DataType.build("TIMESTAMP"))
        if "%F" not in pattern:
            return _call("strftime", moment, exp.Literal.string(pattern))
        head, _, tail = pattern.partition(".%F")
        text = _call("strftime", moment, exp.Literal.string(head))
        fraction = _call("tsql_fraction_text", moment.copy(), exp.Literal.number(digits))
        if style == 126:  # a zero fraction is left out
            zero = exp.EQ(this=exp.Mod(this=_call("epoch_us", moment.copy()),
                                       expression=exp.Literal.number(10**6)),
                          expression=exp.Literal.number(0))
            fraction = exp.If(this=zero, true=exp.Literal.string(""), false=fraction)
        return exp.DPipe(this=text, expression=fraction, safe=False)
    if target.is_temporal and (source is None or source.is_string):
        if style not in _READ_STYLES:
            raise TranslationError(original, f"CONVERT of a string with style {style} is not "
                                             "supported on the embedded backend")
        pattern = _STYLES[style].replace(".%F", "")
        formats = [pattern, pattern + ".%g", pattern + ".%f"] if "%S" in pattern else [pattern]
        parsed = _call("strptime", value, exp.Array(expressions=[exp.Literal.string(f)
                                                                 for f in formats]))
        kind = "DATE" if target.name == "date" else "TIME" if target.name == "time" else (
            "TIMESTAMP")
        return exp.Cast(this=parsed, to=exp.DataType.build(kind))
    raise TranslationError(original, f"CONVERT style {style} to {target.name} is not supported "
                                     "on the embedded backend")
