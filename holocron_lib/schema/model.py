"""The schema model: tables, columns, keys and foreign keys as the T-SQL DDL declares them.

``ddl.load_schema_model()`` builds it from ``sql/tables``; seed loading, the DuckDB backend,
``schema.check_foreign_keys`` and the notebooks read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from holocron_lib.errors import UnknownObjectError, close_matches
from holocron_lib.tsql.names import split_name

__all__ = ["Column", "ForeignKey", "SchemaModel", "Table", "sequence_name"]

@dataclass(frozen=True)
class Column:
    """One column as declared in T-SQL, with the DuckDB type it becomes."""

    name: str
    tsql_type: str
    duckdb_type: str
    nullable: bool
    default: str | None
    identity: bool
    max_length: int | None


@dataclass(frozen=True)
class ForeignKey:
    """A declared foreign key; tables are ``schema.Name``. Checked by query, not by DuckDB."""

    name: str
    table: str
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with its keys and constraints, in declaration order."""

    schema: str
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    unique_keys: tuple[tuple[str, ...], ...]
    filtered_unique_indexes: tuple[tuple[str, tuple[str, ...], str], ...]
    foreign_keys: tuple[ForeignKey, ...]
    checks: tuple[str, ...]

    @property
    def full_name(self) -> str:
        return f"{self.schema}.{self.name}"

    def column(self, name: str) -> Column:
        """The column called ``name`` (any case, brackets allowed)."""
        wanted = _unquote(name).lower()
        for col in self.columns:
            if col.name.lower() == wanted:
                return col
        names = [c.name for c in self.columns]
        raise UnknownObjectError(
            "column", f"{self.full_name}.{_unquote(name)}", close_matches(_unquote(name), names)
        )

    @property
    def identity_column(self) -> Column | None:
        return next((c for c in self.columns if c.identity), None)

    @property
    def has_governance(self) -> bool:
        """True for tables carrying governance block G (recognised by its RowHash column)."""
        return any(c.name.lower() == "rowhash" for c in self.columns)


@dataclass(frozen=True)
class SchemaModel:
    """Every table of the project's DDL, in the order the DDL creates them."""

    tables: tuple[Table, ...]

    def table(self, name: str) -> Table:
        """Find a table as SQL Server would: an unqualified name means ``dbo``."""
        schema, bare = split_name(name)
        for table in self.tables:
            if table.schema.lower() == schema.lower() and table.name.lower() == bare.lower():
                return table
        choices = [t.full_name for t in self.tables]
        raise UnknownObjectError("table", name, close_matches(f"{schema}.{bare}", choices))

    @property
    def schemas(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.schema for t in self.tables))

    @property
    def foreign_keys(self) -> tuple[ForeignKey, ...]:
        return tuple(fk for t in self.tables for fk in t.foreign_keys)


def sequence_name(table: Table, column: Column) -> str:
    """The DuckDB sequence that stands in for an IDENTITY column."""
    return f"{table.schema}.seq_{table.name}_{column.name}"


def _unquote(name: str) -> str:
    return name.strip().replace("[", "").replace("]", "").replace('"', "")
