"""The run store's tables (notebooks, parameters, runs, schema version) and engine setup.

SQLite gets WAL, a busy timeout and BEGIN IMMEDIATE for write transactions, so several
processes can share one file without "database is locked" surprises mid-transaction.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

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
    sa.Column("queued_at", sa.DateTime, nullable=False),
    sa.Column("started_at", sa.DateTime),
    sa.Column("completed_at", sa.DateTime),
    sa.Column("runner_host", sa.String(255)),
    sa.Column("runner_pid", sa.Integer),
    sa.Column("heartbeat_at", sa.DateTime),
    # schema version 2: the store is the queue of a team's workers
    sa.Column("attempt", sa.Integer, nullable=False, server_default="1"),
    sa.Column("max_attempts", sa.Integer, nullable=False, server_default="1"),
    sa.Column("attempt_history", sa.JSON),  # earlier attempts: who ran them, why they ended
    sa.Column("cancel_requested_by", sa.String(100)),
    # schema version 3: a run queued by a schedule names it and the due time it stands for;
    # the unique index makes "queued once per schedule and due time" the store's own rule
    sa.Column("schedule_id", sa.Integer),
    sa.Column("scheduled_for", sa.DateTime),
    sa.Index("ux_run_schedule_due", "schedule_id", "scheduled_for", unique=True),
    sa.Column("preset", sa.String(100)),  # schema version 4: the preset a run started from
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


def create_engine(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and up-front write locks."""
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # a pool as large as the API's thread pool, so busy servers reuse connections
        engine = sa.create_engine(url, connect_args={"timeout": 30, "isolation_level": None,
                                                     "check_same_thread": False},
                                  pool_size=20, max_overflow=30)

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
    return sa.create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=30)
