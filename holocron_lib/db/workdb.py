"""The working database: the embedded DuckDB file that runs and people write to, and keep.

Which path opens which file (``HOLOCRON_DB_MODE``):

- ``work`` (the default): `holocron run`, the run service's workers (`holocron serve`,
  `holocron worker`) and `connect()` in your own notebooks and scripts open the working
  database (``HOLOCRON_WORK_DB_PATH``, default ``.holocron/work.duckdb``) in place, so a
  confirmed runbook's writes are there for the next run and for you.
- ``copy``: every connection gets a private throwaway copy of the seeded file
  (`db.embedded`). The book build, its live preview and the tests set it, so their notebooks
  run in parallel, in any order, and leave nothing behind.

The seeded file itself is written only by `holocron db build`. The working database is
made from it on first use, and `holocron db reset` copies it over again. Beside it,
``<work>.origin.json`` keeps the fingerprint of the seeded data it was made from: when the
seeded file is rebuilt from other data, the working database is reported as behind, never
replaced behind its users' backs (it holds their writes).

One writer at a time: DuckDB lets one process open a file for writing. A connection holds
a file lock (``<work>.lock``: exclusive to write, shared to read) for as long as it is open
and records who it is (run, process, host) in it; another process waits for the lock,
saying whom it waits for, up to ``HOLOCRON_DB_WAIT`` seconds, and then gives up with an
error naming the holder. A waiter leaves a note in ``<work>.waiting/`` while it waits.
Connections of one process share one lock.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no lock of ours; DuckDB's own lock still refuses a second writer
    fcntl = None

from holocron_lib.db.sidecar import read_meta
from holocron_lib.errors import ConnectionFailedError, DatabaseBusyError

__all__ = [
    "Holder",
    "Lease",
    "WorkStatus",
    "acquire",
    "holder",
    "origin_path",
    "read_origin",
    "reset",
    "status",
    "waiters",
]

RUN_VARIABLE = "HOLOCRON_RUN_ID"  # set by the runner in a run's kernel, for the holder record
POLL_SECONDS = 0.2


def origin_path(work: Path) -> Path:
    """The record of what the working database was made from."""
    return Path(work).with_name(Path(work).name + ".origin.json")


def _lock_path(work: Path) -> Path:
    return Path(work).with_name(Path(work).name + ".lock")


def _wal(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + ".wal")


def _waiting_dir(work: Path) -> Path:
    return Path(work).with_name(Path(work).name + ".waiting")


# --- who holds it -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """A process that holds (or waits for) the working database."""

    pid: int
    host: str
    run: int | None = None
    since: str = ""

    def __str__(self) -> str:
        where = f"process {self.pid} on {self.host}"
        return f"run {self.run} ({where})" if self.run is not None else where

    @classmethod
    def me(cls) -> Holder:
        raw = os.environ.get(RUN_VARIABLE, "")
        return cls(os.getpid(), socket.gethostname(), int(raw) if raw.isdigit() else None,
                   datetime.now(UTC).isoformat(timespec="seconds"))

    def record(self) -> str:
        return json.dumps({"pid": self.pid, "host": self.host, "run": self.run,
                           "since": self.since})

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        try:
            data = json.loads(text)
            return cls(int(data["pid"]), str(data["host"]), data.get("run"),
                       str(data.get("since") or ""))
        except (ValueError, KeyError, TypeError):
            return None


def holder(work: Path) -> Holder | None:
    """Who is writing the working database now, or None when nobody is."""
    lock = _lock_path(work)
    if not lock.exists():
        return None
    if fcntl is not None:
        fd = os.open(lock, os.O_RDWR)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                pass  # held for writing: the record names the writer
            else:
                fcntl.flock(fd, fcntl.LOCK_UN)
                return None  # nobody writes (a record left by a killed writer is stale)
        finally:
            os.close(fd)
    return Holder.parse(lock.read_text(encoding="utf-8"))


def waiters(work: Path) -> list[Holder]:
    """The processes waiting for the working database, oldest first."""
    folder = _waiting_dir(work)
    found = []
    for note in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            parsed = Holder.parse(note.read_text(encoding="utf-8"))
        except OSError:  # gone while reading: it stopped waiting
            continue
        if parsed is not None:
            found.append(parsed)
    return sorted(found, key=lambda h: h.since)


# --- the lock ---------------------------------------------------------------------------------


@dataclass
class _Held:
    fd: int | None
    write: bool
    count: int = 0


_held: dict[str, _Held] = {}
_held_lock = threading.Lock()


@dataclass
class Lease:
    """This process's hold on the working database; `release()` once per `acquire()`."""

    path: Path
    write: bool
    released: bool = False

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        key = str(self.path)
        with _held_lock:
            held = _held.get(key)
            if held is None:
                return
            held.count -= 1
            if held.count > 0:
                return
            del _held[key]
            if held.fd is not None:
                # The record stays: `holder()` trusts it only while the lock is held.
                os.close(held.fd)


def _try_lock(fd: int, write: bool) -> bool:
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if write else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def tell(line: str) -> None:
    """Tell whoever runs this process (a run's cell output, a terminal) what it waits for."""
    print(line, file=sys.stderr, flush=True)


