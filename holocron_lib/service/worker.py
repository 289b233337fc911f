"""Workers: processes on any machine that take queued runs from the store and execute them.

The store is the queue. A `Worker` runs ``concurrency`` slot threads, each claiming the
oldest queued run (`Store.claim_next`) and executing it with `perform_run`; one watch thread
(`RunWatch`) beats the heartbeat of the runs this process holds, polls the store for cancel
requests and stops those runs, and every so often recovers runs whose runner died on any
machine (failed, or queued again when the notebook is retry-safe). `holocron worker` is one
such process; `holocron serve` runs one in-process unless told not to.

Stopping (`stop`, or `drain` from a signal handler and `stop` later) claims nothing more,
gives the running runs a grace (HOLOCRON_STOP_GRACE, 10 s) from the moment it was asked,
then stops their kernels and records them `interrupted` (queued again when retry-safe
attempts remain); `hurry` ends the grace at once. Queued runs stay queued.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from holocron_lib.service.runner import perform_run
from holocron_lib.service.store import HEARTBEAT_SECONDS, Run, RunStatus, Store
from holocron_lib.settings import Settings

Report = Callable[[str], None]
STOPPED_RUNS_WAIT = 30.0  # after the grace: seconds for stopped runs to record themselves


class RunWatch:
    """The runs this process executes: heartbeats, cancel requests, recovery of others.

    `register()` hands back the event `perform_run` watches; the thread sets it when the
    store says someone cancelled that run. Use as a context manager.
    """

    def __init__(self, store: Store, *, poll: float = 1.0, heartbeat: float = HEARTBEAT_SECONDS,
                 recover_every: float | None = None, report: Report | None = None):
        self.store = store
        self.poll = poll
        self.heartbeat_every = heartbeat
        self.recover_every = recover_every
        self.report = report
        self._runs: dict[int, threading.Event] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="holocron-watch", daemon=True)

    def register(self, run_id: int) -> threading.Event:
        event = threading.Event()
        with self._lock:
            self._runs[run_id] = event
        return event

    def unregister(self, run_id: int) -> None:
        with self._lock:
            self._runs.pop(run_id, None)

    def held(self) -> list[int]:
        with self._lock:
            return list(self._runs)

    def stop_all(self) -> None:
        """Stop every run this process holds (a worker told to stop at once)."""
        with self._lock:
            events = list(self._runs.values())
        for event in events:
            event.set()

    def check(self) -> None:
        """One pass: stop the runs someone cancelled."""
        with self._lock:
            held = dict(self._runs)
        for run_id, who in self.store.cancel_requests(held).items():
            if not held[run_id].is_set():
                held[run_id].set()
                if self.report:
                    self.report(f"run {run_id}: cancelled by {who}, stopping it")

    def _loop(self) -> None:
        last_beat = last_recovery = time.monotonic()
        while not self._stop.wait(self.poll):
            now = time.monotonic()
            try:
                self.check()
                if now - last_beat >= self.heartbeat_every:
                    last_beat = now
                    self.store.heartbeat()
                if self.recover_every is not None and now - last_recovery >= self.recover_every:
                    last_recovery = now
                    for run_id in self.store.recover_orphans():
                        if self.report:
                            run = self.store.get_run(run_id)
                            self.report(f"run {run_id} ({run.notebook}) of a dead runner: "
                                        f"{run.status.value}")
            except Exception as exc:  # noqa: BLE001 - a missed beat must not end the worker
                if self.report:
                    self.report(f"store unavailable: {type(exc).__name__}")

    def __enter__(self) -> RunWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


class Worker:
    """Claims queued runs from the store and executes them, ``concurrency`` at a time."""

    def __init__(self, store: Store, notebooks_root: Path, settings: Settings, *,
                 concurrency: int | None = None, poll: float | None = None,
                 recover_every: float | None = None, report: Report | None = None,
                 grace: float | None = None):
        self.store = store
        self.root = Path(notebooks_root).resolve()
        self.settings = settings
        self.concurrency = max(1, concurrency or settings.workers)
        self.poll = poll if poll is not None else settings.worker_poll
        self.report = report
        self.watch = RunWatch(store, poll=min(self.poll, 1.0), report=report,
                              recover_every=recover_every if recover_every is not None
                              else settings.recovery_every)
        self.grace = grace if grace is not None else settings.stop_grace
        self._stopping = threading.Event()
        self._hurry = threading.Event()
        self._deadline: float | None = None
        self._wake = threading.Condition()
        self._slots: list[threading.Thread] = []

    # ------------------------------------------------------------ lifecycle

    def start(self) -> Worker:
        self.watch.__enter__()
        for i in range(self.concurrency):
            slot = threading.Thread(target=self._slot, name=f"holocron-worker-{i}", daemon=True)
            slot.start()
            self._slots.append(slot)
        return self

    def drain(self) -> None:
        """Claim no more runs; the running ones have ``grace`` seconds from now. Returns at
        once (safe in a signal handler); `stop` does the waiting."""
        if self._deadline is None:
            self._deadline = time.monotonic() + self.grace
        self._stopping.set()

    def hurry(self) -> None:
        """End the grace now: the running runs are stopped (a second signal)."""
        self._hurry.set()

    def stop(self, *, now: bool = False) -> None:
        """Claim no more runs, let the running ones go on for the grace (none with ``now``),
        then stop their kernels and wait until each is recorded.

        A run stopped this way is an interrupted attempt: queued again when its notebook
        is retry-safe and attempts remain, otherwise recorded `interrupted`.
        """
        self.drain()
        if now:
            self.hurry()
        self.wake(all_slots=True)
        while self._running() and not self._hurry.wait(0.1):
            if time.monotonic() >= (self._deadline or 0):
                break
        if self._running():
            if self.report and self.busy:
                self.report(f"stopping {self.busy} running run(s)")
            self.watch.stop_all()
            until = time.monotonic() + STOPPED_RUNS_WAIT
            for slot in self._slots:
                slot.join(max(0.0, until - time.monotonic()))
        for run_id in self.watch.held():  # a kernel that would not stop: record it here
            try:
                self.store.release_run(run_id, "its worker was stopped",
                                       ended=RunStatus.INTERRUPTED)
            except Exception:  # noqa: BLE001, S110 - the store is down; recovery closes it
                pass
        self.watch.__exit__(None, None, None)

    def _running(self) -> bool:
        return any(slot.is_alive() for slot in self._slots)

    def wake(self, *, all_slots: bool = False) -> None:
        """A run was queued here: let an idle slot look now rather than at its next poll."""
        with self._wake:
            if all_slots:
                self._wake.notify_all()
            else:
                self._wake.notify()

    @property
    def busy(self) -> int:
        return len(self.watch.held())

    # ------------------------------------------------------------ work

    def _slot(self) -> None:
        while not self._stopping.is_set():
            try:
                run = self.store.claim_next()
            except Exception as exc:  # noqa: BLE001 - the store may come back
                if self.report:
                    self.report(f"cannot claim runs: {type(exc).__name__}")
                run = None
            if run is None:
                with self._wake:
                    if not self._stopping.is_set():
                        self._wake.wait(self.poll)
                continue
            if self._stopping.is_set():  # claimed as the worker began stopping: not started
                try:
                    self.store.unclaim_run(run.id)
                except Exception:  # noqa: BLE001, S110 - recovery queues it again
                    pass
                return
            self.execute(run)

    def execute(self, run: Run) -> Run:
        """Execute a run this process has claimed and record how it ended."""
        stop = self.watch.register(run.id)
        if self.report:
            attempt = f", attempt {run.attempt} of {run.max_attempts}" if run.attempt > 1 else ""
            self.report(f"run {run.id}: {run.notebook} started{attempt}")
        try:
            done = perform_run(self.store, run, self.root, home=self.settings.home,
                               artifacts_dir=self.settings.artifacts_dir,
                               default_timeout=self.settings.run_timeout, stop=stop)
        except Exception as exc:  # noqa: BLE001 - a worker must never leave a run open
            try:
                done = self.store.finish_run(run.id, RunStatus.ERROR,
                                             error_message=f"{type(exc).__name__}: {exc}")
            except Exception:  # noqa: BLE001 - the store is down; recovery closes the run
                return run
        finally:
            self.watch.unregister(run.id)
        if self.report:
            seconds = f" in {done.duration_seconds:.1f} s" if done.duration_seconds else ""
            self.report(f"run {run.id}: {run.notebook} {done.status.value}{seconds}")
        return done

    def run_until(self, stopped: threading.Event) -> None:
        """Work until ``stopped`` is set (the CLI's signal handler sets it)."""
        self.start()
        stopped.wait()
