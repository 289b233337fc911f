"""T-SQL built-ins whose DuckDB namesakes (or sqlglot's mapping) answer differently.

DATENAME gives names for month and weekday and unpadded numbers otherwise; DATEPART(week)
counts weeks from the one holding January 1 (Sunday first), not ISO weeks, and
DATEPART(millisecond) is the part within the second; DATALENGTH counts bytes of the declared
type (two per character for nvarchar); STUFF, REPLICATE, CHOOSE and DATEFROMPARTS return
NULL where SQL Server does.
"""

from __future__ import annotations

from sqlglot import exp

from holocron_lib.errors import TranslationError
from holocron_lib.tsql.inference import TypeOracle
from holocron_lib.tsql.sqltypes import SqlType

__all__ = ["FUNCTION_MACROS", "fix_function"]

FUNCTION_MACROS = {
    "tsql_stuff": (
        "CREATE OR REPLACE TEMP MACRO tsql_stuff(s, start, n, r) AS "
        "CASE WHEN s IS NULL OR start IS NULL OR n IS NULL OR start < 1 OR start > length(s) "
        "OR n < 0 THEN NULL ELSE left(s, start - 1) || coalesce(r, '') || "
        "substring(s, start + n) END"
    ),
    "tsql_replicate": (
        "CREATE OR REPLACE TEMP MACRO tsql_replicate(s, n) AS "
        "CASE WHEN n < 0 THEN NULL ELSE repeat(s, CAST(n AS BIGINT)) END"
    ),
    # SQL Server's week number (DATEFIRST 7): week 1 holds January 1, weeks start on Sunday.
    "tsql_week": (
        "CREATE OR REPLACE TEMP MACRO tsql_week(d) AS "
        "(dayofyear(d) - 1 + dayofweek(date_trunc('year', d))) // 7 + 1"
    ),
}

_PARTS = {
    "year": "year", "yy": "year", "yyyy": "year", "quarter": "quarter", "qq": "quarter",
    "q": "quarter", "month": "month", "mm": "month", "m": "month", "dayofyear": "dayofyear",
    "dy": "dayofyear", "y": "dayofyear", "day": "day", "dd": "day", "d": "day",
    "week": "week", "wk": "week", "ww": "week", "weekday": "weekday", "dw": "weekday",
    "w": "weekday", "hour": "hour", "hh": "hour", "minute": "minute", "mi": "minute",
    "n": "minute", "second": "second", "ss": "second", "s": "second",
    "millisecond": "millisecond", "ms": "millisecond", "microsecond": "microsecond",
    "mcs": "microsecond", "nanosecond": "nanosecond", "ns": "nanosecond",
    "iso_week": "isoweek", "isowk": "isoweek", "isoww": "isoweek",
}
# Bytes of a non-string value, by T-SQL type.
_FIXED_LENGTH = {"bit": 1, "tinyint": 1, "smallint": 2, "int": 4, "bigint": 8, "real": 4,
                 "float": 8, "smallmoney": 4, "money": 8, "date": 3, "time": 5,
                 "smalldatetime": 4, "datetime": 8, "datetime2": 8, "datetimeoffset": 10,
                 "uniqueidentifier": 16}


