"""Creates the Holocron schema on a DuckDB connection and checks the foreign keys DuckDB skips.

Tables come from the model of ``sql/tables`` (``ddl``); views are the T-SQL files in
``sql/views``, translated batch by batch. Foreign keys are declared in the DDL but not
created on DuckDB, so ``check_foreign_keys`` verifies them with queries instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from holocron_lib.errors import DatabaseError
from holocron_lib.schema import cache as schemacache
from holocron_lib.schema.ddl import (
    TABLES_DIR,
    SchemaModel,
    column_types,
    duckdb_statements,
    load_schema_model,
    sequence_name,
)
from holocron_lib.schema.integrity import any_orphan_sql, orphan_sql
from holocron_lib.tsql import translate as dialect
from holocron_lib.tsql.macros import persist_macros
from holocron_lib.tsql.names import quote_duckdb, quote_tsql, split_name

__all__ = [
    "VIEWS_DIR",
    "ForeignKeyViolation",
    "apply_schema",
    "check_foreign_keys",
    "sync_identity_sequences",
    "view_files",
    "view_names",
]

VIEWS_DIR = Path(__file__).resolve().parent / "sql" / "views"

_VIEW_NAME = re.compile(
    r"\bCREATE\s+(?:OR\s+ALTER\s+)?VIEW\s+((?:\[[^\]]+\]|\"[^\"]+\"|[\w$#@]+)"
    r"(?:\s*\.\s*(?:\[[^\]]+\]|\"[^\"]+\"|[\w$#@]+))?)",
    re.IGNORECASE,
)


def apply_schema(con: duckdb.DuckDBPyConnection, *, views: bool = True) -> None:
    """Create schemas, identity sequences and tables, then (by default) every view."""
    tables = sorted(TABLES_DIR.glob("*.sql"))
    ddl = schemacache.cached("ddl", lambda: duckdb_statements(load_schema_model()), tables)
    for statement in ddl:
        try:
            con.execute(statement)
        except duckdb.Error as err:
            target = _created_object(statement)
            raise DatabaseError(f"Creating {target} failed: {_first_line(err)}", "duckdb") from err
    if views:
        _apply_views(con)


def sync_identity_sequences(con: duckdb.DuckDBPyConnection) -> None:
    """Move every identity sequence past the largest key in its table.

    Rows loaded with explicit keys (a seed file's ``allowIdentityInsert``) leave the
    sequence behind; SQL Server reseeds the identity itself, DuckDB needs this call.
    """
    for table in load_schema_model().tables:
        column = table.identity_column
        if column is None:
            continue
        top = con.execute(
            f"SELECT max({quote_duckdb(column.name)}) FROM {quote_duckdb(table.schema, table.name)}"
        ).fetchone()[0]
        seq_schema, seq_name = sequence_name(table, column).split(".")
        last = con.execute(
            "SELECT last_value FROM duckdb_sequences() "
            "WHERE database_name = current_database() AND schema_name = ? AND sequence_name = ?",
            [seq_schema, seq_name],
        ).fetchone()[0]
        gap = (top or 0) - (last or 0)
        if gap > 0:
            con.execute(
                f"SELECT max(nextval('{seq_schema}.{seq_name}')) FROM range({int(gap)})"
            ).fetchall()


def view_files() -> list[Path]:
    """The view files, in the order they are applied."""
    return sorted(VIEWS_DIR.glob("*.sql"))


def view_names() -> list[str]:
    """Every view the view files create, as ``schema.name``, in file order."""
    names = []
    for path in view_files():
        for batch in dialect.split_batches(path.read_text(encoding="utf-8")):
            name = _view_name(batch)
            if name:
                names.append(name)
    return names


def _apply_views(con: duckdb.DuckDBPyConnection) -> None:
    # DuckDB binds a view when it is created, so the T-SQL macros and the dbo search path
    # (which needs the dbo schema to exist) must be in place first.
    dialect.configure_session(con)
    persist_macros(con)
    # The tables are inputs too: ``+`` between two columns translates by their declared types.
    inputs = view_files() + sorted(TABLES_DIR.glob("*.sql"))
    for file_name, name, sql in schemacache.cached("views", _translated_views, inputs):
        try:
            con.execute(sql)
        except duckdb.Error as err:
            raise DatabaseError(f"{file_name}: view {name} failed: {_first_line(err)}",
                                "duckdb") from err


def _translated_views() -> list[tuple[str, str, str]]:
    """(file name, view name, DuckDB SQL) of every view batch, in the order applied."""
    out = []
    for path in view_files():
        for batch in dialect.split_batches(path.read_text(encoding="utf-8")):
            name = _view_name(batch) or "(no view name)"
            try:
                out.append((path.name, name, dialect.translate(batch, column_types())))
            except Exception as err:  # TranslationError and anything sqlglot raises
                raise DatabaseError(
                    f"{path.name}: view {name} failed: {_first_line(err)}", "duckdb"
                ) from err
    return out


def _view_name(batch: str) -> str | None:
    found = _VIEW_NAME.search(_strip_comments(batch))
    if not found:
        return None
    return ".".join(split_name(found.group(1)))


def _strip_comments(sql: str) -> str:
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.DOTALL)
    return re.sub(r"--[^\n]*", " ", sql)


def _created_object(statement: str) -> str:
    found = re.match(r"CREATE (SCHEMA|SEQUENCE|TABLE)(?: IF NOT EXISTS)? (\S+)", statement)
    return f"{found.group(1).lower()} {found.group(2).replace(chr(34), '')}" if found else "schema"


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


# --- foreign keys ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ForeignKeyViolation:
    """Child rows whose non-NULL key has no parent row.

    ``sample`` holds up to five distinct orphan keys: plain values for a one-column key,
    tuples for a composite key.
    """

    name: str
    table: str
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    orphan_count: int
    sample: tuple[Any, ...]

    def __str__(self) -> str:
        cols = ", ".join(self.columns)
        shown = ", ".join(repr(v) for v in self.sample)
        return (
            f"{self.name}: {self.orphan_count} row(s) of {self.table} ({cols}) have no parent in "
            f"{self.ref_table} ({', '.join(self.ref_columns)}); e.g. {shown}"
        )


def check_foreign_keys(con: Any, model: SchemaModel | None = None) -> list[ForeignKeyViolation]:
    """Every declared foreign key that the data breaks (an empty list when all hold).

    ``con`` is a DuckDB connection or anything with ``query(sql)`` returning a DataFrame
    (such as ``Database``), which gets T-SQL (``schema.integrity``). One query answers
    the usual case, that every key holds; only when one does not are the keys checked one
    by one for their counts and samples.
    """
    model = model or load_schema_model()
    # A raw DuckDB connection takes DuckDB SQL; anything else takes T-SQL.
    quote = quote_duckdb if isinstance(con, duckdb.DuckDBPyConnection) else quote_tsql
    if not model.foreign_keys or not _rows(con, any_orphan_sql(model.foreign_keys, quote))[0][0]:
        return []
    violations = []
    for fk in model.foreign_keys:
        rows = _rows(con, orphan_sql(fk, quote=quote))
        if rows:
            width = len(fk.columns)
            sample = tuple(r[0] if width == 1 else tuple(r[:width]) for r in rows)
            violations.append(ForeignKeyViolation(
                fk.name, fk.table, fk.columns, fk.ref_table, fk.ref_columns,
                int(rows[0][width]), sample,
            ))
    return violations


def _rows(con: Any, sql: str) -> list[tuple]:
    if isinstance(con, duckdb.DuckDBPyConnection):
        return con.execute(sql).fetchall()
    frame = con.query(sql)
    return [tuple(r) for r in frame.itertuples(index=False, name=None)]
