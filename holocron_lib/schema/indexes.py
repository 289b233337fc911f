"""Filtered unique indexes that the real DDL declares and the embedded database cannot enforce.

The real Holocron DDL states business keys as ``CREATE UNIQUE INDEX ... WHERE IsLatest = 1``.
DuckDB has no filtered indexes, and the real seed set breaks three of them (fact sheet 8.2),
so they are not created; instead the data is checked against each one after a build and by
the data-quality notebook. As on SQL Server, NULLs in a key are equal to each other: two
latest rows with the same key, NULLs included, are a duplicate. The SQL is valid T-SQL and
DuckDB SQL alike, so it runs on a raw DuckDB connection and through ``Database.query``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from holocron_lib.schema.ddl import load_schema_model
from holocron_lib.schema.model import SchemaModel

__all__ = ["UniqueIndexViolation", "any_duplicate_sql", "broken_indexes",
           "check_filtered_unique_indexes", "duplicate_groups_sql", "filtered_unique_indexes"]

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


def duplicate_groups_sql(index: FilteredUniqueIndex, sample_size: int = SAMPLE_SIZE) -> str:
    """Up to ``sample_size`` duplicated keys with their row counts, each row carrying the
    number of duplicated keys and of rows in them (no rows when the index holds)."""
    cols = ", ".join(_q(c) for c in index.columns)
    return (
        f"SELECT {cols}, n, dup_groups, dup_rows FROM ("
        f"SELECT {cols}, COUNT(*) AS n, COUNT(*) OVER () AS dup_groups, "
        f"SUM(COUNT(*)) OVER () AS dup_rows, ROW_NUMBER() OVER (ORDER BY {cols}) AS key_rank "
        f"FROM {_qname(index.table)} WHERE {index.where} GROUP BY {cols} "
        f"HAVING COUNT(*) > 1) AS d WHERE key_rank <= {int(sample_size)} ORDER BY key_rank"
    )


def any_duplicate_sql(indexes: list[FilteredUniqueIndex]) -> str:
    """1 when some index of ``indexes`` is broken, else 0, in one statement: the usual
    answer, that every index holds, costs one query instead of one per index."""
    probes = " UNION ALL ".join(
        f"SELECT 1 AS x FROM {_qname(ix.table)} WHERE {ix.where} "
        f"GROUP BY {', '.join(_q(c) for c in ix.columns)} HAVING COUNT(*) > 1"
        for ix in indexes)
    return f"SELECT CASE WHEN EXISTS ({probes}) THEN 1 ELSE 0 END AS broken"


def broken_indexes(con: Any, indexes: list[FilteredUniqueIndex], sample_size: int = SAMPLE_SIZE
                   ) -> dict[str, UniqueIndexViolation]:
    """Index name -> violation, for each of ``indexes`` that the data breaks."""
    if not indexes or not _rows(con, any_duplicate_sql(indexes))[0][0]:
        return {}
    found = {}
    for index in indexes:
        violation = violation_of(index, _rows(con, duplicate_groups_sql(index, sample_size)))
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
    if hasattr(con, "fetchall"):  # a DuckDB connection
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


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _qname(dotted: str) -> str:
    return ".".join(_q(p) for p in dotted.split("."))
