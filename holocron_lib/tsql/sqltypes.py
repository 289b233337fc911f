"""T-SQL data types as the translator reasons about them: precedence, decimal arithmetic.

SQL Server converts the operand of lower precedence to the other's type, and gives a decimal
result a precision and scale computed from the operands' ("Precision, scale, and length").
DuckDB has other rules (a decimal divided is a DOUBLE, a string never meets a number), so the
rewrites compute SQL Server's type first and then write DuckDB SQL that yields it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

__all__ = ["SqlType", "arithmetic_type", "decimal_of", "from_datatype", "higher", "parse_type"]

# Lowest precedence first ("Data type precedence (Transact-SQL)").
_PRECEDENCE = (
    "binary", "varbinary", "char", "varchar", "nchar", "nvarchar", "uniqueidentifier",
    "timestamp", "image", "text", "ntext", "bit", "tinyint", "smallint", "int", "bigint",
    "smallmoney", "money", "decimal", "real", "float", "time", "date", "smalldatetime",
    "datetime", "datetime2", "datetimeoffset", "sql_variant", "xml",
)
_RANK = {name: i for i, name in enumerate(_PRECEDENCE)}
_ALIASES = {"numeric": "decimal", "integer": "int", "sysname": "nvarchar", "rowversion": "timestamp",
            "double": "float", "double precision": "float", "character varying": "varchar"}
INTEGERS = frozenset({"bit", "tinyint", "smallint", "int", "bigint"})
STRINGS = frozenset({"char", "varchar", "nchar", "nvarchar", "text", "ntext"})
UNICODE = frozenset({"nchar", "nvarchar", "ntext"})
EXACT = INTEGERS | {"decimal", "money", "smallmoney"}
NUMBERS = EXACT | {"real", "float"}
TEMPORAL = frozenset({"time", "date", "smalldatetime", "datetime", "datetime2", "datetimeoffset"})
# Precision and scale a non-decimal exact type takes in decimal arithmetic.
_AS_DECIMAL = {"bit": (1, 0), "tinyint": (3, 0), "smallint": (5, 0), "int": (10, 0),
               "bigint": (19, 0), "smallmoney": (10, 4), "money": (19, 4)}
_MAX = 38


@dataclass(frozen=True)
class SqlType:
    """A T-SQL type: base name, decimal precision and scale, character length (None: max)."""

    name: str
    precision: int = 0
    scale: int = 0
    length: int | None = None
    constant: bool = False  # an integer literal: decimal(digits, 0) in decimal arithmetic

    @property
    def is_string(self) -> bool:
        return self.name in STRINGS

    @property
    def is_unicode(self) -> bool:
        return self.name in UNICODE

    @property
    def is_integer(self) -> bool:
        return self.name in INTEGERS

    @property
    def is_number(self) -> bool:
        return self.name in NUMBERS

    @property
    def is_decimal(self) -> bool:
        return self.name == "decimal"

    @property
    def is_float(self) -> bool:
        return self.name in ("real", "float")

    @property
    def is_temporal(self) -> bool:
        return self.name in TEMPORAL

    def sql(self) -> str:
        """The type as T-SQL writes it, as in SQL Server's messages (``int``, ``decimal(5,2)``)."""
        if self.name == "decimal":
            return f"decimal({self.precision},{self.scale})"
        return self.name


def parse_type(text: str) -> SqlType | None:
    """``NVARCHAR(200)``, ``DECIMAL(5,4)``, ``INT`` ... as a ``SqlType``; None if unknown."""
    if not text:
        return None
    match = re.fullmatch(r"\s*\[?([A-Za-z_][A-Za-z0-9_ ]*?)\]?\s*(?:\(([^)]*)\))?\s*", text)
    if not match:
        return None
    name = match.group(1).strip().lower()
    name = _ALIASES.get(name, name)
    args = [a.strip().lower() for a in (match.group(2) or "").split(",") if a.strip()]
    return _build(name, args)


def _build(name: str, args: list[str]) -> SqlType | None:
    if name == "not_text":
        return SqlType(name)  # known not to be a string, nothing more
    if name not in _RANK:
        return None
    if name == "decimal":
        precision = int(args[0]) if args and args[0].isdigit() else 18
        scale = int(args[1]) if len(args) > 1 and args[1].isdigit() else 0
        return SqlType(name, precision, scale)
    if name in _AS_DECIMAL:
        precision, scale = _AS_DECIMAL[name]
        return SqlType(name, precision, scale)
    if name in STRINGS or name in ("binary", "varbinary"):
        if not args:
            # CAST(x AS VARCHAR) is varchar(30); a declared VARCHAR column is varchar(1)
            return SqlType(name, length=30)
        return SqlType(name, length=None if args[0] == "max" else int(args[0]))
    if name == "float" and args and args[0].isdigit() and int(args[0]) <= 24:
        return SqlType("real")
    if name in ("datetime2", "time", "datetimeoffset"):
        # the fraction digits shown; 7 unless declared
        return SqlType(name, int(args[0]) if args and args[0].isdigit() else 7)
    return SqlType(name)


def from_datatype(node: exp.DataType) -> SqlType | None:
    """The T-SQL type a sqlglot ``DataType`` (parsed from T-SQL) stands for."""
    text = node.sql(dialect="tsql")
    return parse_type(text)


def higher(a: SqlType | None, b: SqlType | None) -> SqlType | None:
    """The type of higher precedence; the other converts to it. None when either is unknown."""
    if a is None or b is None:
        return None
    if a.name not in _RANK or b.name not in _RANK:
        return None
    return a if _RANK[a.name] >= _RANK[b.name] else b


def decimal_of(t: SqlType) -> tuple[int, int]:
    """Precision and scale of ``t`` as an operand of decimal arithmetic."""
    if t.name == "decimal":
        return t.precision, t.scale
    if t.constant:
        return max(t.precision, 1), 0
    return _AS_DECIMAL.get(t.name, (18, 0))


def arithmetic_type(op: str, a: SqlType | None, b: SqlType | None) -> SqlType | None:
    """The type of ``a op b`` (op one of + - * / %) for numeric operands, as SQL Server gives it."""
    if a is None or b is None or not (a.is_number and b.is_number):
        return None
    top = higher(a, b)
    if top.is_float or top.name in ("money", "smallmoney") or top.is_integer:
        if top.is_integer and op != "%":
            # bit and tinyint widen to int in arithmetic
            return SqlType("int") if top.name in ("bit", "tinyint", "smallint") else top
        return SqlType(top.name, top.precision, top.scale)
    (p1, s1), (p2, s2) = decimal_of(a), decimal_of(b)
    if op in "+-":
        scale = max(s1, s2)
        integral = max(p1 - s1, p2 - s2)
        precision = scale + integral + 1
        if precision > _MAX:
            scale = max(0, min(scale, _MAX - integral))
            precision = _MAX
        return SqlType("decimal", precision, scale)
    if op == "%":
        scale = max(s1, s2)
        return SqlType("decimal", min(_MAX, min(p1 - s1, p2 - s2) + scale), scale)
    if op == "*":
        precision, scale = p1 + p2 + 1, s1 + s2
    else:
        scale = max(6, s1 + p2 + 1)
        precision = p1 - s1 + s2 + scale
    if precision > _MAX:
        integral = precision - scale
        if integral < 32:
            scale = min(scale, _MAX - integral)
        elif scale > 6:
            scale = 6
        precision = _MAX
    return SqlType("decimal", precision, scale)