def fix_function(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    if isinstance(node, exp.Extract):
        return _extract(node)
    if not isinstance(node, exp.Anonymous):
        return node
    name, args = node.name.upper(), node.expressions
    original = node.sql(dialect="tsql")
    if name == "DATENAME" and len(args) == 2:
        return oracle.carry(node, _datename(original, args[0], args[1], oracle))
    if name == "DATEFROMPARTS" and len(args) == 3:
        return oracle.carry(node, _call("make_date", *args))
    if name == "STUFF" and len(args) == 4:
        return oracle.carry(node, _call("tsql_stuff", *args))
    if name == "REPLICATE" and len(args) == 2:
        return oracle.carry(node, _call("tsql_replicate", *args))
    if name == "CHOOSE" and len(args) >= 2:
        ifs = [exp.If(this=exp.Literal.number(i), true=a) for i, a in enumerate(args[1:], 1)]
        index = exp.Cast(this=_call("trunc", args[0]), to=exp.DataType.build("INTEGER"))
        return oracle.carry(node, exp.Case(this=index, ifs=ifs))
    if name == "DATALENGTH" and len(args) == 1:
        return oracle.carry(node, _datalength(original, args[0], oracle.type_of(args[0])))
    return node


def _extract(node: exp.Extract) -> exp.Expression:
    unit = node.this.name.upper()
    if unit == "WEEK":
        return _call("tsql_week", exp.Cast(this=node.expression,
                                           to=exp.DataType.build("TIMESTAMP")))
    if unit in ("MILLISECOND", "MICROSECOND"):
        # DuckDB counts the seconds too (5.123 s is 5123 ms); T-SQL only the fraction
        modulus = 1000 if unit == "MILLISECOND" else 1000000
        return exp.Paren(this=exp.Mod(this=node.copy(), expression=exp.Literal.number(modulus)))
    if unit.startswith("TIMEZONE"):
        raise TranslationError(node.sql(dialect="tsql"), "DATEPART(tzoffset) is not supported "
                                                         "on the embedded backend")
    return node


def _datename(original: str, part: exp.Expression, value: exp.Expression,
              oracle: TypeOracle) -> exp.Expression:
    unit = _PARTS.get(part.name.lower())
    if unit is None:
        raise TranslationError(original, f"DATENAME({part.name}) is not supported on the "
                                         "embedded backend")
    kind = oracle.type_of(value)
    moment = value if kind is not None and kind.is_temporal else exp.Cast(
        this=value, to=exp.DataType.build("TIMESTAMP"))
    if unit == "month":
        return _call("monthname", moment)
    if unit == "weekday":
        return _call("dayname", moment)
    if unit == "week":
        number: exp.Expression = _call("tsql_week", moment)
    elif unit in ("millisecond", "microsecond"):
        modulus = 1000 if unit == "millisecond" else 1000000
        number = exp.Mod(this=_call(unit, moment), expression=exp.Literal.number(modulus))
    elif unit == "nanosecond":
        number = exp.Mul(this=exp.Mod(this=_call("microsecond", moment),
                                      expression=exp.Literal.number(1000000)),
                         expression=exp.Literal.number(1000))
    else:
        number = _call(unit, moment)
    return exp.Cast(this=number, to=exp.DataType.build("VARCHAR"))


def _datalength(original: str, value: exp.Expression, kind: SqlType | None) -> exp.Expression:
    if kind is None or kind.name == "not_text":
        raise TranslationError(original, "DATALENGTH of an expression whose type the translator "
                                         "cannot see is not supported; CAST it to its type")
    if kind.name in ("varchar", "text"):
        return _call("length", value)  # a single-byte code page: a byte a character
    if kind.name in ("nvarchar", "ntext"):
        # UTF-16: two bytes a character, four for one beyond the Basic Multilingual Plane
        beyond = _call("length", _call("regexp_replace", value.copy(), exp.Literal.string(
            "[^\\x{10000}-\\x{10FFFF}]"), exp.Literal.string(""), exp.Literal.string("g")))
        return exp.Mul(this=exp.Literal.number(2), expression=exp.Paren(
            this=exp.Add(this=_call("length", value), expression=beyond)))
    if kind.name in ("char", "nchar") and kind.length:
        size = kind.length * (2 if kind.name == "nchar" else 1)
        return _constant_for(value, size)
    if kind.name in ("varbinary", "binary"):
        return _call("octet_length", value)
    if kind.is_decimal:
        size = 5 if kind.precision <= 9 else 9 if kind.precision <= 19 else (
            13 if kind.precision <= 28 else 17)
        return _constant_for(value, size)
    if kind.name in _FIXED_LENGTH:
        return _constant_for(value, _FIXED_LENGTH[kind.name])
    raise TranslationError(original, f"DATALENGTH of a {kind.name} is not supported on the "
                                     "embedded backend")


def _constant_for(value: exp.Expression, size: int) -> exp.Expression:
    return exp.Case(ifs=[exp.If(this=exp.Is(this=value, expression=exp.Null()),
                                true=exp.Null())], default=exp.Literal.number(size))


def _call(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))
