"""The one way notebooks are executed: real ipykernel kernels, driven by nbclient or papermill.

The book, ``holocron run``, the API's workers and the notebook tests all come here. Each
notebook gets a kernel process no other notebook has used, forked warm from a template that
has done the imports (``kernels.py``); what a cell prints, displays and returns is recorded by
nbclient exactly as Jupyter records it.

- ``execute_notebooks()`` runs many notebooks, ``workers`` at a time, in one event loop, and
  hands each result back as it finishes (the caller alone writes any cache).
- ``execute_parameterized()`` runs one notebook with parameters through papermill's
  ``execute_notebook`` (its ``injected-parameters`` cell, its error banner), saving the
  output after every cell.

Limits: every cell has ``cell_timeout`` seconds; a whole notebook ``notebook_timeout``
seconds, after which its kernel is killed with every process it started (``proctree.py``:
children in sessions of their own and double-forked daemons included). Every failure names
the cell it happened in, and no notebook leaves a process behind, however it ended.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from holocron_lib.execution.kernels import kernel_manager_class
from holocron_lib.execution.proctree import end_tree
from holocron_lib.execution.template_handle import KernelTemplate

__all__ = ["CellFailure", "Job", "NotebookResult", "end_leftovers", "execute_notebooks",
           "execute_parameterized", "kill_kernels"]


@dataclass(frozen=True)
class CellFailure:
    """Where and how a notebook stopped: the cell's index in the notebook (None when no cell
    had started), the error's name and its message."""

    cell: int | None
    ename: str
    evalue: str


@dataclass(frozen=True)
class Job:
    """One notebook to run: a label for messages, the notebook, and its working folder."""

    name: str
    nb: object
    cwd: Path


@dataclass
class NotebookResult:
    name: str
    nb: object
    seconds: float
    failure: CellFailure | None = None


def kill_kernels(managers: Iterable) -> None:
    """SIGKILL every kernel these managers started with every process it started, wherever
    those went (a watchdog's last word: a cell that ignores interrupts cannot outlive it)."""
    for km in managers:
        provisioner = getattr(km, "provisioner", None)
        pid = getattr(provisioner, "pid", None)  # it leads its own group (a new session)
        token = getattr(km, "kernel_token", None)
        if pid or token:
            end_tree(pid, token)


def end_leftovers(managers: Iterable) -> None:
    """After a kernel has shut down: end what it started that is still about (found by its
    token; a forked kernel's template has ended those already)."""
    for km in managers:
        if token := getattr(km, "kernel_token", None):
            end_tree(None, token)


def _failure_from(exc: BaseException, cell: int | None, notebook_timeout: int) -> CellFailure:
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if isinstance(exc, CellExecutionError):
        return CellFailure(cell, exc.ename, str(exc.evalue)[:500])
    if isinstance(exc, CellTimeoutError):
        return CellFailure(cell, "Timeout", f"{exc} (limit per cell)"[:500])
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return CellFailure(cell, "Timeout", f"notebook time limit of {notebook_timeout}s "
                                            "reached; its kernel was stopped")
    if isinstance(exc, DeadKernelError):
        return CellFailure(cell, "DeadKernelError", f"the kernel died: {exc}"[:500])
    return CellFailure(cell, type(exc).__name__, str(exc)[:500])


async def _run_one(job: Job, template: KernelTemplate | None, env: dict[str, str],
                   cell_timeout: int, notebook_timeout: int,
                   shutdowns: list[asyncio.Future]) -> NotebookResult:
    """Run ``job``; the result is ready as its last cell ends. The kernel of a notebook that
    succeeded shuts down gracefully afterwards (a task added to ``shutdowns``), so the next
    notebook need not wait for it; any other kernel is killed before this returns."""
    from nbclient import NotebookClient

    current: list[int | None] = [None]
    first_cell: list[float | None] = [None]
    managers: list = []

    def on_cell_start(cell, cell_index):
        if cell.cell_type == "code":
            current[0] = cell_index
            if first_cell[0] is None:
                first_cell[0] = time.monotonic()

    kernel_name = (job.nb.metadata.get("kernelspec") or {}).get("name") or "python3"
    # record_timing off: the execution cache hashes cell metadata, and timings change it
    client = NotebookClient(
        job.nb, timeout=cell_timeout, kernel_name=kernel_name, record_timing=False,
        resources={"metadata": {"path": str(job.cwd)}}, on_cell_start=on_cell_start,
        kernel_manager_class=kernel_manager_class(template, env, created=managers),
    )
    started = time.monotonic()
    failure = None
    # cleanup_kc=False: nbclient leaves the kernel running when the notebook is done;
    # _shut_down ends it.
    task = asyncio.ensure_future(client.async_execute(cleanup_kc=False))
    try:
        # The notebook's limit counts from its first cell: the kernel's start-up (bounded by
        # nbclient's start-up timeout) depends on how busy the machine is, not on the notebook.
        while not task.done():
            if first_cell[0] is None:
                await asyncio.wait({task}, timeout=0.2)
                continue
            left = first_cell[0] + notebook_timeout - time.monotonic()
            if left <= 0:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                raise TimeoutError
            await asyncio.wait({task}, timeout=left)
        task.result()
    except Exception as exc:  # noqa: BLE001 - every ending becomes a result
        failure = _failure_from(exc, current[0], notebook_timeout)
    except BaseException:
        await _shut_down(client, managers, graceful=False)
        raise
    result = NotebookResult(job.name, job.nb, time.monotonic() - started, failure)
    if failure is None:
        shutdowns.append(asyncio.ensure_future(_shut_down(client, managers, graceful=True)))
    else:
        await _shut_down(client, managers, graceful=False)
    return result


