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
from holocron_lib.tsql.conversions import to_integer
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
    # REPLACE compares by the collation: case-insensitively; an empty search string changes
    # nothing
    "tsql_replace": (
        "CREATE OR REPLACE TEMP MACRO tsql_replace(s, f, r) AS CASE WHEN f = '' THEN s ELSE "
        r"regexp_replace(s, regexp_escape(f), replace(r, '\', '\\'), 'gi') END"
    ),
    # SUBSTRING counts a start before 1 against the length; a negative length is an error
    "tsql_substring": (
        "CREATE OR REPLACE TEMP MACRO tsql_substring(s, st, n) AS CASE WHEN n < 0 THEN "
        "error('Invalid length parameter passed to the substring function.') "
        "ELSE substring(s, greatest(st, 1), greatest(n + least(st, 1) - 1, 0)) END"
    ),
    "tsql_left": (
        "CREATE OR REPLACE TEMP MACRO tsql_left(s, n) AS CASE WHEN n < 0 THEN "
        "error('Invalid length parameter passed to the left function.') ELSE left(s, n) END"
    ),
    "tsql_right": (
        "CREATE OR REPLACE TEMP MACRO tsql_right(s, n) AS CASE WHEN n < 0 THEN "
        "error('Invalid length parameter passed to the right function.') ELSE right(s, n) END"
    ),
    "tsql_quotename": (
        "CREATE OR REPLACE TEMP MACRO tsql_quotename(s, q) AS CASE WHEN length(s) > 128 "
        "THEN NULL WHEN q = '[' OR q = ']' THEN '[' || replace(s, ']', ']]') || ']' "
        """WHEN q IN ('''', '"', '`') THEN q || replace(s, q, q || q) || q """
        "WHEN q = '(' OR q = ')' THEN '(' || s || ')' WHEN q = '<' OR q = '>' THEN '<' || s || '>' "
        "WHEN q = '{' OR q = '}' THEN '{' || s || '}' END"
    ),
    # A datetime keeps 1/300 s (shown as .000, .003, .007); a smalldatetime whole minutes.
    "tsql_datetime": (
        "CREATE OR REPLACE TEMP MACRO tsql_datetime(v) AS date_trunc('second', v) + "
        "to_milliseconds(CAST(round(round((epoch_us(v) % 1000000) * 300 / 1000000.0) * 10 / 3.0)"
        " AS BIGINT))"
    ),
    "tsql_smalldatetime": (
        "CREATE OR REPLACE TEMP MACRO tsql_smalldatetime(v) AS "
        "date_trunc('minute', v + INTERVAL 30 SECOND)"
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


# T-SQL name -> (DuckDB function, argument counts it takes)
_SIMPLE = {"NCHAR": ("chr", (1,)), "STDEVP": ("stddev_pop", (1,)), "VAR": ("var_samp", (1,)),
           "VARP": ("var_pop", (1,))}


def fix_function(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    if isinstance(node, exp.Extract):
        return _extract(node)
    if isinstance(node, exp.Replace) and node.args.get("replacement") is not None:
        return oracle.carry(node, _call("tsql_replace", node.this, node.expression,
                                        node.args["replacement"]))
    if isinstance(node, exp.Substring) and node.args.get("length") is not None:
        return oracle.carry(node, _call("tsql_substring", node.this, node.args["start"],
                                        node.args["length"]))
    if isinstance(node, exp.Left | exp.Right) and not _is_constant_length(node.expression):
        name = "tsql_left" if isinstance(node, exp.Left) else "tsql_right"
        return oracle.carry(node, _call(name, node.this, node.expression))
    if isinstance(node, exp.Round):
        return _round(node, oracle)
    if isinstance(node, exp.Pow | exp.Degrees | exp.Radians):
        return _same_type_as_argument(node, oracle)
    if isinstance(node, exp.TimestampTrunc | exp.DateTrunc):
        return _datetrunc(node, oracle)
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
    if name in _SIMPLE and len(args) in _SIMPLE[name][1]:
        return oracle.carry(node, _call(_SIMPLE[name][0], *args))
    if name == "SQUARE" and len(args) == 1:
        value = exp.Cast(this=args[0], to=exp.DataType.build("DOUBLE"))
        return oracle.carry(node, exp.Mul(this=value, expression=value.copy()))
    if name == "QUOTENAME" and len(args) in (1, 2):
        quote = args[1] if len(args) == 2 else exp.Literal.string("[")
        return oracle.carry(node, _call("tsql_quotename", args[0], quote))
    if name in ("DATETIME2FROMPARTS", "TIMEFROMPARTS") and len(args) in (5, 8):
        return oracle.carry(node, _from_parts(original, name, args))
    if name == "SMALLDATETIMEFROMPARTS" and len(args) == 5:
        return oracle.carry(node, _call("make_timestamp", *args, exp.Literal.number(0)))
    if name == "CHOOSE" and len(args) >= 2:
        ifs = [exp.If(this=exp.Literal.number(i), true=a) for i, a in enumerate(args[1:], 1)]
        index = exp.Cast(this=_call("trunc", args[0]), to=exp.DataType.build("INTEGER"))
        return oracle.carry(node, exp.Case(this=index, ifs=ifs))
    if name == "DATALENGTH" and len(args) == 1:
        return oracle.carry(node, _datalength(original, args[0], oracle.type_of(args[0])))
    return node


def _is_constant_length(node: exp.Expression) -> bool:
    return isinstance(node, exp.Literal) and node.is_int


def _round(node: exp.Round, oracle: TypeOracle) -> exp.Expression:
    """ROUND keeps the argument's type (ROUND(2.567, 2) is 2.570); a third argument other than
    0 truncates."""
    value, places = node.this, node.args.get("decimals") or exp.Literal.number(0)
    truncate = node.args.get("truncate")
    kind = oracle.type_of(node.this)
    result: exp.Expression = node
    if truncate is not None:
        if isinstance(truncate, exp.Literal) and truncate.this == "0":
            result = exp.Round(this=value, decimals=places)
        else:
            result = _call("trunc", value, places)
    if kind is not None and kind.is_decimal:
        size = f"DECIMAL({min(kind.precision + 1, 38)}, {kind.scale})"
        return oracle.carry(node, exp.Cast(this=result, to=exp.DataType.build(size)))
    return oracle.carry(node, result) if result is not node else node


def _same_type_as_argument(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    """POWER, DEGREES and RADIANS return their (first) argument's type: DEGREES(1) is 57."""
    kind = oracle.type_of(node.this)
    if kind is None or kind.is_float:
        return node
    if kind.is_integer:
        target = SqlType("bigint" if kind.name == "bigint" else "int")
        return oracle.carry(node, to_integer(node, SqlType("float"), target))
    if kind.is_decimal and isinstance(node, exp.Pow):
        return oracle.carry(node, exp.Cast(this=node, to=exp.DataType.build(
            f"DECIMAL(38, {kind.scale})")))
    raise TranslationError(node.sql(dialect="tsql"), "DEGREES and RADIANS of a decimal are not "
                                                     "supported on the embedded backend; CAST "
                                                     "the argument to FLOAT")


_TRUNC_UNITS = {"YEAR", "QUARTER", "MONTH", "WEEK", "ISO_WEEK", "DAY", "DAYOFYEAR", "HOUR",
                "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"}


def _datetrunc(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    """DATETRUNC keeps the argument's type; its weeks start on Sunday (DATEFIRST 7)."""
    unit = node.text("unit").upper()
    if unit not in _TRUNC_UNITS:
        raise TranslationError(node.sql(dialect="tsql"), f"DATETRUNC({unit.lower()}) is not "
                                                         "supported on the embedded backend")
    value = node.this
    kind = oracle.type_of(value)
    moment = exp.Cast(this=value, to=exp.DataType.build("TIMESTAMP"))
    if unit == "WEEK":
        day = exp.Cast(this=value.copy(), to=exp.DataType.build("DATE"))
        result: exp.Expression = exp.Cast(this=exp.Sub(this=day, expression=exp.Cast(
            this=_call("dayofweek", moment), to=exp.DataType.build("INTEGER"))),
            to=exp.DataType.build("TIMESTAMP"))
    else:
        part = {"ISO_WEEK": "week", "DAYOFYEAR": "day"}.get(unit, unit.lower())
        result = _call("date_trunc", exp.Literal.string(part), moment)
    target = {"date": "DATE", "time": "TIME"}.get(kind.name if kind else "", "TIMESTAMP")
    return oracle.carry(node, exp.Cast(this=result, to=exp.DataType.build(target)))


def _from_parts(original: str, name: str, args: list[exp.Expression]) -> exp.Expression:
    """DATETIME2FROMPARTS and TIMEFROMPARTS: the fraction counts in units of 10^-precision."""
    *parts, fraction, precision = args
    if not (isinstance(precision, exp.Literal) and precision.is_int):
        raise TranslationError(original, f"{name} needs a literal precision")
    seconds = exp.Add(this=parts[-1], expression=exp.Div(
        this=exp.Cast(this=fraction, to=exp.DataType.build("DOUBLE")),
        expression=exp.Literal.number(10 ** int(precision.this))))
    maker = "make_timestamp" if name == "DATETIME2FROMPARTS" else "make_time"
    return _call(maker, *parts[:-1], seconds)


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
    if kind is None:
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
