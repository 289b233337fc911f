"""The run store's tables (notebooks, parameters, runs, schedules, presets) and engine setup.

SQLite gets WAL, a busy timeout and BEGIN IMMEDIATE for write transactions, so several
processes can share one file without "database is locked" surprises mid-transaction. A
store that cannot be used (a corrupt file, a server that does not answer) raises
`StoreUnavailableError` naming the store, from whichever statement found out. Reading is
forgiving: a JSON or date value the store somehow holds in a bad form reads as None rather
than breaking a listing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time

import sqlalchemy as sa

from holocron_lib.errors import StoreUnavailableError

# Ids are Integer columns: 32 bits on PostgreSQL, the smaller of the two backends' ranges.
MAX_ID = 2**31 - 1


class _Unreadable(str):
    """Marks a stored JSON value that could not be parsed."""


def _dumps(value) -> str:
    return json.dumps(value, allow_nan=False, ensure_ascii=False)


def _loads(text):
    if not isinstance(text, str | bytes | bytearray):
        return text  # SQLite gives a number stored in a JSON column as that number
    try:
        return json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return _Unreadable("unreadable")


class ForgivingDateTime(sa.types.TypeDecorator):
    """DateTime that reads a malformed stored value as None instead of raising."""

    impl = sa.DateTime
    cache_ok = True

    def result_processor(self, dialect, coltype):
        inner = self.impl_instance.result_processor(dialect, coltype)
        if inner is None:
            return None

        def process(value):
            try:
                return inner(value)
            except (TypeError, ValueError):
                return None

        return process


metadata = sa.MetaData()

schema_version = sa.Table(
    "holocron_schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)

notebooks = sa.Table(
    "notebooks", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(255), nullable=False, unique=True),
    sa.Column("title", sa.String(255), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("category", sa.String(50), nullable=False, index=True),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("owner", sa.String(100)),
    sa.Column("file_path", sa.String(512), nullable=False),  # relative to the registry root
    sa.Column("metadata", sa.JSON, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

notebook_parameters = sa.Table(
    "notebook_parameters", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("notebook_id", sa.Integer, sa.ForeignKey("notebooks.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("param_name", sa.String(100), nullable=False),
    sa.Column("param_type", sa.String(50), nullable=False),
    sa.Column("default_value", sa.JSON),
    sa.Column("description", sa.Text),
    sa.Column("required", sa.Boolean, nullable=False),
    sa.Column("validation_rules", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("notebook_id", "param_name"),
)

executions = sa.Table(
    "notebook_executions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("notebook_id", sa.Integer, sa.ForeignKey("notebooks.id", ondelete="SET NULL")),
    sa.Column("notebook_name", sa.String(255), nullable=False, index=True),
    sa.Column("username", sa.String(100), nullable=False, index=True),
    sa.Column("input_path", sa.String(512), nullable=False),
    sa.Column("output_path", sa.String(1024)),
    sa.Column("parameters_used", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("error_message", sa.Text),
    sa.Column("error_cell", sa.Integer),
    sa.Column("error_name", sa.String(200)),
    sa.Column("execution_time_seconds", sa.Float),
    sa.Column("timeout_seconds", sa.Integer),
    sa.Column("queued_at", ForgivingDateTime, nullable=False),
    sa.Column("started_at", ForgivingDateTime),
    sa.Column("completed_at", ForgivingDateTime),
    sa.Column("runner_host", sa.String(255)),
    sa.Column("runner_pid", sa.Integer),
    sa.Column("heartbeat_at", ForgivingDateTime),
    # schema version 2: the store is the queue of a team's workers
    sa.Column("attempt", sa.Integer, nullable=False, server_default="1"),
    sa.Column("max_attempts", sa.Integer, nullable=False, server_default="1"),
    sa.Column("attempt_history", sa.JSON),  # earlier attempts: who ran them, why they ended
    sa.Column("cancel_requested_by", sa.String(100)),
    # schema version 3: a run queued by a schedule names it and the due time it stands for;
    # the unique index makes "queued once per schedule and due time" the store's own rule
    sa.Column("schedule_id", sa.Integer),
    sa.Column("scheduled_for", ForgivingDateTime),
    sa.Index("ux_run_schedule_due", "schedule_id", "scheduled_for", unique=True),
    sa.Column("preset", sa.String(100)),  # schema version 4: the preset a run started from
    # schema version 5: what a run ran (code, library, data, target) and what it recorded
    sa.Column("lineage", sa.JSON),
    sa.Column("results", sa.JSON),
)

schedules = sa.Table(
    "schedules", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("notebook_name", sa.String(255), nullable=False),
    sa.Column("parameters", sa.JSON, nullable=False),  # the values given, typed; defaults apply
    sa.Column("preset", sa.String(100)),
    sa.Column("cron", sa.String(100), nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("owner", sa.String(100), nullable=False),
    sa.Column("paused", sa.Boolean, nullable=False),
    sa.Column("next_due_at", sa.DateTime, nullable=False),  # naive UTC, like every timestamp
    sa.Column("last_due_at", sa.DateTime),
    sa.Column("last_run_id", sa.Integer),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)


presets = sa.Table(
    "presets", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("notebook_name", sa.String(255), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("owner", sa.String(100), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("parameters", sa.JSON, nullable=False),  # the values given, typed
    # checked against the parameters cell whose fingerprint is kept here; re-checked when
    # that cell changes, and marked invalid (with the reason) when the values no longer fit
    sa.Column("valid", sa.Boolean, nullable=False),
    sa.Column("problem", sa.Text),
    sa.Column("checked_against", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("notebook_name", "name"),
)


def add_missing_columns(conn) -> list[str]:
    """Add the columns and indexes a newer version declares to tables an older one created.

    Every column added after version 1 is nullable or has a server default, so an
    ``ALTER TABLE ... ADD COLUMN`` brings an old store up to date without rewriting a row.
    """
    inspector = sa.inspect(conn)
    added = []
    for table in metadata.sorted_tables:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
                conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))
                added.append(f"{table.name}.{column.name}")
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(conn)
                added.append(f"{table.name}.{index.name}")
    return added


def shown_url(url: str) -> str:
    """The store's URL as it may be printed: no password, no query options."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return "(a malformed URL)"
    if parsed.get_backend_name() == "sqlite":
        return f"{parsed.database or ':memory:'} (SQLite)"
    return parsed._replace(query={}).render_as_string(hide_password=True)


