"""Run history: notebooks, their parameters and every execution, in SQLite or PostgreSQL.

SQLAlchemy Core over three tables (`notebooks`, `notebook_parameters`,
`notebook_executions`) plus `holocron_schema_version`. SQLite runs in WAL mode with a busy
timeout and takes its write lock up front (BEGIN IMMEDIATE), so several processes can share
one file. Lifecycle: queued → running → succeeded | failed | error | timed_out; a row moves
out of a state only through a conditional UPDATE, so two processes never both win.
"""

from __future__ import annotations

import enum
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from holocron_lib.errors import (
    DatabaseError,
    StoreUnavailableError,
    UnknownObjectError,
    WaitingLimitError,
)
from holocron_lib.service.tables import (  # noqa: F401 - the tables are part of this module's surface
    MAX_ID,
    SqliteFileGuard,
    create_engine,
    executions,
    metadata,
    notebook_parameters,
    notebooks,
    schema_version,
    shown_url,
)
from holocron_lib.service.values import number_or_none, printable, printable_text

SCHEMA_VERSION = 1  # bump with a migration step in Store.ensure_schema
HEARTBEAT_SECONDS = 5
STALE_AFTER_SECONDS = 60  # a live runner beats every HEARTBEAT_SECONDS; this is many misses


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"  # the notebook ran to the end
    FAILED = "failed"        # the notebook raised, or its runner died
    ERROR = "error"          # never started: bad parameters, no kernel, missing notebook
    TIMED_OUT = "timed_out"

    @property
    def terminal(self) -> bool:
        return self not in (RunStatus.QUEUED, RunStatus.RUNNING)


@dataclass(frozen=True)
class Run:
    """One execution record. ``output_path`` is local to the runner; the API shows a URL."""

    id: int
    notebook: str
    user: str
    status: RunStatus
    parameters: dict[str, Any]
    input_path: str
    output_path: str | None
    error_message: str | None
    error_cell: int | None
    error_name: str | None
    duration_seconds: float | None
    timeout_seconds: int | None
    queued_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    runner_host: str | None
    runner_pid: int | None
    heartbeat_at: datetime | None


def utcnow() -> datetime:
    """Naive UTC, the one form both backends store and return unchanged."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def this_runner() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


def process_alive(pid: int) -> bool:
    """True when ``pid`` runs on this host and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _when(value) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _row_to_run(row) -> Run:
    """A stored row as a `Run`; a value the store holds in a bad form never raises here."""
    text, number = printable_text, number_or_none
    try:
        status, note = RunStatus(row.status), None
    except ValueError:
        status, note = RunStatus.ERROR, f"the store holds an unknown status {text(row.status)!r}"
    params = row.parameters_used
    if not isinstance(params, dict):
        params, note = {}, note or "the stored parameters cannot be read"
    return Run(
        id=row.id, notebook=text(row.notebook_name) or "", user=text(row.username) or "",
        status=status, parameters=printable(params), input_path=text(row.input_path) or "",
        output_path=text(row.output_path), error_message=text(row.error_message) or note,
        error_cell=number(row.error_cell), error_name=text(row.error_name),
        duration_seconds=number(row.execution_time_seconds, float),
        timeout_seconds=number(row.timeout_seconds),
        queued_at=_when(row.queued_at) or datetime(1970, 1, 1),
        started_at=_when(row.started_at), completed_at=_when(row.completed_at),
        runner_host=text(row.runner_host), runner_pid=number(row.runner_pid),
        heartbeat_at=_when(row.heartbeat_at),
    )


