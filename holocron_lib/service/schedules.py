"""Schedules: a notebook with parameters (or a preset), run on a cron expression in a time zone.

Its values come from the parameters given, over a preset's when it names one (a preset that
no longer fits gives a run with status error naming it). A schedule keeps its next due time
(UTC) in the store. A `Scheduler` loop on each server
looks for schedules that are due and fires each in one write transaction: a conditional
UPDATE moves its next due time on (only one server's update matches) and the run is inserted
with the schedule's id and due time, which a unique index allows once. After downtime the
missed window is run once, for its latest due time, and the next due time is the next tick
after now. Time comes from an injectable clock, so tests need not wait for real minutes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from holocron_lib.errors import (
    NotebookNotFoundError,
    ParameterError,
    PresetError,
    ScheduleError,
    ScheduleExistsError,
    UnknownObjectError,
    close_matches,
)
from holocron_lib.service.presets import preset_values
from holocron_lib.service.registry import get_notebook, validate_parameters
from holocron_lib.service.store import Run, RunStatus, Store, schedules, utcnow

Clock = Callable[[], datetime]  # naive UTC, like the store
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


@dataclass(frozen=True)
class Schedule:
    id: int
    name: str
    notebook: str
    parameters: dict[str, Any]
    preset: str | None
    cron: str
    timezone: str
    owner: str
    paused: bool
    next_due_at: datetime
    last_due_at: datetime | None
    last_run_id: int | None

    def next_due_local(self) -> datetime:
        """The next due time in the schedule's own time zone, as people read it."""
        return self.next_due_at.replace(tzinfo=UTC).astimezone(ZoneInfo(self.timezone))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "notebook": self.notebook, "parameters": self.parameters,
                "preset": self.preset, "cron": self.cron, "timezone": self.timezone,
                "owner": self.owner, "paused": self.paused,
                "next_due_at": self.next_due_at.replace(tzinfo=UTC).isoformat(),
                "next_due_local": self.next_due_local().isoformat(),
                "last_due_at": (self.last_due_at.replace(tzinfo=UTC).isoformat()
                                if self.last_due_at else None),
                "last_run_id": self.last_run_id}


def _schedule(row) -> Schedule:
    return Schedule(id=row.id, name=row.name, notebook=row.notebook_name,
                    parameters=row.parameters or {}, preset=row.preset, cron=row.cron,
                    timezone=row.timezone, owner=row.owner, paused=row.paused,
                    next_due_at=row.next_due_at, last_due_at=row.last_due_at,
                    last_run_id=row.last_run_id)


# ------------------------------------------------------------ time


def zone(name: str, schedule: str = "") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(schedule, f"time zone {name!r} is not an IANA zone name "
                                      "(e.g. UTC, Europe/Paris, America/New_York)") from None


def check_cron(cron: str, schedule: str = "") -> str:
    from croniter import croniter

    cron = " ".join(cron.split())
    if not croniter.is_valid(cron):
        raise ScheduleError(schedule, f"{cron!r} is not a cron expression: five fields, "
                                      "minute hour day-of-month month day-of-week "
                                      "(e.g. '*/15 * * * *', '0 6 * * mon-fri')")
    return cron


def next_due(cron: str, timezone: str, after: datetime) -> datetime:
    """The first tick of ``cron`` in ``timezone`` strictly after ``after`` (naive UTC)."""
    from croniter import croniter

    local = after.replace(tzinfo=UTC).astimezone(zone(timezone))
    tick = croniter(cron, local).get_next(datetime)
    return tick.astimezone(UTC).replace(tzinfo=None)


def latest_due(cron: str, timezone: str, at: datetime) -> datetime:
    """The last tick of ``cron`` at or before ``at`` (naive UTC): a missed window's one run."""
    from croniter import croniter

    local = (at + timedelta(seconds=1)).replace(tzinfo=UTC).astimezone(zone(timezone))
    tick = croniter(cron, local).get_prev(datetime)
    return tick.astimezone(UTC).replace(tzinfo=None)


# ------------------------------------------------------------ managing schedules


def _given(info, values: dict[str, Any], from_strings: bool) -> dict[str, Any]:
    """The values given, checked and typed; defaults stay out, so later defaults apply."""
    checked = validate_parameters(info, values, from_strings=from_strings)
    return {k: checked[k] for k in values}


def create_schedule(store: Store, root: Path, *, name: str, notebook: str, cron: str,
                    owner: str, timezone: str = "UTC", parameters: dict[str, Any] | None = None,
                    preset: str | None = None, from_strings: bool = False,
                    now: datetime | None = None) -> Schedule:
    """Check and record a schedule; refuses what a run would refuse, with the same message."""
    if not _NAME.fullmatch(name or ""):
        raise ScheduleError(str(name)[:100], "a schedule name is letters, digits, '_', '-' "
                                             "and '.', starting with a letter or digit")
    cron = check_cron(cron, name)
    zone(timezone, name)
    info = get_notebook(root, notebook)
    if preset is not None:
        base = preset_values(store, info, preset)
        checked = validate_parameters(info, {**base, **(parameters or {})},
                                      from_strings=from_strings)
        values = {k: checked[k] for k in parameters or {}}
    else:
        values = _given(info, parameters or {}, from_strings)
    now = now or utcnow()
    try:
        with store.writing() as conn:
            schedule_id = conn.execute(schedules.insert().values(
                name=name, notebook_name=info.name, parameters=values, preset=preset,
                cron=cron, timezone=timezone, owner=owner, paused=False,
                next_due_at=next_due(cron, timezone, now), created_at=now,
                updated_at=now)).inserted_primary_key[0]
    except sa.exc.IntegrityError:
        raise ScheduleExistsError(name) from None
    return get_schedule(store, schedule_id)


