"""Build a database that holds only part of the seed data: the states notebooks must survive.

A freshly seeded real Holocron database has dimensional data and nothing else; a new
pipeline has one queued job and no runs; a pipeline whose artifacts were never recorded
has runs without artifacts. ``Subset`` names such a state: schemas to load (``only``),
schemas or tables to leave empty (``empty``) and tables cut to their first rows
(``rows``). Rows are removed from the seed files before loading, so the identity keys of
the rows that stay are the ones a full build gives them; after the load, rows that point
at removed rows through a declared foreign key lose the pointer (a nullable key becomes
NULL) or are removed in turn (a NOT NULL key), as a cascading delete would.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from holocron_lib.errors import UnknownObjectError, close_matches
from holocron_lib.schema.model import SchemaModel
from holocron_lib.seed.file import SeedFile
from holocron_lib.tsql.names import quote_duckdb, split_name

__all__ = ["Subset", "clear_dangling", "parse_names", "parse_row_limits"]


@dataclass(frozen=True)
class Subset:
    """Which part of the seed data a build keeps. The default keeps everything."""

    only: tuple[str, ...] = ()  # schemas to load; empty means all of them
    empty: tuple[str, ...] = ()  # schemas or schema.tables loaded with no rows
    rows: Mapping[str, int] = field(default_factory=dict)  # schema.table -> first N rows

    @property
    def whole(self) -> bool:
        return not (self.only or self.empty or self.rows)

    def describe(self) -> dict:
        """The sidecar's record of the subset (None for a whole build)."""
        if self.whole:
            return {}
        return {"only": list(self.only), "empty": list(self.empty), "rows": dict(self.rows)}

    def validate(self, model: SchemaModel) -> Subset:
        """The same subset with names spelt as the schema spells them; unknown names raise."""
        schemas = {s.lower(): s for s in model.schemas}

        def schema(name: str) -> str:
            if name.lower() not in schemas:
                raise UnknownObjectError("schema", name, close_matches(name, schemas.values()))
            return schemas[name.lower()]

        def table(name: str) -> str:
            if "." not in name:
                raise UnknownObjectError("table", name,
                                         close_matches(f"dbo.{name}", [t.full_name for t in
                                                                       model.tables]))
            return model.table(name).full_name

        empty = tuple(table(n) if "." in n else schema(n) for n in self.empty)
        rows = {table(n): int(k) for n, k in self.rows.items()}
        for name, limit in rows.items():
            if limit < 0:
                raise ValueError(f"row limit of {name} must not be negative, got {limit}")
        return Subset(tuple(schema(n) for n in self.only), empty, rows)

    def rows_kept(self, table: str) -> int | None:
        """How many of a table's seed rows stay: None for all of them."""
        schema = table.split(".", 1)[0].lower()
        if self.only and schema not in {s.lower() for s in self.only}:
            return 0
        if any(e.lower() in (schema, table.lower()) for e in self.empty):
            return 0
        for name, limit in self.rows.items():
            if name.lower() == table.lower():
                return limit
        return None

    def apply(self, files: Iterable[SeedFile]) -> tuple[list[SeedFile], set[str]]:
        """The seed files with rows removed, and the tables that lost rows."""
        out, trimmed = [], set()
        for sf in files:
            kept = self.rows_kept(sf.full_name)
            if kept is not None and kept < len(sf.rows):
                sf = dataclasses.replace(sf, rows=sf.rows[:kept])
                trimmed.add(sf.full_name)
            out.append(sf)
        return out, trimmed


def parse_names(values: Iterable[str]) -> tuple[str, ...]:
    """``("llm,ingest", "vector")`` -> ``("llm", "ingest", "vector")``."""
    return tuple(n.strip() for v in values for n in v.split(",") if n.strip())


def parse_row_limits(values: Iterable[str]) -> dict[str, int]:
    """``("llm.job=1",)`` -> ``{"llm.job": 1}``; a malformed entry raises naming it."""
    limits = {}
    for entry in parse_names(values):
        name, sep, number = entry.partition("=")
        if not sep or not name.strip() or not number.strip().isdigit():
            raise ValueError(f"{entry!r} is not of the form schema.table=N")
        limits[name.strip()] = int(number)
    return limits


def clear_dangling(con, model: SchemaModel, trimmed: set[str]) -> dict[str, int]:
    """Make the rows that point at removed rows consistent; tables -> rows removed.

    Only foreign keys into tables that lost rows are followed, so orphans that the seed data
    itself holds are left for the foreign-key report.
    """
    removed: dict[str, int] = {}
    pending = sorted(trimmed)
    while pending:
        parent = pending.pop(0).lower()
        for fk in model.foreign_keys:
            if fk.ref_table.lower() != parent:
                continue
            child = model.table(fk.table)
            target = quote_duckdb(child.schema, child.name)
            present = " AND ".join(f"{target}.{quote_duckdb(c)} IS NOT NULL" for c in fk.columns)
            match = " AND ".join(f"p.{quote_duckdb(r)} = {target}.{quote_duckdb(c)}"
                                 for c, r in zip(fk.columns, fk.ref_columns, strict=True))
            parent_table = quote_duckdb(*split_name(fk.ref_table))
            dangling = (f"{present} AND NOT EXISTS (SELECT 1 FROM {parent_table} AS p "
                        f"WHERE {match})")
            if all(child.column(c).nullable for c in fk.columns):
                cleared = ", ".join(f"{quote_duckdb(c)} = NULL" for c in fk.columns)
                con.execute(f"UPDATE {target} SET {cleared} WHERE {dangling}").fetchall()
                continue
            count = con.execute(f"SELECT COUNT(*) FROM {target} WHERE {dangling}").fetchone()[0]
            if count:
                con.execute(f"DELETE FROM {target} WHERE {dangling}").fetchall()
                removed[child.full_name] = removed.get(child.full_name, 0) + int(count)
                if child.full_name.lower() not in pending:
                    pending.append(child.full_name.lower())
    return removed