_ADVICE = {
    "sqlite": "if the file is damaged, move the file aside (an empty store is made in its "
              "place) or restore it from a backup; HOLOCRON_STORE_URL chooses another store",
    "postgresql": "check that the server runs and accepts this login, and HOLOCRON_STORE_URL",
}


def _unavailable(engine: sa.Engine, url: str) -> None:
    """Turn 'the store cannot be used' errors into one `StoreUnavailableError`."""
    dialect = engine.dialect.name

    @sa.event.listens_for(engine, "handle_error")
    def _translate(ctx):
        exc = ctx.sqlalchemy_exception
        broken = isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError) or (
            type(exc) is sa.exc.DatabaseError)
        if not broken or ctx.original_exception is None:
            return None
        first = str(ctx.original_exception).strip().splitlines()
        reason = (first[0] if first else type(ctx.original_exception).__name__)[:200]
        return StoreUnavailableError(shown_url(url), reason, _ADVICE.get(dialect, "check "
                                     "HOLOCRON_STORE_URL"), dialect)


class SqliteFileGuard:
    """Checks a SQLite store's file header before statements (at most once a second, and
    every time while it is damaged), so a file damaged on disk stops every statement rather
    than only the next connection: SQLite would go on answering from its cache and WAL."""

    def __init__(self, engine: sa.Engine, url: str, every: float = 1.0):
        self.path = engine.url.database
        self.url = url
        self.damaged = False
        checked = [0.0]

        @sa.event.listens_for(engine, "before_cursor_execute")
        def _guard(*_args):
            now = time.monotonic()
            if self.damaged or now - checked[0] >= every:
                self.check()
                checked[0] = now

    def check(self) -> None:
        """Raise `StoreUnavailableError` when the file is not a SQLite database."""
        if not self.path or self.path == ":memory:" or not os.path.exists(self.path):
            return  # a new store: SQLite creates the file
        try:
            with open(self.path, "rb") as fh:
                header = fh.read(16)
        except OSError as exc:
            raise StoreUnavailableError(shown_url(self.url), exc.strerror or "cannot be read",
                                        "check HOLOCRON_STORE_URL", "sqlite") from None
        self.damaged = header != b"SQLite format 3\x00"
        if self.damaged:
            raise StoreUnavailableError(shown_url(self.url), "file is not a database",
                                        _ADVICE["sqlite"], "sqlite")


