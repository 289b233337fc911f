"""What the store hands out: run statuses, the `Run` record, and who a runner is.

Kept apart from the store so the store, its recovery and the service's other modules share
one definition without importing each other in a circle.
"""

from __future__ import annotations

import enum
import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from holocron_lib.service.values import number_or_none, printable, printable_text


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"  # the notebook ran to the end
    FAILED = "failed"        # the notebook raised, or its runner died
    ERROR = "error"          # never started: bad parameters, no kernel, missing notebook
    TIMED_OUT = "timed_out"
    CANCELLED = "cancelled"  # someone asked for it to stop, before or while it ran
    INTERRUPTED = "interrupted"  # its worker was stopped (SIGTERM) while it ran

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
    attempt: int = 1
    max_attempts: int = 1
    attempt_history: tuple[dict[str, Any], ...] = ()
    cancel_requested_by: str | None = None
    schedule_id: int | None = None
    scheduled_for: datetime | None = None
    preset: str | None = None
    lineage: dict[str, Any] | None = None  # recorded as it started executing (run_lineage)
    results: dict[str, Any] = field(default_factory=dict)  # what the notebook recorded


OPEN = (str(RunStatus.QUEUED), str(RunStatus.RUNNING))


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


def row_to_run(row) -> Run:
    """A stored row as a `Run`; a value the store holds in a bad form never raises here."""
    text, number = printable_text, number_or_none
    try:
        status, note = RunStatus(row.status), None
    except ValueError:
        status, note = RunStatus.ERROR, f"the store holds an unknown status {text(row.status)!r}"
    params = row.parameters_used
    if not isinstance(params, dict):
        params, note = {}, note or "the stored parameters cannot be read"
    history = row.attempt_history if isinstance(row.attempt_history, list) else []
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
        attempt=number(row.attempt) or 1, max_attempts=number(row.max_attempts) or 1,
        attempt_history=tuple(printable(h) for h in history if isinstance(h, dict)),
        cancel_requested_by=text(row.cancel_requested_by),
        schedule_id=number(row.schedule_id), scheduled_for=_when(row.scheduled_for),
        preset=text(row.preset),
        lineage=printable(row.lineage) if isinstance(row.lineage, dict) else None,
        results=printable(row.results) if isinstance(row.results, dict) else {},
    )
