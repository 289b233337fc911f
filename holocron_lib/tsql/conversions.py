"""SQL Server's conversions and decimal arithmetic, written out for DuckDB.

- a cast to an integer type truncates toward zero (DuckDB rounds), and a string must hold an
  integer (DuckDB reads '1.5' as 2);
- ``+`` between two strings concatenates; between a string and a number the string converts
  to the number's type ('1' + 1 is 2, 'a' + 1 fails naming 'a'), as it does in comparisons;
- a decimal quotient keeps a decimal of SQL Server's precision and scale (DuckDB gives a
  DOUBLE), computed exactly and rounded half away from zero; so does AVG of a decimal.

Where an operand's type is unknown, a typed macro (``convertmacros``) decides at bind time.
"""

from __future__ import annotations

import re

from sqlglot import exp

from holocron_lib.errors import TranslationError
from holocron_lib.tsql.convertmacros import INTEGER_RANGES
from holocron_lib.tsql.inference import TypeOracle, is_assignment
from holocron_lib.tsql.sqltypes import SqlType, decimal_of, from_datatype
from holocron_lib.tsql.textcasts import as_text, convert_style

__all__ = ["fix_conversion"]

_INTEGER_TEXT = re.compile(r" *[-+]?[0-9]+ *")
_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
_ARITHMETIC = (exp.Sub, exp.Mul, exp.Div, exp.Mod)