class Store:
    """The run-history store. Open with `Store(url)`; the schema is created or checked."""

    def __init__(self, url: str, *, create: bool = True):
        self.url = url
        self.engine = create_engine(url)
        self.dialect = self.engine.dialect.name
        self._write = self.engine.execution_options(holocron_write=True)
        self._file = SqliteFileGuard(self.engine, url) if self.dialect == "sqlite" else None
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
                if current is None:
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
                   error_message: str | None = None, max_waiting: int | None = None) -> Run:
        """Record a new run owned by this process (queued, running, or error).

        With ``max_waiting``, a queued run is refused (`WaitingLimitError`) when the user
        already has that many queued; counted under the write lock, so it holds across
        processes.
        """
        host, pid = this_runner()
        now = utcnow()
        with self._write.begin() as conn:
            self._lock(conn)
            if max_waiting is not None and status == RunStatus.QUEUED:
                waiting = conn.execute(sa.select(sa.func.count()).select_from(executions).where(
                    executions.c.username == user,
                    executions.c.status == str(RunStatus.QUEUED))).scalar()
                if waiting >= max_waiting:
                    raise WaitingLimitError(user, waiting, max_waiting)
            nb_id = self._upsert(conn, info, now)[0]
            values = dict(notebook_id=nb_id, notebook_name=info.name, username=user,
                          input_path=info.source_file, parameters_used=parameters,
                          status=str(status), timeout_seconds=timeout, queued_at=now,
                          runner_host=host, runner_pid=pid, heartbeat_at=now,
                          error_message=error_message)
            if status == RunStatus.RUNNING:
                values["started_at"] = now
            elif status.terminal:
                values.update(completed_at=now, runner_pid=None, heartbeat_at=None)
            run_id = conn.execute(executions.insert().values(**values)).inserted_primary_key[0]
        return self.get_run(run_id)

    def get_run(self, run_id: int) -> Run:
        if not isinstance(run_id, int) or not 1 <= run_id <= MAX_ID:
            raise UnknownObjectError("run", str(run_id)[:30])
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(executions).where(executions.c.id == run_id)).first()
        if row is None:
            raise UnknownObjectError("run", str(run_id))
        return _row_to_run(row)

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
        """Mark every open run owned by this process as alive; returns how many."""
        host, pid = this_runner()
        with self._write.begin() as conn:
            return conn.execute(executions.update().where(
                executions.c.runner_host == host, executions.c.runner_pid == pid,
                executions.c.status.in_([str(RunStatus.QUEUED), str(RunStatus.RUNNING)])
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
        return [_row_to_run(r) for r in rows], total

    def count_open(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(executions.c.status, sa.func.count())
                                .where(executions.c.status.in_(["queued", "running"]))
                                .group_by(executions.c.status)).all()
        return {"queued": 0, "running": 0, **{r[0]: r[1] for r in rows}}

    # ------------------------------------------------------------ recovery

    def _owner_gone(self, row, now: datetime, alive: Callable[[int], bool]) -> str | None:
        host, _ = this_runner()
        stale = row.heartbeat_at is None or now - row.heartbeat_at > timedelta(
            seconds=STALE_AFTER_SECONDS)
        if row.runner_host == host and row.runner_pid is not None:
            if not alive(row.runner_pid):
                return f"its runner process {row.runner_pid} on {host} is gone"
            if stale and row.runner_pid != os.getpid():
                return (f"its runner process {row.runner_pid} on {host} stopped sending "
                        "heartbeats")
            return None
        if stale:
            return (f"its runner process {row.runner_pid} on {row.runner_host} sent no "
                    f"heartbeat for over {STALE_AFTER_SECONDS} s")
        return None

    def recover_orphans(self, alive: Callable[[int], bool] = process_alive) -> list[int]:
        """Close running runs whose runner died (status failed); returns their ids."""
        now = utcnow()
        closed = []
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(executions).where(
                executions.c.status == str(RunStatus.RUNNING))).all()
        for row in rows:
            reason = self._owner_gone(row, now, alive)
            if reason is None:
                continue
            with self._write.begin() as conn:
                done = conn.execute(executions.update().where(
                    executions.c.id == row.id, executions.c.status == str(RunStatus.RUNNING),
                    executions.c.runner_pid.is_not_distinct_from(row.runner_pid),
                ).values(status=str(RunStatus.FAILED), completed_at=now,
                         error_message=f"Interrupted: {reason}; the run was closed when the "
                                       "run service next started.")).rowcount
            if done:
                closed.append(row.id)
        return closed

    def adopt_queued(self, alive: Callable[[int], bool] = process_alive) -> list[int]:
        """Take over queued runs whose owner died, so they still run; returns their ids."""
        now = utcnow()
        host, pid = this_runner()
        adopted = []
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(executions).where(
                executions.c.status == str(RunStatus.QUEUED)).order_by(executions.c.id)).all()
        for row in rows:
            if row.runner_pid == pid and row.runner_host == host:
                continue
            if self._owner_gone(row, now, alive) is None:
                continue
            with self._write.begin() as conn:
                done = conn.execute(executions.update().where(
                    executions.c.id == row.id, executions.c.status == str(RunStatus.QUEUED),
                    executions.c.runner_pid.is_not_distinct_from(row.runner_pid),
                ).values(runner_host=host, runner_pid=pid, heartbeat_at=now)).rowcount
            if done:
                adopted.append(row.id)
        return adopted
