"""Filtered unique indexes that the real DDL declares and the embedded database cannot enforce.

The real Holocron DDL states business keys as ``CREATE UNIQUE INDEX ... WHERE IsLatest = 1``.
DuckDB has no filtered indexes, and the real seed set breaks three of them (fact sheet 8.2),
so they are not created; instead the data is checked against each one after a build and by
the data-quality notebook. As on SQL Server, NULLs in a key are equal to each other: two
latest rows with the same key, NULLs included, are a duplicate. The SQL comes from
``schema.integrity``: DuckDB SQL on a raw connection, T-SQL through ``Database.query``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from holocron_lib.schema.ddl import load_schema_model
from holocron_lib.schema.integrity import any_duplicate_sql, duplicate_groups_sql
from holocron_lib.schema.model import SchemaModel
from holocron_lib.tsql.names import quote_duckdb, quote_tsql

__all__ = ["FilteredUniqueIndex", "UniqueIndexViolation", "broken_indexes",
           "check_filtered_unique_indexes", "filtered_unique_indexes"]

SAMPLE_SIZE = 3


@dataclass(frozen=True)
class FilteredUniqueIndex:
    name: str
    table: str
    columns: tuple[str, ...]
    where: str


@dataclass(frozen=True)
class UniqueIndexViolation:
    """Rows that a filtered unique index would refuse: ``groups`` keys held by several rows.

    ``rows`` counts the rows in those groups; ``sample`` holds up to three of the keys (plain
    values for a one-column key, tuples otherwise) with how many rows hold each.
    """

    name: str
    table: str
    columns: tuple[str, ...]
    where: str
    groups: int
    rows: int
    sample: tuple[tuple[Any, int], ...]

    def __str__(self) -> str:
        shown = ", ".join(f"{key!r} ×{n}" for key, n in self.sample)
        return (f"{self.name}: {self.groups} duplicate key(s) ({self.rows} rows) in "
                f"{self.table} ({', '.join(self.columns)}) where {self.where}; e.g. {shown}")

    def record(self) -> dict:
        """A JSON-ready form, for the build's sidecar."""
        out = asdict(self)
        out["columns"] = list(self.columns)
        out["sample"] = [{"key": _jsonable(key), "rows": n} for key, n in self.sample]
        return out


def filtered_unique_indexes(model: SchemaModel) -> list[FilteredUniqueIndex]:
    """Every filtered unique index of the model, in DDL order."""
    return [FilteredUniqueIndex(name, table.full_name, columns, where)
            for table in model.tables
            for name, columns, where in table.filtered_unique_indexes]


def broken_indexes(con: Any, indexes: list[FilteredUniqueIndex], sample_size: int = SAMPLE_SIZE
                   ) -> dict[str, UniqueIndexViolation]:
    """Index name -> violation, for each of ``indexes`` that the data breaks.

    ``con`` is a DuckDB connection (given DuckDB SQL) or anything with ``query(sql)``
    returning a DataFrame, such as ``Database`` (given T-SQL).
    """
    quote = quote_duckdb if isinstance(con, duckdb.DuckDBPyConnection) else quote_tsql
    probe = any_duplicate_sql([(ix.table, ix.columns, ix.where) for ix in indexes], quote)
    if not indexes or not _rows(con, probe)[0][0]:
        return {}
    found = {}
    for index in indexes:
        rows = _rows(con, duplicate_groups_sql(index.table, index.columns, index.where,
                                               sample_size, quote))
        violation = violation_of(index, rows)
        if violation is not None:
            found[index.name] = violation
    return found


def violation_of(index: FilteredUniqueIndex, rows: list[tuple]) -> UniqueIndexViolation | None:
    """The violation that ``duplicate_groups_sql``'s rows describe, or None."""
    if not rows:
        return None
    width = len(index.columns)
    sample = tuple((r[0] if width == 1 else tuple(r[:width]), int(r[width])) for r in rows)
    return UniqueIndexViolation(index.name, index.table, index.columns, index.where,
                                int(rows[0][width + 1]), int(rows[0][width + 2]), sample)


def check_filtered_unique_indexes(con: Any, model: SchemaModel | None = None
                                  ) -> list[UniqueIndexViolation]:
    """Every filtered unique index that the data breaks (an empty list when all hold).

    ``con`` is a DuckDB connection or anything with ``query(sql)`` returning a DataFrame.
    """
    model = model or load_schema_model()
    return list(broken_indexes(con, filtered_unique_indexes(model)).values())


def _rows(con: Any, sql: str) -> list[tuple]:
    if isinstance(con, duckdb.DuckDBPyConnection):
        return con.execute(sql).fetchall()
    frame = con.query(sql)
    return [tuple(r) for r in frame.itertuples(index=False, name=None)]


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # a NumPy scalar from a DataFrame
        value = value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