def fix_conversion(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    """The DuckDB form of ``node`` if a conversion rule applies to it, else ``node``."""
    if isinstance(node, exp.Cast | exp.TryCast | exp.Convert):
        return _cast(node, oracle)
    if type(node) is exp.Add:
        return _plus(node, oracle)
    if isinstance(node, exp.Concat | exp.ConcatWs):
        # CONCAT converts each argument as CAST(x AS NVARCHAR) would
        args = node.expressions
        start = 1 if isinstance(node, exp.ConcatWs) else 0
        node.set("expressions", args[:start] + [as_text(a, oracle.type_of(a)) for a in args[start:]])
        return node
    if isinstance(node, (*_ARITHMETIC, *_COMPARISONS)) and not is_assignment(node):
        node = _convert_operands(node, oracle)
        if isinstance(node, exp.Div | exp.Mul | exp.Sub | exp.Mod):
            return _decimal_result(node, oracle)
        return node
    if isinstance(node, exp.Window) and isinstance(node.this, exp.Avg):
        inner = oracle.type_of(node.this.this)
        if inner is not None and inner.is_decimal:
            return oracle.carry(node, _decimal_average(node.this.this, inner, node))
    if isinstance(node, exp.Avg) and not isinstance(node.this, exp.Distinct):
        inner = oracle.type_of(node.this)
        if inner is not None and inner.is_decimal and not isinstance(node.parent, exp.Window):
            average = oracle.carry(node, _decimal_average(node.this, inner))
            if isinstance(node.parent, exp.Select) and node.arg_key == "expressions":
                # keep the column name DuckDB gives the built-in
                label = f"avg({node.this.sql(dialect='duckdb')})"
                return exp.alias_(average, label, quoted=True)
            return average
    return node


# --- casts --------------------------------------------------------------------------------


def _cast(node: exp.Cast | exp.TryCast | exp.Convert, oracle: TypeOracle) -> exp.Expression:
    if isinstance(node, exp.Convert):
        value, target = node.expression, node.this
        style = node.args.get("style")
        kind = oracle.type_of(node)
        plain = isinstance(style, exp.Literal) and style.this == "0" and not (
            kind is not None and kind.is_string)
        if style is not None and not plain:
            return oracle.carry(node, _styled(node, value, target, style, oracle))
        node.set("style", None)  # style 0 of a number: the plain conversion
        safe = bool(node.args.get("safe"))
    else:
        value, target = node.this, node.to
        safe = isinstance(node, exp.TryCast) or bool(node.args.get("safe"))
    if not isinstance(target, exp.DataType):
        return node
    kind = oracle.type_of(node) or from_datatype(target)
    if kind is not None and kind.is_string:
        text = as_text(value, oracle.type_of(value), node.sql(dialect="tsql"))
        if text is not value:
            cast = exp.TryCast if safe else exp.Cast
            return oracle.carry(node, cast(this=text, to=target))
        return node
    if kind is not None and kind.name in ("datetime", "smalldatetime", "datetime2"):
        rounded = _rounded_moment(node, value, oracle.type_of(value), kind)
        return rounded if rounded is node else oracle.carry(node, rounded)
    if kind is None or not kind.is_integer or kind.name == "bit":
        return node
    return oracle.carry(node, to_integer(value, oracle.type_of(value), kind, safe=safe))


def _rounded_moment(node: exp.Expression, value: exp.Expression, source: SqlType | None,
                    kind: SqlType) -> exp.Expression:
    """A datetime keeps 1/300 s, a smalldatetime minutes, a datetime2(n) n digits, rounded."""
    if source is not None and (source.name == "date" or source.name == kind.name and (
            source.precision <= kind.precision)):
        return node
    if kind.name == "datetime2" and kind.precision >= 6:
        return node
    if kind.name == "datetime2":
        unit = 10 ** (6 - kind.precision)
        fraction = exp.Mod(this=_call("epoch_us", node), expression=exp.Literal.number(10**6))
        steps = _call("round", exp.Div(this=fraction, expression=exp.Literal.number(
            f"{unit}.0")))
        micros = exp.Cast(this=exp.Mul(this=steps, expression=exp.Literal.number(unit)),
                          to=exp.DataType.build("BIGINT"))
        second = _call("date_trunc", exp.Literal.string("second"), node.copy())
        return exp.Cast(this=exp.Add(this=second, expression=_call("to_microseconds", micros)),
                        to=exp.DataType.build("TIMESTAMP"))
    name = "tsql_datetime" if kind.name == "datetime" else "tsql_smalldatetime"
    return exp.Cast(this=_call(name, node), to=exp.DataType.build("TIMESTAMP"))


def _styled(node: exp.Convert, value: exp.Expression, target: exp.Expression,
            style: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    original = node.sql(dialect="tsql")
    kind = oracle.type_of(node) or (from_datatype(target) if isinstance(target, exp.DataType)
                                    else None)
    if kind is None or not (isinstance(style, exp.Literal) and style.is_int):
        raise TranslationError(original, "CONVERT with a style that is not a literal is not "
                                         "supported on the embedded backend")
    converted = convert_style(original, value, oracle.type_of(value), kind, int(style.this))
    cast = exp.TryCast if node.args.get("safe") else exp.Cast
    if kind.is_string:
        return cast(this=converted, to=target)
    return converted


def to_integer(value: exp.Expression, source: SqlType | None, target: SqlType,
               *, safe: bool = False) -> exp.Expression:
    """``value`` converted to the integer type ``target`` as SQL Server converts it."""
    duck, lo, hi = INTEGER_RANGES[target.name]
    cast = exp.TryCast if safe else exp.Cast
    to = exp.DataType.build(duck)
    if source is not None and (source.is_integer or source.name == "bit"):
        return cast(this=value, to=to)
    if source is not None and source.is_number:
        return cast(this=_call("trunc", value), to=to)
    if source is not None and source.is_string:
        if isinstance(value, exp.Literal) and not safe:
            folded = _integer_literal(value.this)
            if folded is not None and lo <= folded <= hi:
                return cast(this=exp.Literal.number(folded), to=to)
        if safe:
            parsed = _call("tsql_try_text_to_int", value, exp.Literal.number(lo),
                           exp.Literal.number(hi))
        else:
            parsed = _call("tsql_text_to_int", value, exp.Literal.string(source.name),
                           exp.Literal.string(target.name), exp.Literal.number(lo),
                           exp.Literal.number(hi))
        return cast(this=parsed, to=to)
    if source is not None:
        return cast(this=value, to=to)  # dates, GUIDs: DuckDB refuses, as SQL Server does
    name = "tsql_try_int_part" if safe else "tsql_int_part"
    part = _call(name, value, exp.Literal.string(target.name), exp.Literal.number(lo),
                 exp.Literal.number(hi))
    return cast(this=part, to=to)


def _integer_literal(text: str) -> int | None:
    if not text.strip():
        return 0
    return int(text.strip()) if _INTEGER_TEXT.fullmatch(text) else None


# --- + and implicit conversions -----------------------------------------------------------


def _plus(node: exp.Add, oracle: TypeOracle) -> exp.Expression:
    left, right = oracle.type_of(node.this), oracle.type_of(node.expression)
    if oracle.is_non_string(node.this) and oracle.is_non_string(node.expression) and (
            left is None or right is None):
        return node  # numbers (or dates) whose exact types are not known: they add
    if left is not None and right is not None:
        if left.is_string and right.is_string:
            return oracle.carry(node, exp.DPipe(this=node.this, expression=node.expression,
                                                safe=False))
        return _decimal_result(_convert_operands(node, oracle), oracle)
    # concatenation or addition is decided once DuckDB knows the unknown side's type (a ?
    # parameter, a column of a table the translator was not told of)
    return oracle.carry(node, _call("tsql_add", node.this, node.expression))


def _convert_operands(node: exp.Binary, oracle: TypeOracle) -> exp.Binary:
    """A string operand facing a number converts to the number's type."""
    left, right = oracle.type_of(node.this), oracle.type_of(node.expression)
    if left is None or right is None:
        return node
    if left.is_string and right.is_number:
        node.set("this", _string_to(node.this, left, right))
    elif right.is_string and left.is_number:
        node.set("expression", _string_to(node.expression, right, left))
    return node


def _string_to(value: exp.Expression, source: SqlType, target: SqlType) -> exp.Expression:
    if target.is_integer:
        return to_integer(value, source, SqlType("int" if target.name == "bit" else target.name))
    if target.is_float:
        return _call("tsql_text_to_float", value)
    precision, scale = decimal_of(target)
    return exp.Cast(this=value, to=exp.DataType.build(f"DECIMAL(38, {scale})"))


# --- decimal results ----------------------------------------------------------------------


def _decimal_result(node: exp.Binary, oracle: TypeOracle) -> exp.Expression:
    result = oracle.type_of(node)
    if result is None or result.name not in ("decimal", "money", "smallmoney"):
        return node
    left, right = oracle.type_of(node.this), oracle.type_of(node.expression)
    if isinstance(node, exp.Div):
        return oracle.carry(node, decimal_divide(node.this, left, node.expression, right,
                                                 result))
    (_, s1), (_, s2) = decimal_of(left), decimal_of(right)
    natural = s1 + s2 if isinstance(node, exp.Mul) else max(s1, s2)
    if natural == result.scale and result.name == "decimal":
        return node
    return oracle.carry(node, exp.Cast(this=node, to=_decimal_type(result)))


def decimal_divide(a: exp.Expression, a_type: SqlType, b: exp.Expression, b_type: SqlType,
                   result: SqlType) -> exp.Expression:
    """``a / b`` exactly, as SQL Server's decimal division: unscaled integers, rounded."""
    (_, s1), (_, s2) = decimal_of(a_type), decimal_of(b_type)
    scale = decimal_of(result)[1]
    shift = scale + s2 - s1  # numerator digits to add so the quotient has ``scale`` digits
    numerator = _unscaled(a, s1, max(shift, 0))
    denominator = _unscaled(b, s2, max(-shift, 0))
    quotient = _call("tsql_decimal_quotient", numerator, denominator)
    value: exp.Expression = exp.Cast(this=quotient, to=exp.DataType.build("DECIMAL(38, 0)"))
    if scale:
        unit = exp.Cast(this=exp.Literal.string("0." + "0" * (scale - 1) + "1"),
                        to=exp.DataType.build(f"DECIMAL({scale + 1}, {scale})"))
        value = exp.Mul(this=value, expression=unit)
    return exp.Cast(this=value, to=_decimal_type(result))


def _decimal_average(value: exp.Expression, inner: SqlType,
                     window: exp.Window | None = None) -> exp.Expression:
    """AVG of a decimal(p, s): SUM / COUNT as decimal(38, max(s, 6)), over ``window`` if given."""
    total: exp.Expression = exp.Sum(this=value.copy())
    count: exp.Expression = exp.Count(this=value.copy())
    if window is not None:
        total, count = (_over(window, f) for f in (total, count))
    result = SqlType("decimal", 38, max(inner.scale, 6))
    return decimal_divide(total, SqlType("decimal", 38, inner.scale), count, SqlType("int"),
                          result)


def _over(window: exp.Window, func: exp.Expression) -> exp.Window:
    copy = window.copy()
    copy.set("this", func)
    return copy


def _unscaled(value: exp.Expression, scale: int, extra: int) -> exp.Expression:
    """``value * 10^(scale + extra)`` as a HUGEINT; exact for a value with ``scale`` digits."""
    scaled = value
    if scale:
        scaled = exp.Mul(this=exp.Paren(this=value), expression=_power_of_ten(scale))
    result: exp.Expression = exp.Cast(this=scaled, to=exp.DataType.build("HUGEINT"))
    if extra:
        result = exp.Mul(this=result, expression=_power_of_ten(extra))
    return result


def _power_of_ten(digits: int) -> exp.Expression:
    return exp.Cast(this=exp.Literal.string(str(10**digits)), to=exp.DataType.build("HUGEINT"))


def _decimal_type(result: SqlType) -> exp.DataType:
    if result.name == "money":
        return exp.DataType.build("DECIMAL(19, 4)")
    if result.name == "smallmoney":
        return exp.DataType.build("DECIMAL(10, 4)")
    return exp.DataType.build(f"DECIMAL({result.precision}, {result.scale})")


def _call(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))