def get_schedule(store: Store, key: str | int) -> Schedule:
    """A schedule by name (or id)."""
    column = schedules.c.id if isinstance(key, int) else schedules.c.name
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(schedules).where(column == key)).first()
        if row is None:
            names = conn.execute(sa.select(schedules.c.name)).scalars().all()
    if row is None:
        raise UnknownObjectError("schedule", str(key), close_matches(str(key), names))
    return _schedule(row)


def list_schedules(store: Store, notebook: str | None = None) -> list[Schedule]:
    query = sa.select(schedules).order_by(schedules.c.name)
    if notebook:
        query = query.where(schedules.c.notebook_name == notebook)
    with store.engine.connect() as conn:
        return [_schedule(r) for r in conn.execute(query).all()]


def set_paused(store: Store, name: str, paused: bool, now: datetime | None = None) -> Schedule:
    """Pause, or resume from now on: the ticks of a pause are skipped, not caught up."""
    current = get_schedule(store, name)
    now = now or utcnow()
    values: dict[str, Any] = dict(paused=paused, updated_at=now)
    if not paused and current.paused:
        values["next_due_at"] = next_due(current.cron, current.timezone, now)
    with store.writing() as conn:
        conn.execute(schedules.update().where(schedules.c.id == current.id).values(**values))
    return get_schedule(store, current.id)


def delete_schedule(store: Store, name: str) -> Schedule:
    """Remove a schedule; the runs it queued stay in the history."""
    current = get_schedule(store, name)
    with store.writing() as conn:
        conn.execute(schedules.delete().where(schedules.c.id == current.id))
    return current


# ------------------------------------------------------------ firing


class Scheduler:
    """Queues the runs of due schedules; several servers may run one each, on one store."""

    def __init__(self, store: Store, root: Path, *, attempts: int = 1,
                 clock: Clock = utcnow, on_queued: Callable[[Run], None] | None = None):
        self.store = store
        self.root = Path(root)
        self.attempts = attempts
        self.clock = clock
        self.on_queued = on_queued
        self.last_tick_at: datetime | None = None  # the clock's time of the last finished pass

    def tick(self) -> list[Run]:
        """One pass: fire every schedule that is due now; returns the runs this pass queued."""
        now = self.clock()
        with self.store.engine.connect() as conn:
            due = conn.execute(sa.select(schedules).where(
                schedules.c.paused.is_(False), schedules.c.next_due_at <= now)
                .order_by(schedules.c.next_due_at)).all()
        fired = []
        for row in due:
            run = self._fire(_schedule(row), now)
            if run is not None:
                fired.append(run)
                if self.on_queued:
                    self.on_queued(run)
        self.last_tick_at = now
        return fired

    def _request(self, schedule: Schedule) -> tuple[Any, dict[str, Any], str | None]:
        """(notebook, checked values, None) or (None, values as given, why it cannot run)."""
        try:
            info = get_notebook(self.root, schedule.notebook)
        except NotebookNotFoundError as exc:
            return None, schedule.parameters, f"schedule {schedule.name!r}: {exc}"
        values = dict(schedule.parameters)
        try:
            if schedule.preset is not None:
                values = {**preset_values(self.store, info, schedule.preset), **values}
            return info, validate_parameters(info, values), None
        except (ParameterError, PresetError, UnknownObjectError) as exc:
            return info, values, f"schedule {schedule.name!r}: {exc}"

    def _fire(self, schedule: Schedule, now: datetime) -> Run | None:
        due_at = latest_due(schedule.cron, schedule.timezone, now)
        following = next_due(schedule.cron, schedule.timezone, now)
        info, values, problem = self._request(schedule)
        try:
            with self.store.writing() as conn:
                moved = conn.execute(schedules.update().where(
                    schedules.c.id == schedule.id, schedules.c.paused.is_(False),
                    schedules.c.next_due_at == schedule.next_due_at,
                ).values(next_due_at=following, last_due_at=due_at, updated_at=now)).rowcount
                if moved != 1:
                    return None  # another server fired it, or it was paused meanwhile
                run_id = self.store.insert_run(
                    conn, schedule.notebook, schedule.owner, values,
                    notebook_id=self.store.notebook_id(conn, info) if info else None,
                    status=RunStatus.ERROR if problem else RunStatus.QUEUED,
                    error_message=problem, schedule_id=schedule.id, scheduled_for=due_at,
                    max_attempts=self.attempts if info and info.retry_safe else 1,
                    preset=schedule.preset)
                conn.execute(schedules.update().where(schedules.c.id == schedule.id)
                             .values(last_run_id=run_id))
        except sa.exc.IntegrityError:
            return None  # this schedule and due time already have their run
        return self.store.get_run(run_id)

    def run(self, stop: threading.Event, every: float) -> None:
        """Tick until ``stop`` is set; a failing pass is tried again at the next tick."""
        while not stop.is_set():
            try:
                self.tick()
            except Exception:  # noqa: BLE001, S110 - the store may come back; next pass retries
                pass
            stop.wait(every)