def create_engine(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and up-front write locks."""
    options = dict(json_serializer=_dumps, json_deserializer=_loads)
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            folder = os.path.dirname(os.path.abspath(path))
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailableError(
                    shown_url(url), f"its folder cannot be created ({exc.strerror or exc})",
                    "point HOLOCRON_STORE_URL at a folder that can be written", "sqlite",
                ) from None
        # a pool as large as the API's thread pool, so busy servers reuse connections
        engine = sa.create_engine(url, connect_args={"timeout": 30, "isolation_level": None,
                                                     "check_same_thread": False},
                                  pool_size=20, max_overflow=30, **options)
        _unavailable(engine, url)

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_con, _record):
            dbapi_con.execute("PRAGMA journal_mode=WAL")
            dbapi_con.execute("PRAGMA busy_timeout=30000")
            dbapi_con.execute("PRAGMA foreign_keys=ON")
            dbapi_con.execute("PRAGMA synchronous=NORMAL")

        @sa.event.listens_for(engine, "begin")
        def _begin(conn):
            immediate = conn.get_execution_options().get("holocron_write")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    engine = sa.create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=30,
                              **options)
    _unavailable(engine, url)
    return engine


class ChangeStamp:
    """A value that changes whenever anything is committed to the store, by any process, so
    an answer built from the store can be kept until it does.

    SQLite's ``PRAGMA data_version``, read on a connection of its own that never writes,
    changes with every commit of every other connection and reads only the WAL index; the
    file's inode is part of the stamp, so a store file replaced under the server is noticed,
    and the file guard's check runs first, so a damaged file stops this as every statement.
    PostgreSQL offers nothing as exact (a commit's WAL is written before it is visible), so
    there the stamp is None: nothing is kept and every answer is built afresh.
    """

    def __init__(self, engine: sa.Engine, guard: SqliteFileGuard | None = None):
        self.path = engine.url.database if engine.dialect.name == "sqlite" else None
        self.guard = guard
        self._conn: sqlite3.Connection | None = None
        self._inode: int | None = None
        self._lock = threading.Lock()

    def stamp(self) -> tuple[int, int] | None:
        if not self.path or self.path == ":memory:":
            return None
        if self.guard is not None:
            self.guard.check()  # StoreUnavailableError: the store's answer
        with self._lock:
            try:
                inode = os.stat(self.path).st_ino
                if self._conn is not None and inode != self._inode:
                    self._close()
                if self._conn is None:
                    self._conn = sqlite3.connect(self.path, timeout=5, isolation_level=None,
                                                 check_same_thread=False)
                    self._inode = inode
                return inode, self._conn.execute("PRAGMA data_version").fetchone()[0]
            except (OSError, sqlite3.Error):
                self._close()
                return None

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self) -> None:
        with self._lock:
            self._close()