def acquire(work: Path, *, write: bool, wait: float, shown: str,
            say: Callable[[str], None] = tell) -> Lease:
    """Hold the working database ``work`` for writing (or, ``write=False``, for reading).

    Waits up to ``wait`` seconds while another process writes it (any access to write),
    printing once per holder whom it waits for; then raises `DatabaseBusyError` naming the
    holder. A process that holds it already shares its hold; one that holds it to read
    cannot start to write (DuckDB opens a file one way per process).
    """
    work = Path(work).resolve()
    key = str(work)
    with _held_lock:
        held = _held.get(key)
        if held is not None:
            if write and not held.write:
                raise ConnectionFailedError(
                    f"this process has the working database {shown} open to read; close "
                    "those connections before opening it to write", "duckdb")
            held.count += 1
            return Lease(work, held.write)
        if fcntl is None:
            _held[key] = _Held(None, write, 1)
            return Lease(work, write)
        work.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(_lock_path(work), os.O_CREAT | os.O_RDWR, 0o644)
        try:
            _wait_for(fd, work, write, wait, shown, say)
        except BaseException:
            os.close(fd)
            raise
        if write:
            os.ftruncate(fd, 0)
            os.pwrite(fd, Holder.me().record().encode(), 0)
        _held[key] = _Held(fd, write, 1)
        return Lease(work, write)


def _wait_for(fd: int, work: Path, write: bool, wait: float, shown: str,
              say: Callable[[str], None]) -> None:
    if _try_lock(fd, write):
        return
    deadline = time.monotonic() + wait
    note = None
    told: object = None
    try:
        while True:
            current = holder(work)
            if current != told:
                whom = (f"{current} to finish writing" if current is not None
                        else "another process to finish with")
                say(f"waiting for {whom} {shown} (up to {wait:g} s, HOLOCRON_DB_WAIT)")
                told = current
            if time.monotonic() >= deadline:
                raise DatabaseBusyError(shown, str(current or "another process"), wait)
            if note is None:
                note = _leave_note(work)
            time.sleep(POLL_SECONDS)
            if _try_lock(fd, write):
                return
    finally:
        if note is not None:
            note.unlink(missing_ok=True)


def _leave_note(work: Path) -> Path:
    folder = _waiting_dir(work)
    folder.mkdir(exist_ok=True)
    me = Holder.me()
    note = folder / f"{me.since}-{me.pid}-{uuid.uuid4().hex[:6]}.json"
    note.write_text(me.record(), encoding="utf-8")
    return note


# --- made from the seeded file, reset, and how far behind -------------------------------------


def create(work: Path, seeded: Path) -> None:
    """Make ``work`` a copy of ``seeded`` (through a temporary file, so a failure leaves
    nothing half-written) and record what it was made from. Call with the lock held."""
    work = Path(work)
    tmp = work.with_name(f".{work.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    wal, tmp_wal = _wal(seeded), _wal(tmp)
    try:
        shutil.copyfile(seeded, tmp)
        if wal.is_file():
            shutil.copyfile(wal, tmp_wal)
        _wal(work).unlink(missing_ok=True)  # the old file's log must not replay into the new
        os.replace(tmp, work)
        if tmp_wal.exists():
            os.replace(tmp_wal, _wal(work))
    finally:
        tmp.unlink(missing_ok=True)
        tmp_wal.unlink(missing_ok=True)
    meta = read_meta(seeded) or {}
    origin = {"seeded": Path(seeded).name, "fingerprint": meta.get("fingerprint"),
              "source": meta.get("source"),
              "created_utc": datetime.now(UTC).isoformat(timespec="seconds")}
    origin_path(work).write_text(json.dumps(origin, indent=2) + "\n", encoding="utf-8")


def reset(work: Path, seeded: Path, *, shown: str) -> None:
    """Replace the working database with a fresh copy of the seeded file.

    Refuses at once (`DatabaseBusyError`) while anyone has it open.
    """
    lease = acquire(work, write=True, wait=0, shown=shown, say=lambda _line: None)
    try:
        create(work, seeded)
    finally:
        lease.release()


@dataclass(frozen=True)
class WorkStatus:
    """The working database next to the seeded file it came from."""

    exists: bool
    made_from: str | None  # the seeded fingerprint it was made from (None: unknown)
    created_utc: str | None
    seeded: str | None  # the seeded file's fingerprint now
    writer: Holder | None

    @property
    def behind(self) -> bool:
        """True when the seeded data was rebuilt from other data since."""
        return bool(self.exists and self.made_from and self.seeded
                    and self.made_from != self.seeded)


def read_origin(work: Path) -> dict:
    """What the working database was made from (seeded file, fingerprint, when); {} when it
    has not been made yet or the record is unreadable."""
    try:
        origin = json.loads(origin_path(work).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return origin if isinstance(origin, dict) else {}


def status(work: Path, seeded: Path) -> WorkStatus:
    """How the working database stands, without opening it."""
    work = Path(work)
    origin = read_origin(work)
    try:
        seeded_print = (read_meta(seeded) or {}).get("fingerprint")
    except ValueError:
        seeded_print = None
    return WorkStatus(work.is_file(), origin.get("fingerprint"), origin.get("created_utc"),
                      seeded_print, holder(work) if work.exists() else None)


def behind_message(shown: str, seeded_shown: str) -> str:
    """What to tell someone whose working database was made from older seeded data."""
    return (f"the working database {shown} was made from other seed data than the seeded "
            f"database {seeded_shown} now holds (it was rebuilt since); your writes are kept. "
            "Run `holocron db reset` to start again from the seeded data.")
