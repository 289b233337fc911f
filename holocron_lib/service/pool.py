"""The run service behind the HTTP API: registry snapshot, bounded worker pool, recovery.

Runs are recorded as `queued` when requested and executed by at most ``workers`` threads;
the rest wait in the queue. On start the service closes runs whose runner died, adopts
queued runs whose server died, and syncs the registry into the store. While it runs, one
heartbeat thread keeps its open runs marked alive and closes other processes' orphans.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from holocron_lib.errors import QueueFullError
from holocron_lib.service.registry import NotebookInfo, discover_notebooks, folder_fingerprint
from holocron_lib.service.runner import Heartbeat, perform_run, queue_run
from holocron_lib.service.store import Run, RunStatus, Store
from holocron_lib.settings import Settings

RECOVERY_EVERY_SECONDS = 30


class RunService:
    """One per server process: owns the store, the registry snapshot and the worker pool."""

    def __init__(self, settings: Settings, notebooks_root: Path, *, store: Store | None = None,
                 workers: int | None = None, max_queue: int = 1000):
        self.settings = settings
        self.root = Path(notebooks_root).resolve()
        self.store = store or Store(settings.store_url)
        self.workers = workers or settings.workers
        self.max_queue = max_queue
        self._pool: ThreadPoolExecutor | None = None
        self._heartbeat: Heartbeat | None = None
        self._lock = threading.Lock()
        self._pending = 0
        self._snapshot: dict[str, NotebookInfo] = {}
        self._fingerprint: tuple | None = None
        self._checked_at = 0.0
        self._last_recovery = 0.0

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self.store.ensure_schema()
        self.store.recover_orphans()
        self.refresh(force=True)
        self._pool = ThreadPoolExecutor(max_workers=self.workers,
                                        thread_name_prefix="holocron-run")
        self._heartbeat = Heartbeat(self.store, also=self._periodic_recovery).__enter__()
        for run_id in self.store.adopt_queued():
            self._submit(run_id)

    def stop(self) -> None:
        """Stop taking work; queued runs stay queued and are adopted by the next start."""
        if self._heartbeat:
            self._heartbeat.__exit__(None, None, None)
        if self._pool:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self.store.close()

    def _periodic_recovery(self) -> None:
        if time.monotonic() - self._last_recovery >= RECOVERY_EVERY_SECONDS:
            self._last_recovery = time.monotonic()
            self.store.recover_orphans()

    # ------------------------------------------------------------ registry

    def refresh(self, force: bool = False) -> None:
        """Re-read the registry when files changed (checked at most once a second)."""
        now = time.monotonic()
        if not force and now - self._checked_at < 1.0:
            return
        with self._lock:
            self._checked_at = now
            fingerprint = folder_fingerprint(self.root)
            if fingerprint == self._fingerprint and not force:
                return
            infos = discover_notebooks(self.root)
            self.store.sync_notebooks(infos)
            self._snapshot = {i.name: i for i in infos}
            self._fingerprint = fingerprint

    def notebooks(self, category: str | None = None, tag: str | None = None
                  ) -> list[NotebookInfo]:
        self.refresh()
        return [i for i in self._snapshot.values()
                if (not category or i.category == category) and (not tag or tag in i.tags)]

    def notebook(self, name: str) -> NotebookInfo | None:
        self.refresh()
        return self._snapshot.get(name)

    # ------------------------------------------------------------ runs

    def request_run(self, name: str, parameters: dict[str, Any], user: str,
                    timeout: int | None = None) -> Run:
        """Check and record a run, then queue it; raises for unknown names or bad values."""
        with self._lock:
            if self._pending >= self.max_queue:
                raise QueueFullError(self._pending)
        run = queue_run(self.store, self.root, name, parameters, user, timeout=timeout,
                        max_waiting=self.settings.max_waiting_per_user)
        self._submit(run.id)
        return run

    def _submit(self, run_id: int) -> None:
        assert self._pool is not None, "RunService.start() was not called"
        with self._lock:
            self._pending += 1
        self._pool.submit(self._work, run_id)

    def _work(self, run_id: int) -> None:
        try:
            run = self.store.get_run(run_id)
            if run.status != RunStatus.QUEUED:
                return
            perform_run(self.store, run, self.root, home=self.settings.home,
                        artifacts_dir=self.settings.artifacts_dir,
                        default_timeout=self.settings.run_timeout)
        except Exception as exc:  # noqa: BLE001 - a worker must never leave a run open
            try:
                self.store.finish_run(run_id, RunStatus.ERROR,
                                      error_message=f"{type(exc).__name__}: {exc}")
            except Exception:  # noqa: BLE001, S110 - the store itself is down; recovery closes it
                pass
        finally:
            with self._lock:
                self._pending -= 1

    def status(self) -> dict[str, Any]:
        with self._lock:
            pending = self._pending
        return {"workers": self.workers, "in_pool": pending, **self.store.count_open()}
