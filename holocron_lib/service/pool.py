"""The run service behind the HTTP API: registry snapshot, the queue, an in-process worker.

A requested run is recorded as `queued` in the store, which is the queue every worker
reads: this server's own `Worker` (unless ``run_worker=False``) and `holocron worker`
processes on any machine. A `Scheduler` thread queues the runs of due schedules (unless
``run_scheduler=False``). On start the service closes or re-queues runs whose runner died
and syncs the registry into the store. On stop it takes no more work and gives running runs
the worker's grace before they are stopped and recorded `interrupted`.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from holocron_lib.errors import QueueFullError
from holocron_lib.service.presets import revalidate
from holocron_lib.service.registry import NotebookInfo, discover_notebooks, folder_fingerprint
from holocron_lib.service.runner import queue_run
from holocron_lib.service.schedules import Scheduler
from holocron_lib.service.store import Run, Store
from holocron_lib.service.worker import Worker
from holocron_lib.settings import Settings


class RunService:
    """One per server process: owns the store, the registry snapshot and its worker."""

    def __init__(self, settings: Settings, notebooks_root: Path, *, store: Store | None = None,
                 workers: int | None = None, max_queue: int = 1000, run_worker: bool = True,
                 run_scheduler: bool = True, grace: float | None = None):
        self.settings = settings
        self.root = Path(notebooks_root).resolve()
        self.store = store or Store(settings.store_url, stale_after=settings.stale_after)
        self.workers = (workers or settings.workers) if run_worker else 0
        self.max_queue = max_queue
        self.grace = grace
        self.worker: Worker | None = None
        self._stopped = False
        self.scheduler = Scheduler(self.store, self.root, attempts=settings.run_attempts,
                                   on_queued=lambda _run: self.worker and self.worker.wake())
        self.run_scheduler = run_scheduler
        self._scheduler_stop = threading.Event()
        self._scheduler_thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._snapshot: dict[str, NotebookInfo] = {}
        self._fingerprint: tuple | None = None
        self._checked_at = -1e9  # never: the first listing looks at the folder
        self.generation = 0  # counts registry changes; what callers cache by

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self.store.ensure_schema()
        self.store.recover_orphans()
        self.refresh(force=True)
        if self.workers:
            self.worker = Worker(self.store, self.root, self.settings,
                                 concurrency=self.workers, grace=self.grace).start()
        if self.run_scheduler:
            self._scheduler_thread = threading.Thread(
                target=self.scheduler.run, args=(self._scheduler_stop,
                                                 self.settings.scheduler_poll),
                name="holocron-scheduler", daemon=True)
            self._scheduler_thread.start()

    def drain(self) -> None:
        """Take no more work from now on (a signal's first word; returns at once)."""
        self._scheduler_stop.set()
        if self.worker:
            self.worker.drain()

    def hurry(self) -> None:
        """Stop the running runs now rather than after the grace (a second signal)."""
        if self.worker:
            self.worker.hurry()

    def stop(self) -> None:
        """Take no more work, give running runs the grace, then stop them (recorded
        `interrupted`); queued runs wait for the next worker. A second call does nothing."""
        if self._stopped:
            return
        self._stopped = True
        self.drain()
        if self._scheduler_thread:
            self._scheduler_thread.join(timeout=30)
        if self.worker:
            self.worker.stop()
        self.store.close()

    # ------------------------------------------------------------ registry

    def refresh(self, force: bool = False) -> None:
        """Re-read the registry when files changed (checked at most once a second).

        Requests arriving while one of them checks wait for that check rather than each
        walking the folder again; a file whose bytes did not change is not parsed again
        (`registry.read_notebook`).
        """
        if not force and not self.refresh_due():
            return
        with self._lock:
            now = time.monotonic()
            if not force and now - self._checked_at < 1.0:
                return  # another request checked while this one waited
            fingerprint = folder_fingerprint(self.root)
            if fingerprint != self._fingerprint or force:
                infos = discover_notebooks(self.root)
                self.store.sync_notebooks(infos)
                revalidate(self.store, infos)  # presets of notebooks whose parameters changed
                self._snapshot = {i.name: i for i in infos}
                self._fingerprint = fingerprint
                self.generation += 1
            self._checked_at = time.monotonic()

    def refresh_due(self) -> bool:
        """Whether the next listing must look at the folder (a second since the last look)."""
        return time.monotonic() - self._checked_at >= 1.0

    def notebooks(self, category: str | None = None, tag: str | None = None, *,
                  refresh: bool = True) -> list[NotebookInfo]:
        if refresh:
            self.refresh()
        return [i for i in self._snapshot.values()
                if (not category or i.category == category) and (not tag or tag in i.tags)]

    def notebook(self, name: str) -> NotebookInfo | None:
        self.refresh()
        return self._snapshot.get(name)

    # ------------------------------------------------------------ runs

    def request_run(self, name: str, parameters: dict[str, Any], user: str,
                    timeout: int | None = None, preset: str | None = None) -> Run:
        """Check and record a queued run; raises for unknown names, bad values, a full queue
        (`QueueFullError`) or a user with too many runs waiting (`WaitingLimitError`)."""
        waiting = self.store.count_open()["queued"]
        if waiting >= self.max_queue:
            raise QueueFullError(waiting)
        run = queue_run(self.store, self.root, name, parameters, user, timeout=timeout,
                        attempts=self.settings.run_attempts, preset=preset,
                        max_waiting=self.settings.max_waiting_per_user)
        if self.worker:
            self.worker.wake()
        return run

    def status(self) -> dict[str, Any]:
        busy = self.worker.busy if self.worker else 0
        return {"workers": self.workers, "running_here": busy, **self.store.count_open()}
