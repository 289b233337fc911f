"""RowHash computed by DuckDB inside the INSERT, so a file's hashes cost no Python per row.

The SQL spells every value as ``seedfile.hash_text`` does. A column whose DuckDB spelling
could differ (a float in an INT column, a bool outside a BIT column, bytes, a field the table
does not have) is spelled in Python and scanned as one more Arrow column. ``row_hash`` stays
the reference; the tests hold the loaded hashes equal to it.
"""

from __future__ import annotations

import pyarrow as pa

from holocron_lib.seed.columns import ColumnSpec
from holocron_lib.seed.file import hash_text
from holocron_lib.tsql.names import quote_duckdb, string_literal

_NONE = type(None)
# Per type family, the Python types whose value in the loaded column DuckDB spells as Python.
_SPELLED_BY_SQL = {
    "text": {str, int, float, _NONE},  # numbers were turned into their str() for the column
    "number": {str, int, float, _NONE},  # likewise
    "temporal": {str, _NONE},
    "uuid": {str, _NONE},
    "int": {int, _NONE},
    "bit": {bool, int, _NONE},  # 0/1 and false/true both become the BIT, spelled 0/1
}


def _spelling(name: str, family: str) -> str:
    col = quote_duckdb(name)
    if family == "int":
        value = f"CAST({col} AS VARCHAR)"
    elif family == "bit":
        value = f"CASE WHEN {col} THEN '1' WHEN NOT {col} THEN '0' END"
    else:
        value = col
    return f"coalesce({value}, 'NULL')"


def hash_expression(hashed: dict[str, tuple[list, set]], data: dict[str, pa.Array],
                    specs: dict[str, ColumnSpec]) -> str:
    """SQL giving each row's RowHash from the loaded columns in ``data``.

    ``hashed`` maps each hashed key, in RowHash order, to its values and their Python types
    as they were hashed; every row must have every key. Columns spelled in Python are added
    to ``data`` as ``__h<n>``.
    """
    parts: list[str] = []
    for number, (key, (values, types)) in enumerate(hashed.items()):
        parts.append(string_literal(("|" if number else "") + key + "="))
        spec = specs.get(key)
        if key in data and spec is not None and types <= _SPELLED_BY_SQL.get(spec.family, set()):
            parts.append(_spelling(key, spec.family))
        else:
            name = f"__h{number}"
            data[name] = pa.array(list(map(hash_text, values)), type=pa.string())
            parts.append(quote_duckdb(name))
    return f"unhex(sha256(concat({', '.join(parts)})))"
