"""The embedded backend: DuckDB fed T-SQL via the dialect, on one of three files.

- The working database (``working=``, `db.workdb`), opened in place: runs and people's own
  notebooks write it and keep what they wrote. Its file lock is held while the connection
  is open, so a second writing process waits for it; the connections of one process share
  one DuckDB instance.
- A private copy (the default): the seeded file copied into the connection's own temporary
  folder, so writes never reach the seeded file and any number of processes can work at
  once; the copy goes on close, on garbage collection or at interpreter exit, whichever
  comes first. The book build and the tests work this way.
- The seeded file itself, read-only (``read_only=True`` without ``working``).

SQL on these connections reaches nothing but the database: DuckDB's file and network access
(read_csv, read_text, glob, COPY, ATTACH, URLs) and extension installing and loading are
off, and the configuration is locked so no statement turns them back on. The library reads
the lake and seed files in Python, never through SQL.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
import time
import warnings
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

try:
    import fcntl
except ImportError:  # Windows: no sweeping of orphaned copies
    fcntl = None

from holocron_lib.db import workdb
from holocron_lib.db.base import Database
from holocron_lib.db.procedures import call_emulated
from holocron_lib.db.target import Target, embedded_target, working_target
from holocron_lib.errors import (
    ConnectionFailedError,
    DatabaseError,
    HolocronError,
    UnknownObjectError,
    WorkingDatabaseBehind,
    excerpt,
)
from holocron_lib.schema.ddl import column_types, load_schema_model
from holocron_lib.tsql.messages import diagnose, sql_server_message
from holocron_lib.tsql.names import split_name
from holocron_lib.tsql.textcolumns import ColumnTypes
from holocron_lib.tsql.translate import configure_session, translate_batch

# DuckDB: 'Table with name X does not exist!' or 'Table with name "s.X" does not exist because
# schema "s" does not exist.' The same words cover views.
_MISSING_TABLE = re.compile(r'Table with name "?([^"!\s]+)"? does not exist')
_SYSTEM_SCHEMAS = ("information_schema", "pg_catalog")
_PREFIX = "holocron-db-"
_LOCK_NAME = "owner.lock"
# Given when the connection opens (the database file itself still opens); locked after the
# session is configured.
SANDBOX = {"enable_external_access": False, "autoinstall_known_extensions": False,
           "autoload_known_extensions": False}
# The working database's connections of one process share a DuckDB instance, whose
# configuration the first one locks: the session settings come with the instance.
SHARED = {**SANDBOX, "default_collation": "nocase", "integer_division": True}
# DuckDB's words when another process (not one of ours, say the duckdb shell) has the file.
_FILE_LOCKED = "Could not set lock on file"


def _sweep_orphans() -> None:
    """Delete copies whose owner died without cleaning up (a killed kernel, say).

    A live owner holds an exclusive lock on ``owner.lock`` in its folder; locks work across
    process-id namespaces, where checking a process id would not.
    """
    if fcntl is None:
        return
    for folder in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*"):
        try:
            fd = os.open(folder / _LOCK_NAME, os.O_RDWR)
        except FileNotFoundError:  # still being created, or not ours
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # held: its owner is alive
        finally:
            os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)


def _hold_folder(folder: str) -> int | None:
    """Lock ``folder`` for as long as the returned descriptor stays open."""
    if fcntl is None:
        return None
    fd = os.open(Path(folder) / _LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _discard(con: duckdb.DuckDBPyConnection, folder: str | None, lock: int | None,
             lease: workdb.Lease | None = None) -> None:
    try:
        con.close()
    finally:
        if lock is not None:
            os.close(lock)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        if lease is not None:
            lease.release()


@dataclass(frozen=True)
class Working:
    """Where the working database is and how long to wait for another writer."""

    path: Path
    seeded: Path
    shown: str
    seeded_shown: str
    wait: float = 0.0


class DuckDBDatabase(Database):
    """DuckDB behind the T-SQL interface."""

    backend = "duckdb"

    def __init__(self, seeded: Path, *, read_only: bool = False, shown_path: str | None = None,
                 working: Working | None = None):
        super().__init__()
        self.seeded_path = Path(seeded)
        self.read_only = read_only
        self.working = working is not None
        self._shown = shown_path or str(seeded)
        if working is not None:
            self._open_working(working)
            return
        folder = lock = None
        try:
            if read_only:
                target = self.seeded_path
            else:
                _sweep_orphans()
                folder = tempfile.mkdtemp(prefix=_PREFIX)
                lock = _hold_folder(folder)
                # Same file name as the seeded file: DuckDB names the catalog after it.
                target = Path(folder) / self.seeded_path.name
                shutil.copyfile(self.seeded_path, target)
                wal = self.seeded_path.with_name(self.seeded_path.name + ".wal")
                if wal.is_file():
                    shutil.copyfile(wal, target.with_name(target.name + ".wal"))
            self.path = target
            self._con = duckdb.connect(str(target), read_only=read_only, config=SANDBOX)
        except (OSError, duckdb.Error) as exc:
            if lock is not None:
                os.close(lock)
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
            raise ConnectionFailedError(
                f"cannot open the embedded database {self._shown}: {exc}", self.backend
            ) from None
        self._cleanup = weakref.finalize(self, _discard, self._con, folder, lock)
        configure_session(self._con)
        self._con.execute("SET lock_configuration = true")

    def _open_working(self, working: Working) -> None:
        """Open the working database in place, made from the seeded file on first use."""
        self._shown = working.shown
        deadline = time.monotonic() + working.wait
        told = False
        while True:
            lease = workdb.acquire(working.path, write=not self.read_only or
                                   not working.path.exists(), wait=working.wait,
                                   shown=working.shown)
            try:
                if not working.path.exists():
                    workdb.create(working.path, working.seeded)
                self.path = working.path.resolve()
                self.read_only = not lease.write
                self._con = duckdb.connect(str(self.path), read_only=self.read_only,
                                           config=SHARED)
                break
            except duckdb.Error as exc:
                lease.release()
                why = _first_part(exc).replace(str(working.path.resolve()), working.shown)
                if _FILE_LOCKED not in why or time.monotonic() >= deadline:
                    raise ConnectionFailedError(f"cannot open the working database "
                                                f"{working.shown}: {why}", self.backend) from None
                if not told:  # a program that takes no lock of ours, the duckdb shell say
                    workdb.tell(f"waiting for another program to close {working.shown} "
                                f"(up to {working.wait:g} s, HOLOCRON_DB_WAIT): {why}")
                    told = True
                time.sleep(workdb.POLL_SECONDS)
            except BaseException:
                lease.release()
                raise
        self._cleanup = weakref.finalize(self, _discard, self._con, None, None, lease)
        configure_session(self._con)
        if not self._con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
            self._con.execute("SET lock_configuration = true")
        state = workdb.status(working.path, working.seeded)
        if state.behind:
            warnings.warn(workdb.behind_message(working.shown, working.seeded_shown),
                          WorkingDatabaseBehind, stacklevel=4)

    @property
    def target(self) -> str:
        if self.working:
            return self._shown + " (working database" + (", read-only)" if self.read_only
                                                           else ")")
        return self._shown + (" (read-only)" if self.read_only else " (private copy)")

    def describe_target(self) -> Target:
        """What this connection works on, by file name and data: the working database (and
        the seed data it was made from) or the seeded file it copied or opened read-only."""
        if self.working:
            return working_target(self.path, self.seeded_path)
        return embedded_target(self.seeded_path,
                               opened_as="read-only" if self.read_only else "private copy")

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The raw DuckDB connection, for DuckDB-only work (it takes DuckDB SQL, not T-SQL)."""
        self._check_open()
        return self._con

    # --- statements ------------------------------------------------------------------------

    def _run(self, tsql: str, params: list | None, consume: Callable[[Any], Any]) -> Any:
        """Run a T-SQL batch; ``consume`` reads a result (a cursor, or None for no statement).

        A batch of several statements runs statement by statement, each with its own
        parameters; the answer is SQL Server's first result set: the first statement that
        returns rows, read before the next one runs (else the last statement's result).
        """
        statements = translate_batch(tsql, declared_column_types())
        if not statements:  # only session no-ops such as SET NOCOUNT ON
            return consume(None)
        if len(statements) == 1:
            return self._step(tsql, statements[0].sql, params, consume)
        first = None
        last = None
        for statement in statements:
            values = None if params is None else [params[i] for i in statement.params]
            if statement.returns_rows and first is None:
                first = (self._step(tsql, statement.sql, values, consume),)
            else:
                last = self._step(tsql, statement.sql, values, _keep)
        if first is not None:
            return first[0]
        return consume(last)

    def _step(self, tsql: str, sql: str, params: list | None,
              consume: Callable[[Any], Any]) -> Any:
        try:
            return consume(self._con.execute(sql, params))
        except duckdb.Error as exc:  # also a failure while streaming rows (e.g. a bad cast)
            self._fail_transaction()
            raise self._error(exc, tsql, sql, params) from None

    def _query(self, tsql: str, params: list | None) -> pd.DataFrame:
        return self._run(tsql, params, _frame)

    def _scalar(self, tsql: str, params: list | None) -> Any:
        return self._run(tsql, params, _first_value)

    def _execute(self, tsql: str, params: list | None) -> int:
        return self._run(tsql, params, _row_count)

    def call(self, name: str, **params):
        """Run the DuckDB emulation of stored procedure ``name`` (same parameters and results)."""
        self._check_open()
        return call_emulated(self, name, params)

    def _begin(self) -> None:
        self._con.begin()

    def _commit(self) -> None:
        try:
            self._con.commit()
        except duckdb.Error as exc:
            raise DatabaseError(f"commit failed: {_first_part(exc)}", self.backend) from None

    def _rollback(self) -> None:
        self._con.rollback()

    def _close(self) -> None:
        self._cleanup()

    # --- errors ----------------------------------------------------------------------------

    def _error(self, exc: duckdb.Error, tsql: str, sql: str,
               params: list | None = None) -> Exception:
        message = _first_part(exc)
        if isinstance(exc, duckdb.CatalogException):
            found = _MISSING_TABLE.search(message)
            if found:
                name = _as_written(found.group(1), tsql)
                return UnknownObjectError("table", name, self._similar_tables(name))
        # SQL Server's words where the translation makes DuckDB fail as the server would
        server = sql_server_message(message)
        if server is None and "has multiple overloads" in message:
            server = diagnose(sql, lambda probe: self._con.execute("EXPLAIN " + probe, params))
        if server is not None:
            return DatabaseError(f"{server}\n  in: {excerpt(tsql)}", self.backend)
        text = f"{message}\n  in: {excerpt(tsql)}"
        if " ".join(sql.split()) != " ".join(tsql.split()):
            text += f"\n  as DuckDB SQL: {excerpt(sql)}"
        return DatabaseError(text, self.backend)

    # --- introspection (DuckDB's own catalog functions, not T-SQL) ---------------------------

    def _catalog(self, sql: str, params: list | None = None) -> pd.DataFrame:
        self._check_open()
        try:
            return self._con.execute(sql, params).df()
        except duckdb.Error as exc:
            self._fail_transaction()
            raise DatabaseError(_first_part(exc), self.backend) from None

    def schemas(self) -> list[str]:
        frame = self._catalog(
            "SELECT schema_name FROM duckdb_schemas() s "
            "WHERE database_name = current_database() AND NOT internal "
            "AND schema_name NOT IN (?, ?) "
            "AND (schema_name <> 'main' OR EXISTS (SELECT 1 FROM duckdb_tables() t "
            "  WHERE t.database_name = s.database_name AND t.schema_name = 'main')) "
            "ORDER BY schema_name",
            list(_SYSTEM_SCHEMAS),
        )
        return frame["schema_name"].tolist()

    def tables(self, schema: str | None = None) -> pd.DataFrame:
        return self._catalog(
            "SELECT schema, name, kind FROM ("
            "  SELECT schema_name AS schema, table_name AS name, 'table' AS kind "
            "  FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal "
            "  UNION ALL "
            "  SELECT schema_name, view_name, 'view' FROM duckdb_views() "
            "  WHERE database_name = current_database() AND NOT internal) "
            "WHERE (CAST(? AS VARCHAR) IS NULL OR lower(schema) = lower(?)) "
            "ORDER BY schema, name",
            [schema, schema],
        )

    def _columns(self, schema: str, name: str) -> pd.DataFrame:
        frame = self._catalog(
            "SELECT c.schema_name, c.table_name, c.column_name AS name, c.data_type AS type, "
            "c.is_nullable AS nullable FROM duckdb_columns() c "
            "WHERE c.database_name = current_database() "
            "AND lower(c.schema_name) = lower(?) AND lower(c.table_name) = lower(?) "
            "ORDER BY c.column_index",
            [schema, name],
        )
        if frame.empty:
            return frame
        model = _model_types(frame.iloc[0]["schema_name"], frame.iloc[0]["table_name"])
        if model:
            # Only where the column still has the type the DDL gave it.
            frame["type"] = [
                model.get((c.lower(), _type_key(t)), t)
                for c, t in zip(frame["name"], frame["type"], strict=True)
            ]
        return frame[["name", "type", "nullable"]].reset_index(drop=True)