async def _shut_down(client, managers: list, *, graceful: bool) -> None:
    """End the notebook's kernel: asked to shut down (its exit handlers run) when
    ``graceful``, and killed with every process it started when it did not end so (or when
    not graceful: a failure, a timeout, a cancel); then whatever it started that is left."""
    try:
        for km in managers:
            if graceful and km.has_kernel:
                try:
                    await km.shutdown_kernel()
                except Exception:  # noqa: BLE001, S110 - killed below
                    pass
            if km.has_kernel:
                kill_kernels([km])
                try:
                    await km.shutdown_kernel(now=True)
                except Exception:  # noqa: BLE001, S110 - killed already; nothing more to do
                    pass
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
            client.kc = None
        end_leftovers(managers)


def execute_notebooks(jobs: list[Job], *, env: dict[str, str], workers: int | None = None,
                      cell_timeout: int = 180, notebook_timeout: int = 300,
                      on_result: Callable[[NotebookResult], None],
                      template: KernelTemplate | None = None, warm: bool = True,
                      no_later_kernels: bool = False) -> None:
    """Run ``jobs``, ``workers`` at a time (default: one per core), each on a fresh kernel,
    and call ``on_result`` in this thread as each one finishes. ``warm`` False starts each
    kernel the standard way (``python -m ipykernel_launcher``), with nothing preloaded.
    ``no_later_kernels`` says ``template`` forks nothing after these jobs (a build's own
    template), so it stops importing once their kernels are forked."""
    if not jobs:
        return
    workers = max(1, min(len(jobs), workers or os.cpu_count() or 1))
    own = warm and template is None
    if own:
        template = KernelTemplate(env)
    if template is not None:
        template.start()  # its imports overlap the first kernels' set-up here
        if warm and (own or no_later_kernels):
            template.stop_importing_after(len(jobs))

    async def main() -> None:
        gate = asyncio.Semaphore(workers)
        shutdowns: list[asyncio.Future] = []

        async def one(job: Job) -> NotebookResult:
            async with gate:
                return await _run_one(job, template if warm else None, env, cell_timeout,
                                      notebook_timeout, shutdowns)

        try:
            for finished in asyncio.as_completed([one(j) for j in jobs]):
                on_result(await finished)
        finally:
            await asyncio.gather(*shutdowns, return_exceptions=True)

    try:
        _run_to_completion(main)
    finally:
        if own and template is not None:
            template.close()


def _run_to_completion(coroutine_function) -> None:
    """``asyncio.run`` here, or in a thread of its own when this thread already runs an event
    loop (a caller inside Jupyter, or a library that left one running): the notebooks' loop
    must not nest in someone else's."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine_function())
        return
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine_function())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=target, name="holocron-notebooks")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def execute_parameterized(output: Path, parameters: dict, *, env: dict[str, str],
                          cwd: Path, kernel_name: str = "python3", cell_timeout: int | None = None,
                          log: Path | None = None, template: KernelTemplate | None = None,
                          on_cell: Callable[[int, int], None] | None = None,
                          managers: list | None = None):
    """Run the notebook already written at ``output`` with
    ``parameters`` through papermill, on a warm kernel from ``template``; the output is saved
    after every cell. Returns the executed notebook; raises what papermill raises
    (``PapermillExecutionError`` names the cell). ``on_cell(i, n)`` is told as the i-th of n
    code cells starts; ``managers`` receives the kernel manager (for a watchdog)."""
    import nbformat
    import papermill

    nb = nbformat.read(output, as_version=4)
    code = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())
    total = code + (1 if parameters else 0)  # papermill adds its injected-parameters cell
    seen = [0]

    def on_cell_start(cell, cell_index):
        if on_cell is not None and cell.cell_type == "code" and cell.source.strip():
            seen[0] += 1
            on_cell(seen[0], total)

    return papermill.execute_notebook(
        str(output), str(output), parameters=parameters or None, kernel_name=kernel_name,
        progress_bar=False, log_output=False, start_timeout=60, language="python",
        execution_timeout=cell_timeout, on_cell_start=on_cell_start,
        kernel_manager_class=kernel_manager_class(template, env, str(log) if log else None,
                                                  created=managers, cwd=str(cwd)),
    )
