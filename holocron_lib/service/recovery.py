"""Recovery of interrupted runs: a runner that died ends its attempt, on any machine.

A running run whose runner process is gone (on this machine) or silent for ``stale_after``
seconds (on another) is queued again when its notebook is retry-safe and attempts remain,
recorded cancelled when someone had asked for that, and failed otherwise; each ended
attempt is kept in the run's ``attempt_history``. `Store` takes these methods from
`Recovery`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from holocron_lib.service.records import RunStatus, process_alive, this_runner, utcnow
from holocron_lib.service.tables import executions


class Recovery:
    """Mixed into `Store`: needs ``engine``, ``_write`` and ``stale_after``."""

    stale_after: int

    def _owner_gone(self, row, now: datetime, alive: Callable[[int], bool]) -> str | None:
        host, _ = this_runner()
        stale = row.heartbeat_at is None or now - row.heartbeat_at > timedelta(
            seconds=self.stale_after)
        if row.runner_host == host and row.runner_pid is not None:
            if not alive(row.runner_pid):
                return f"its runner process {row.runner_pid} on {host} is gone"
            if stale and row.runner_pid != os.getpid():
                return (f"its runner process {row.runner_pid} on {host} stopped sending "
                        "heartbeats")
            return None
        if stale:
            return (f"its runner process {row.runner_pid} on {row.runner_host} sent no "
                    f"heartbeat for over {self.stale_after} s")
        return None

    def release_run(self, run_id: int, reason: str, *, runner_pid: int | None = None,
                    owner_check: bool = False,
                    ended: RunStatus = RunStatus.FAILED) -> RunStatus | None:
        """End an interrupted attempt: queued again if retry-safe attempts remain, else
        ``ended`` (failed: its runner died; interrupted: its worker was stopped).

        A run someone asked to cancel is recorded cancelled instead. ``owner_check`` makes
        the update conditional on ``runner_pid`` still owning it (recovery by another
        process). Returns the new status, or None when the run was no longer running.
        """
        now = utcnow()
        with self._write.begin() as conn:
            row = conn.execute(sa.select(executions).where(executions.c.id == run_id)).first()
            if row is None or row.status != str(RunStatus.RUNNING):
                return None
            where = [executions.c.id == run_id, executions.c.status == str(RunStatus.RUNNING)]
            if owner_check:
                where.append(executions.c.runner_pid.is_not_distinct_from(runner_pid))
            history = [*(row.attempt_history or ()), {
                "attempt": row.attempt, "runner": f"{row.runner_host} pid {row.runner_pid}",
                "started_at": row.started_at.isoformat() if row.started_at else None,
                "ended_at": now.isoformat(), "reason": reason}]
            if row.cancel_requested_by:
                status = RunStatus.CANCELLED
                values: dict[str, Any] = dict(
                    completed_at=now, error_message=f"cancelled by {row.cancel_requested_by}; "
                                                    f"its runner ended first: {reason}")
            elif row.attempt < row.max_attempts:
                status = RunStatus.QUEUED
                values = dict(attempt=row.attempt + 1, started_at=None, heartbeat_at=None,
                              runner_pid=None, output_path=None,
                              error_message=f"attempt {row.attempt} of {row.max_attempts} "
                                            f"was interrupted ({reason}); queued again")
            else:
                status = ended
                tries = (f" (attempt {row.attempt} of {row.max_attempts})"
                         if row.max_attempts > 1 else "")
                values = dict(completed_at=now,
                              error_message=f"Interrupted: {reason}{tries}.")
                if row.started_at is not None:
                    values["execution_time_seconds"] = (now - row.started_at).total_seconds()
            done = conn.execute(executions.update().where(*where).values(
                status=str(status), attempt_history=history, **values)).rowcount
        return status if done else None

    def unclaim_run(self, run_id: int) -> bool:
        """running → queued for a run this process claimed but will not start (its worker
        began stopping meanwhile): as if never claimed, no attempt counted."""
        host, pid = this_runner()
        with self._write.begin() as conn:
            done = conn.execute(executions.update().where(
                executions.c.id == run_id, executions.c.status == str(RunStatus.RUNNING),
                executions.c.runner_host == host, executions.c.runner_pid == pid,
            ).values(status=str(RunStatus.QUEUED), started_at=None, heartbeat_at=None,
                     runner_host=None, runner_pid=None)).rowcount
        return done == 1

    def recover_orphans(self, alive: Callable[[int], bool] = process_alive) -> list[int]:
        """Close or re-queue running runs whose runner died; returns their ids."""
        now = utcnow()
        recovered = []
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(executions).where(
                executions.c.status == str(RunStatus.RUNNING))).all()
        for row in rows:
            reason = self._owner_gone(row, now, alive)
            if reason is None:
                continue
            if self.release_run(row.id, reason, runner_pid=row.runner_pid, owner_check=True):
                recovered.append(row.id)
        return recovered