def _keep(cursor: Any) -> Any:
    return cursor


def _frame(cursor: duckdb.DuckDBPyConnection | None) -> pd.DataFrame:
    if cursor is None or cursor.description is None:
        return pd.DataFrame()
    return cursor.df()


def _first_value(cursor: duckdb.DuckDBPyConnection | None) -> Any:
    if cursor is None or cursor.description is None:
        return None
    row = cursor.fetchone()
    return None if row is None else row[0]


def _row_count(cursor: duckdb.DuckDBPyConnection | None) -> int:
    desc = None if cursor is None else cursor.description
    # INSERT/UPDATE/DELETE answer with one row holding a "Count"; DDL with no row.
    if desc and len(desc) == 1 and desc[0][0] == "Count":
        row = cursor.fetchone()
        return -1 if row is None else int(row[0])
    return -1


@functools.cache
def declared_column_types() -> ColumnTypes:
    """The project's tables with each column's declared T-SQL type, for the translator."""
    try:
        model = load_schema_model()
    except (HolocronError, OSError):
        return column_types()
    return ColumnTypes.from_declared({t.full_name: {c.name: c.tsql_type for c in t.columns}
                                      for t in model.tables})


def _first_part(exc: Exception) -> str:
    """DuckDB's message without the 'LINE 1: ...' pointer into the translated SQL."""
    return str(exc).split("\n\nLINE ", 1)[0].strip()


def _as_written(name: str, tsql: str) -> str:
    """The object name as the T-SQL spelt it (with its schema), else DuckDB's spelling."""
    bare = name.split(".")[-1]
    pattern = (
        r"((?:\[[^\]]+\]|\"[^\"]+\"|\w+)\s*\.\s*)?(?:\[" + re.escape(bare) + r"\]|\""
        + re.escape(bare) + r"\"|\b" + re.escape(bare) + r"\b)"
    )
    found = re.search(pattern, tsql, flags=re.IGNORECASE)
    if not found:
        return name
    schema, table = split_name(found.group(0), default_schema="")
    return f"{schema}.{table}" if schema else table


def _model_types(schema: str, table: str) -> dict[tuple[str, str], str]:
    """(column, DuckDB type) → T-SQL type, from the project's DDL model when it has the table."""
    try:
        model = load_schema_model().table(f"{schema}.{table}")
    except (HolocronError, ImportError, OSError):
        return {}
    return {(c.name.lower(), _type_key(c.duckdb_type)): c.tsql_type for c in model.columns}


def _type_key(duckdb_type: str) -> str:
    return duckdb_type.upper().replace(" ", "")
