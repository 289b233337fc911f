"""What the store hands out: run statuses, the `Run` record, and who a runner is.

Kept apart from the store so the store, its recovery and the service's other modules share
one definition without importing each other in a circle.
"""

from __future__ import annotations

import enum
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"  # the notebook ran to the end
    FAILED = "failed"        # the notebook raised, or its runner died
    ERROR = "error"          # never started: bad parameters, no kernel, missing notebook
    TIMED_OUT = "timed_out"
    CANCELLED = "cancelled"  # someone asked for it to stop, before or while it ran

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


def row_to_run(row) -> Run:
    return Run(
        id=row.id, notebook=row.notebook_name, user=row.username, status=RunStatus(row.status),
        parameters=row.parameters_used or {}, input_path=row.input_path,
        output_path=row.output_path, error_message=row.error_message,
        error_cell=row.error_cell, error_name=row.error_name,
        duration_seconds=row.execution_time_seconds, timeout_seconds=row.timeout_seconds,
        queued_at=row.queued_at, started_at=row.started_at, completed_at=row.completed_at,
        runner_host=row.runner_host, runner_pid=row.runner_pid, heartbeat_at=row.heartbeat_at,
        attempt=row.attempt, max_attempts=row.max_attempts,
        attempt_history=tuple(row.attempt_history or ()),
        cancel_requested_by=row.cancel_requested_by,
        schedule_id=row.schedule_id, scheduled_for=row.scheduled_for, preset=row.preset,
    )
