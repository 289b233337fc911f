"""Column-wise checks and conversions of seed values, one T-SQL type family at a time.

Each function sees one column's values (in row order) and either returns an array DuckDB can
scan or raises a ``SeedError`` naming the first bad row. Working a column at a time keeps the
per-value Python small: type sets and ``max(map(len, ...))`` run at C speed, and the checked
values become Arrow arrays, which DuckDB scans without touching Python objects again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from holocron_lib.errors import SeedError
from holocron_lib.tsql.types import family

_INT_BITS = {"TINYINT": None, "SMALLINT": 16, "INT": 32, "INTEGER": 32, "BIGINT": 64}
# Families whose strings DuckDB validates with TRY_CAST (one scan for all columns of a file).
CAST_CHECKED = frozenset({"number", "temporal", "uuid", "other"})


@dataclass(frozen=True)
class ColumnSpec:
    """What the loader needs to know about one table column."""

    name: str
    tsql_type: str
    duckdb_type: str
    nullable: bool
    has_default: bool
    max_length: int | None
    family: str

    @classmethod
    def from_column(cls, col) -> ColumnSpec:
        default = getattr(col, "default", None)
        return cls(
            name=col.name,
            tsql_type=col.tsql_type,
            duckdb_type=col.duckdb_type,
            nullable=bool(col.nullable),
            has_default=default not in (None, ""),
            max_length=getattr(col, "max_length", None),
            family=family(col.tsql_type),
        )


def _first_bad(values: list, ok, path: Path, spec: ColumnSpec, expected: str):
    for number, value in enumerate(values, start=1):
        if value is not None and not ok(value):
            raise SeedError(str(path), f"{value!r} is not {expected} (column type "
                                       f"{spec.tsql_type})", number, spec.name)
    raise AssertionError("a bad value was detected but not found")  # pragma: no cover


def _int_range(spec: ColumnSpec) -> tuple[int, int]:
    bits = _INT_BITS.get(spec.tsql_type.split("(")[0].strip().upper(), 64)
    if bits is None:
        return 0, 255
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def _ints(values: list, spec: ColumnSpec, path: Path, types: set) -> pa.Array:
    if float in types:  # 3.0 is an integer to SQL Server; 3.5 is not
        values = [int(v) if type(v) is float and v.is_integer() else v for v in values]
        types = set(map(type, values))
    if not types <= {int, type(None)}:
        _first_bad(values, lambda v: type(v) is int, path, spec, "an integer")
    low, high = _int_range(spec)
    present = [v for v in values if v is not None]
    if present and (min(present) < low or max(present) > high):
        _first_bad(values, lambda v: low <= v <= high, path, spec, f"in range {low}..{high}")
    return pa.array(values, type=pa.int64())


def _bits(values: list, spec: ColumnSpec, path: Path, types: set) -> pa.Array:
    if not types <= {bool, int, type(None)}:
        _first_bad(values, lambda v: type(v) in (bool, int), path, spec, "true or false")
    if int in types:
        _first_bad_if(values, lambda v: v in (0, 1), path, spec, "true, false, 0 or 1")
        values = [None if v is None else bool(v) for v in values]
    return pa.array(values, type=pa.bool_())


def _first_bad_if(values, ok, path, spec, expected):
    if any(v is not None and not ok(v) for v in values):
        _first_bad(values, ok, path, spec, expected)


def _numbers(values: list, spec: ColumnSpec, path: Path, types: set) -> pa.Array:
    if not types <= {int, float, str, type(None)}:
        _first_bad(values, lambda v: type(v) in (int, float, str), path, spec, "a number")
    return _text_array(values, types)


def _text_array(values: list, types: set) -> pa.Array:
    """Values as Arrow strings, each spelled as ``str()`` spells it."""
    if not types <= {str, type(None)}:
        values = [None if v is None else str(v) for v in values]
    return pa.array(values, type=pa.string())


def _texts(values: list, spec: ColumnSpec, path: Path, types: set) -> pa.Array:
    if types & {int, float}:  # SQL Server converts numbers to their text
        values = [str(v) if type(v) in (int, float) else v for v in values]
        types = set(map(type, values))
    if not types <= {str, type(None)}:
        _first_bad(values, lambda v: type(v) is str, path, spec, "a string")
    array = pa.array(values, type=pa.string())
    limit = spec.max_length
    if limit and limit > 0 and array.null_count < len(array):
        # Arrow counts code points, as len() does, without a Python call per value.
        if pc.max(pc.utf8_length(array)).as_py() > limit:
            _first_bad(values, lambda v: len(v) <= limit, path, spec,
                       f"at most {limit} characters long (it has {_longest(values, limit)})")
    return array


def _longest(values: list, limit: int) -> int:
    return next(len(v) for v in values if v is not None and len(v) > limit)


def _strings(values: list, spec: ColumnSpec, path: Path, types: set, expected: str) -> pa.Array:
    if not types <= {str, type(None)}:
        _first_bad(values, lambda v: type(v) is str, path, spec, expected)
    return pa.array(values, type=pa.string())


def _hex(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    text = value[2:] if value[:2].lower() == "0x" else value
    return bytes.fromhex(text)


def _binary(values: list, spec: ColumnSpec, path: Path, types: set) -> pa.Array:
    def ok(v):
        try:
            _hex(v)
        except (TypeError, ValueError, AttributeError):
            return False
        return True

    if not types <= {bytes, type(None)}:
        _first_bad_if(values, ok, path, spec, "hexadecimal bytes")
        values = [None if v is None else _hex(v) for v in values]
    return pa.array(values, type=pa.binary())


def column_array(values: list, spec: ColumnSpec, path: Path,
                 types: set | None = None) -> pa.Array:
    """Check one column's values (``None`` = NULL) and return the array to bulk-load.

    ``types`` is ``set(map(type, values))`` when the caller already has it.
    """
    if types is None:
        types = set(map(type, values))
    fam = spec.family
    if fam == "int":
        return _ints(values, spec, path, types)
    if fam == "bit":
        return _bits(values, spec, path, types)
    if fam == "number":
        return _numbers(values, spec, path, types)
    if fam == "text":
        return _texts(values, spec, path, types)
    if fam == "temporal":
        return _strings(values, spec, path, types, "a date/time string")
    if fam == "uuid":
        return _strings(values, spec, path, types, "a GUID string")
    if fam == "binary":
        return _binary(values, spec, path, types)
    return _text_array(values, types)


def check_casts(con, frame_name: str, specs: list[ColumnSpec], frame: pa.Table,
                path: Path) -> None:
    """Let DuckDB try every string cast at once; name the first row that does not convert."""
    checked = [s for s in specs if s.family in CAST_CHECKED]
    if not checked:
        return
    probes = ", ".join(
        f'min(CASE WHEN "{s.name}" IS NOT NULL AND TRY_CAST("{s.name}" AS {s.duckdb_type}) '
        f'IS NULL THEN __row END)' for s in checked
    )
    firsts = con.execute(f"SELECT {probes} FROM {frame_name}").fetchall()[0]
    bad = [(row, s) for row, s in zip(firsts, checked, strict=True) if row is not None]
    if bad:
        row, spec = min(bad, key=lambda pair: pair[0])
        value = frame.column(spec.name)[int(row) - 1].as_py()
        raise SeedError(str(path), f"{value!r} is not a valid {spec.tsql_type}", int(row),
                        spec.name)
