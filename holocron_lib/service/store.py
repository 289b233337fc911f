"""Run history: notebooks, their parameters and every execution, in SQLite or PostgreSQL.

SQLAlchemy Core over three tables (`notebooks`, `notebook_parameters`,
`notebook_executions`) plus `holocron_schema_version`. SQLite runs in WAL mode with a busy
timeout and takes its write lock up front (BEGIN IMMEDIATE), so several processes can share
one file. Lifecycle: queued → running → succeeded | failed | error | timed_out | cancelled |
interrupted;
a row moves out of a state only through a conditional UPDATE, so two processes never both
win. The table of runs is also the queue: workers on any number of machines take the oldest
queued run with `claim_next()` (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the write lock of
``BEGIN IMMEDIATE`` on SQLite). Ending interrupted attempts lives in `recovery`, the
records handed out in `records`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from holocron_lib.errors import (
    DatabaseError,
    RunStateError,
    StoreUnavailableError,
    UnknownObjectError,
    WaitingLimitError,
)
from holocron_lib.service.records import (  # noqa: F401 - part of this module's surface
    OPEN,
    Run,
    RunStatus,
    process_alive,
    row_to_run,
    this_runner,
    utcnow,
)
from holocron_lib.service.recovery import Recovery
from holocron_lib.service.tables import (  # noqa: F401 - the tables are part of this module's surface
    MAX_ID,
    ChangeStamp,
    SqliteFileGuard,
    add_missing_columns,
    create_engine,
    executions,
    metadata,
    notebook_parameters,
    notebooks,
    presets,
    schedules,
    schema_version,
    shown_url,
)

# 2: attempts, cancel; 3: schedules; 4: presets; 5: lineage and results (add_missing_columns)
SCHEMA_VERSION = 5
HEARTBEAT_SECONDS = 5
STALE_AFTER_SECONDS = 60  # a live runner beats every HEARTBEAT_SECONDS; this is many misses


class Store(Recovery):
    """The run-history store. Open with `Store(url)`; the schema is created or checked."""

    def __init__(self, url: str, *, create: bool = True,
                 stale_after: int = STALE_AFTER_SECONDS):
        self.url = url
        self.stale_after = stale_after  # heartbeat silence after which a runner counts as dead
        self.engine = create_engine(url)
        self.dialect = self.engine.dialect.name
        self._write = self.engine.execution_options(holocron_write=True)
        self._file = SqliteFileGuard(self.engine, url) if self.dialect == "sqlite" else None
        self.changes = ChangeStamp(self.engine, self._file)  # what kept answers are keyed by
        if create:
            try:
                self.ensure_schema()
            except Exception:
                self.engine.dispose()
                raise

    def ping(self) -> None:
        """Raise `StoreUnavailableError` unless the store can be used now.

        SQLite serves pages from its cache and WAL, so a file damaged on disk can still answer
        for a while: its header is read from disk too, and while it is damaged every
        statement refuses (`SqliteFileGuard`), so no route answers from a broken store.
        """
        if self._file is not None:
            self._file.check()
        with self.engine.connect() as conn:
            conn.execute(sa.select(sa.func.count()).select_from(schema_version)).scalar()

    def close(self) -> None:
        self.changes.close()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _lock(self, conn, key: int = 7410001) -> None:
        """Serialize a write section across processes (SQLite: BEGIN IMMEDIATE does it)."""
        if self.dialect == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})

    def ensure_schema(self) -> int:
        """Create the tables on first use; refuse a store written by a newer version."""
        try:
            with self._write.begin() as conn:
                self._lock(conn)
                metadata.create_all(conn, checkfirst=True)
                current = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
                if current is not None and current < SCHEMA_VERSION:
                    add_missing_columns(conn)
                if current is None or current < SCHEMA_VERSION:
                    conn.execute(schema_version.insert().values(version=SCHEMA_VERSION,
                                                                applied_at=utcnow()))
                    current = SCHEMA_VERSION
        except sa.exc.SQLAlchemyError as exc:
            raise StoreUnavailableError(shown_url(self.url), type(exc).__name__,
                                        "check HOLOCRON_STORE_URL", self.dialect) from None
        if current > SCHEMA_VERSION:
            raise DatabaseError(f"the run store has schema version {current}, newer than this "
                                f"holocron understands ({SCHEMA_VERSION}); upgrade holocron",
                                self.dialect)
        return current

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()

    # ------------------------------------------------------------ registry

    def _upsert(self, conn, info, now: datetime) -> tuple[int, str]:
        row = conn.execute(sa.select(notebooks.c.id, notebooks.c.fingerprint,
                                     notebooks.c.active).where(notebooks.c.name == info.name)
                           ).first()
        values = dict(title=info.title, description=info.description, category=info.category,
                      tags=list(info.tags), owner=info.owner, file_path=info.source_file,
                      metadata={"prerequisites": info.prerequisites,
                                "last_verified": info.last_verified},
                      fingerprint=info.fingerprint, active=True, updated_at=now)
        if row is not None and row.fingerprint == info.fingerprint and row.active:
            return row.id, "unchanged"
        if row is None:
            nb_id = conn.execute(notebooks.insert().values(name=info.name, created_at=now,
                                                           **values)).inserted_primary_key[0]
            outcome = "added"
        else:
            nb_id = row.id
            conn.execute(notebooks.update().where(notebooks.c.id == nb_id).values(**values))
            conn.execute(notebook_parameters.delete().where(
                notebook_parameters.c.notebook_id == nb_id))
            outcome = "updated"
        for i, p in enumerate(info.parameters):
            conn.execute(notebook_parameters.insert().values(
                notebook_id=nb_id, position=i, param_name=p.name, param_type=p.type,
                default_value=p.to_dict()["default"], description=p.description,
                required=p.required, validation_rules=p.rules, created_at=now, updated_at=now))
        return nb_id, outcome

    def upsert_notebook(self, info) -> int:
        """Register or refresh one notebook; returns its id."""
        with self._write.begin() as conn:
            self._lock(conn)
            return self._upsert(conn, info, utcnow())[0]

    def sync_notebooks(self, infos: Iterable) -> dict[str, list[str]]:
        """Make the store match the registry; notebooks gone from disk become inactive."""
        report: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": [],
                                        "deactivated": []}
        now = utcnow()
        with self._write.begin() as conn:
            self._lock(conn)
            names = set()
            for info in infos:
                names.add(info.name)
                report[self._upsert(conn, info, now)[1]].append(info.name)
            active = conn.execute(sa.select(notebooks.c.id, notebooks.c.name)
                                  .where(notebooks.c.active.is_(True))).all()
            gone = [r for r in active if r.name not in names]
            if gone:
                conn.execute(notebooks.update().where(notebooks.c.id.in_([r.id for r in gone]))
                             .values(active=False, updated_at=now))
            report["deactivated"] = sorted(r.name for r in gone)
        return report

    def list_notebooks(self, include_inactive: bool = False) -> list[dict[str, Any]]:
        """Registered notebooks as stored, each with its parameters."""
        with self.engine.connect() as conn:
            q = sa.select(notebooks).order_by(notebooks.c.name)
            if not include_inactive:
                q = q.where(notebooks.c.active.is_(True))
            rows = conn.execute(q).all()
            params = conn.execute(sa.select(notebook_parameters).order_by(
                notebook_parameters.c.notebook_id, notebook_parameters.c.position)).all()
        by_nb: dict[int, list] = {}
        for p in params:
            by_nb.setdefault(p.notebook_id, []).append(
                {"name": p.param_name, "type": p.param_type, "default": p.default_value,
                 "description": p.description, "required": p.required,
                 "rules": p.validation_rules})
        return [{"id": r.id, "name": r.name, "title": r.title, "category": r.category,
                 "tags": r.tags, "owner": r.owner, "active": r.active,
                 "parameters": by_nb.get(r.id, [])} for r in rows]

    # ------------------------------------------------------------ runs

    def create_run(self, info, user: str, parameters: dict[str, Any], *,
                   status: RunStatus = RunStatus.QUEUED, timeout: int | None = None,
                   error_message: str | None = None, max_attempts: int = 1,
                   preset: str | None = None, max_waiting: int | None = None) -> Run:
        """Record a new run owned by this process (queued, running, or error).

        With ``max_waiting``, a queued run is refused (`WaitingLimitError`) when the user
        already has that many queued; counted under the write lock, so it holds across
        processes.
        """
        with self._write.begin() as conn:
            self._lock(conn)
            if max_waiting is not None and status == RunStatus.QUEUED:
                waiting = conn.execute(sa.select(sa.func.count()).select_from(executions).where(
                    executions.c.username == user,
                    executions.c.status == str(RunStatus.QUEUED))).scalar()
                if waiting >= max_waiting:
                    raise WaitingLimitError(user, waiting, max_waiting)
            nb_id = self._upsert(conn, info, utcnow())[0]
            run_id = self.insert_run(conn, info.name, user, parameters, notebook_id=nb_id,
                                     input_path=info.source_file, status=status,
                                     timeout=timeout, error_message=error_message,
                                     max_attempts=max_attempts, preset=preset)
        return self.get_run(run_id)

    def insert_run(self, conn, notebook: str, user: str, parameters: dict[str, Any], *,
                   notebook_id: int | None = None, input_path: str | None = None,
                   status: RunStatus = RunStatus.QUEUED, timeout: int | None = None,
                   error_message: str | None = None, max_attempts: int = 1,
                   schedule_id: int | None = None, scheduled_for: datetime | None = None,
                   preset: str | None = None) -> int:
        """Insert a run row inside the caller's write transaction; returns its id."""
        host, pid = this_runner()
        now = utcnow()
        values = dict(notebook_id=notebook_id, notebook_name=notebook, username=user,
                      input_path=input_path or f"{notebook}.py", parameters_used=parameters,
                      status=str(status), timeout_seconds=timeout, queued_at=now,
                      runner_host=host, runner_pid=pid, heartbeat_at=now,
                      error_message=error_message, max_attempts=max(1, max_attempts),
                      schedule_id=schedule_id, scheduled_for=scheduled_for, preset=preset)
        if status == RunStatus.RUNNING:
            values["started_at"] = now
        elif status.terminal:
            values.update(completed_at=now, runner_pid=None, heartbeat_at=None)
        return conn.execute(executions.insert().values(**values)).inserted_primary_key[0]

    def notebook_id(self, conn, info) -> int:
        """The registered id of ``info`` (registering or refreshing it), in ``conn``."""
        self._lock(conn)
        return self._upsert(conn, info, utcnow())[0]

    def writing(self):
        """A write transaction (SQLite: BEGIN IMMEDIATE) for modules that keep their own tables."""
        return self._write.begin()

    def get_run(self, run_id: int) -> Run:
        if not isinstance(run_id, int) or not 1 <= run_id <= MAX_ID:
            raise UnknownObjectError("run", str(run_id)[:30])
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(executions).where(executions.c.id == run_id)).first()
        if row is None:
            raise UnknownObjectError("run", str(run_id))
        return row_to_run(row)

    def claim_run(self, run_id: int) -> bool:
        """queued → running for this process; False when someone else got there first."""
        host, pid = this_runner()
        now = utcnow()
        with self._write.begin() as conn:
            done = conn.execute(executions.update().where(
                executions.c.id == run_id, executions.c.status == str(RunStatus.QUEUED)
            ).values(status=str(RunStatus.RUNNING), started_at=now, heartbeat_at=now,
                     runner_host=host, runner_pid=pid)).rowcount
        return done == 1

    def claim_next(self) -> Run | None:
        """Take the oldest queued run for this process (queued → running), or None.

        On PostgreSQL the row is locked with SKIP LOCKED, so workers on other machines pass
        over it instead of waiting; on SQLite the write lock taken by BEGIN IMMEDIATE
        serializes the claimants. Either way the conditional UPDATE lets one win.
        """
        host, pid = this_runner()
        now = utcnow()
        with self._write.begin() as conn:
            query = (sa.select(executions.c.id)
                     .where(executions.c.status == str(RunStatus.QUEUED))
                     .order_by(executions.c.id).limit(1))
            if self.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            row = conn.execute(query).first()
            if row is None:
                return None
            done = conn.execute(executions.update().where(
                executions.c.id == row.id, executions.c.status == str(RunStatus.QUEUED)
            ).values(status=str(RunStatus.RUNNING), started_at=now, heartbeat_at=now,
                     runner_host=host, runner_pid=pid)).rowcount
        return self.get_run(row.id) if done == 1 else None

    def request_cancel(self, run_id: int, user: str) -> Run:
        """Cancel a queued run now, or ask the worker holding a running one to stop it.

        Raises `RunStateError` for a run that has already ended.
        """
        if not isinstance(run_id, int) or not 1 <= run_id <= MAX_ID:
            raise UnknownObjectError("run", str(run_id)[:30])
        now = utcnow()
        with self._write.begin() as conn:
            row = conn.execute(sa.select(executions.c.status).where(
                executions.c.id == run_id)).first()
            if row is None:
                raise UnknownObjectError("run", str(run_id))
            done = conn.execute(executions.update().where(
                executions.c.id == run_id, executions.c.status == str(RunStatus.QUEUED)
            ).values(status=str(RunStatus.CANCELLED), completed_at=now, cancel_requested_by=user,
                     error_message=f"cancelled by {user} before it started", runner_pid=None,
                     heartbeat_at=None)).rowcount
            if not done:  # running, or claimed since we looked
                done = conn.execute(executions.update().where(
                    executions.c.id == run_id, executions.c.status == str(RunStatus.RUNNING),
                    executions.c.cancel_requested_by.is_(None),
                ).values(cancel_requested_by=user)).rowcount
        run = self.get_run(run_id)
        if not done and run.status.terminal:
            raise RunStateError(run_id, run.status.value, "cancel")
        return run

    def cancel_requests(self, run_ids: Iterable[int]) -> dict[int, str]:
        """Which of these running runs someone asked to stop: run id → who asked."""
        ids = list(run_ids)
        if not ids:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(executions.c.id, executions.c.cancel_requested_by)
                                .where(executions.c.id.in_(ids),
                                       executions.c.status == str(RunStatus.RUNNING),
                                       executions.c.cancel_requested_by.is_not(None))).all()
        return {r.id: r.cancel_requested_by for r in rows}

    def set_output(self, run_id: int, output_path: str | None) -> None:
        with self._write.begin() as conn:
            conn.execute(executions.update().where(executions.c.id == run_id)
                         .values(output_path=output_path))

    def finish_run(self, run_id: int, status: RunStatus, *, error_message: str | None = None,
                   error_cell: int | None = None, error_name: str | None = None,
                   output_path: str | None = None) -> Run:
        """Close a queued or running run; a run already closed stays as it was."""
        now = utcnow()
        with self._write.begin() as conn:
            row = conn.execute(sa.select(executions.c.started_at).where(
                executions.c.id == run_id)).first()
            if row is None:
                raise UnknownObjectError("run", str(run_id))
            values: dict[str, Any] = dict(
                status=str(status), completed_at=now, error_message=error_message,
                error_cell=error_cell, error_name=error_name, heartbeat_at=now)
            if row.started_at is not None:
                values["execution_time_seconds"] = (now - row.started_at).total_seconds()
            if output_path is not None:
                values["output_path"] = output_path
            conn.execute(executions.update().where(
                executions.c.id == run_id,
                executions.c.status.in_([str(RunStatus.QUEUED), str(RunStatus.RUNNING)])
            ).values(**values))
        return self.get_run(run_id)

    def record_duration(self, run_id: int, seconds: float) -> None:
        """The runner's own measure of execution time, finer than the stored timestamps."""
        with self._write.begin() as conn:
            conn.execute(executions.update().where(executions.c.id == run_id)
                         .values(execution_time_seconds=round(seconds, 3)))

    def heartbeat(self) -> int:
        """Mark every run this process is executing as alive; returns how many."""
        host, pid = this_runner()
        with self._write.begin() as conn:
            return conn.execute(executions.update().where(
                executions.c.runner_host == host, executions.c.runner_pid == pid,
                executions.c.status == str(RunStatus.RUNNING)
            ).values(heartbeat_at=utcnow())).rowcount

    def list_runs(self, *, notebook: str | None = None, status: str | None = None,
                  user: str | None = None, limit: int = 50, offset: int = 0
                  ) -> tuple[list[Run], int]:
        """Runs newest first, filtered; also the total number matching the filters."""
        where = []
        if notebook:
            where.append(executions.c.notebook_name == notebook)
        if status:
            where.append(executions.c.status == str(RunStatus(status)))
        if user:
            where.append(executions.c.username == user)
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(executions)
                                 .where(*where)).scalar()
            rows = conn.execute(sa.select(executions).where(*where)
                                .order_by(executions.c.id.desc()).limit(limit).offset(offset)
                                ).all()
        return [row_to_run(r) for r in rows], total

    def count_open(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(executions.c.status, sa.func.count())
                                .where(executions.c.status.in_(OPEN))
                                .group_by(executions.c.status)).all()
        return {"queued": 0, "running": 0, **{r[0]: r[1] for r in rows}}

    # ------------------------------------------------------------ recovery
