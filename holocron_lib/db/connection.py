"""`connect()`: the configured backend, and the notebooks' shared connection behind `query()`.

SQL Server when the settings name it, else the embedded DuckDB backend: the persistent
working database (HOLOCRON_DB_MODE=work, the default: `holocron run`, the run service, your
own notebooks) or a private throwaway copy of the seeded file (HOLOCRON_DB_MODE=copy: the
book build and the tests; also whenever ``path`` names a file). `db.workdb` says more. The
backends are imported only when chosen, so a notebook that never uses SQL Server never
loads pyodbc (deliberately lazy).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from holocron_lib.db.base import Database, relative_to_home
from holocron_lib.db.target import Target, embedded_target, working_target
from holocron_lib.errors import ConnectionFailedError
from holocron_lib.settings import Settings, find_project_root, load_settings

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["connect", "describe_target", "query", "shared_database"]


def connect(
    settings: Settings | None = None, *, path: str | Path | None = None, read_only: bool = False
) -> Database:
    """A connection to the configured database: SQL Server when configured, else DuckDB.

    On DuckDB, HOLOCRON_DB_MODE decides: ``work`` opens the working database in place
    (made from the seeded file on first use; while another process writes it, this waits
    up to HOLOCRON_DB_WAIT seconds), ``copy`` a private temporary copy of the seeded file
    (deleted on close), so writes never reach the seeded file. ``path`` names a DuckDB file
    to copy and implies DuckDB. ``read_only=True`` opens the file itself, read-only, without
    copying: the working database (in ``work`` mode), else the seeded file.
    """
    mode = "copy"
    if path is None:
        if settings is None:
            settings = load_settings()
        if settings.backend == "sqlserver":
            # lazy: pyodbc loads only where SQL Server is configured
            from holocron_lib.db.sqlserver import SqlServerDatabase

            return SqlServerDatabase.from_settings(settings)
        seeded, home, mode = settings.db_path, settings.home, settings.db_mode
    else:
        home = settings.home if settings is not None else _project_home()
        seeded = Path(path).expanduser()
        if not seeded.is_absolute():
            seeded = home / seeded
    if not seeded.is_file():
        shown = relative_to_home(seeded, home)
        raise ConnectionFailedError(
            f"the embedded database {shown} does not exist yet; run `holocron db build` "
            "to create it (or set HOLOCRON_DB_PATH to a built file)",
            "duckdb",
        )
    # lazy: DuckDB, pandas and sqlglot load on the first connection, not with `import holocron_lib`
    from holocron_lib.db.embedded import DuckDBDatabase, Working

    seeded_shown = relative_to_home(seeded, home)
    if mode == "work":
        work = settings.work_db_path
        working = Working(work, seeded, relative_to_home(work, home), seeded_shown,
                          float(settings.db_wait))
        return DuckDBDatabase(seeded, read_only=read_only, working=working)
    return DuckDBDatabase(seeded, read_only=read_only, shown_path=seeded_shown)


def describe_target(settings: Settings | None = None) -> Target:
    """What `connect(settings)` opens, as its `Database.describe_target()` describes it, but
    without connecting: a run's lineage is taken before its kernel connects, and a worker
    must not hold the database a kernel writes."""
    if settings is None:
        settings = load_settings()
    if settings.backend == "sqlserver":
        # lazy: pyodbc loads only where SQL Server is configured
        from holocron_lib.db.sqlserver import configured_target

        return configured_target(settings)
    if settings.db_mode == "work":
        return working_target(settings.work_db_path, settings.db_path)
    return embedded_target(settings.db_path)


def _project_home() -> Path:
    return find_project_root()


_shared: Database | None = None
_shared_lock = threading.Lock()


def shared_database() -> Database:
    """This process's shared connection for `query()`, opened on first use."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared.closed:
            _shared = connect()
        return _shared


def query(tsql: str, params: Sequence | None = None) -> pd.DataFrame:
    """Run a T-SQL query on the process's shared connection (for quick notebook cells)."""
    return shared_database().query(tsql, params)
