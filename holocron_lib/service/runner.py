"""The runner: execute one registered notebook with checked parameters and record the outcome.

The `.py` source is read with jupytext and run by the one executor through papermill's
`execute_notebook` (its own `injected-parameters` cell and error banner) on a warm "python3"
kernel with the project as HOLOCRON_HOME. The executed notebook is written to
``artifacts/notebooks/YYYY-MM-DD/<name with __>-<run id>.ipynb`` after every cell, so a
failure or a timeout keeps the partial output. A watchdog kills the kernel at the run's time
limit. Runs execute in the calling thread, so the API's worker pool is a thread pool.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from holocron_lib.errors import HolocronError, NotebookNotFoundError, ParameterError
from holocron_lib.execution.environment import kernel_environment
from holocron_lib.service.registry import NotebookInfo, get_notebook, validate_parameters
from holocron_lib.service.store import HEARTBEAT_SECONDS, Run, RunStatus, Store

KERNEL_NAME = "python3"
Progress = Callable[[int, int], None]  # (code cells started, code cells in all)


@dataclass(frozen=True)
class Outcome:
    """How one execution ended, before it is recorded."""

    status: RunStatus
    error_message: str | None = None
    error_cell: int | None = None
    error_name: str | None = None
    seconds: float = 0.0


def output_path_for(artifacts_dir: Path, name: str, run_id: int, when) -> Path:
    """``artifacts/notebooks/YYYY-MM-DD/<name with / as __>-<run id>.ipynb``."""
    return (Path(artifacts_dir) / "notebooks" / when.strftime("%Y-%m-%d")
            / f"{name.replace('/', '__')}-{run_id}.ipynb")


def _source_index(nb, index: int) -> int:
    """The failing cell's index in the source notebook.

    papermill counts its injected-parameters cell, and by the time it raises it has put an
    error banner at the top; neither is in the source.
    """
    tags = [set(c.metadata.get("tags", [])) for c in nb.cells]
    banner = 1 if tags and "papermill-error-cell-tag" in tags[0] else 0
    injected = [i - banner for i, t in enumerate(tags) if "injected-parameters" in t]
    return index - sum(1 for i in injected if i < index)


def _name_paths(output: Path, info: NotebookInfo):
    """The saved notebook names its source and itself by file name, not path: it is served
    over HTTP as it is. Returns the notebook as saved."""
    import nbformat

    nb = nbformat.read(output, as_version=4)
    papermill_meta = nb.metadata.setdefault("papermill", {})
    papermill_meta["input_path"] = info.source_file
    papermill_meta["output_path"] = output.name
    nbformat.write(nb, str(output))
    return nb


def execute_notebook(
    info: NotebookInfo, parameters: dict[str, Any], output: Path, *, home: Path,
    timeout: int | None = None, progress: Progress | None = None,
    kernel_name: str = KERNEL_NAME,
) -> Outcome:
    """Run ``info`` with ``parameters`` (already checked), writing ``output``; never raises.

    The notebook runs through papermill on a warm kernel of this process's template, so an
    API worker does not pay for the imports again; a watchdog kills the kernel at the limit.
    """
    import jupytext
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    # lazy: the API starts without papermill, nbclient or the kernel machinery
    from holocron_lib.execution.executor import execute_parameterized, kill_kernels
    from holocron_lib.execution.kernels import shared_template

    started = time.monotonic()
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = jupytext.read(info.path, fmt="py:percent")
    except (OSError, ValueError) as exc:
        return Outcome(RunStatus.ERROR, f"cannot read the notebook: {exc}")
    nbformat.write(nb, str(output))  # papermill reads it from here and saves after every cell

    env = kernel_environment(home)
    managers: list = []
    timed_out = threading.Event()
    finished = threading.Event()

    def watch():
        if finished.wait(timeout):
            return
        timed_out.set()
        while not finished.wait(0.2):  # until papermill gives up: a kernel still starting too
            kill_kernels(managers)

    watchdog = threading.Thread(target=watch, daemon=True) if timeout else None
    if watchdog:
        watchdog.start()
    try:
        execute_parameterized(output, parameters, env=env, cwd=info.path.parent,
                              kernel_name=kernel_name, log=output.with_suffix(".kernel.log"),
                              template=shared_template(env), on_cell=progress,
                              managers=managers)
    except Exception as exc:  # noqa: BLE001 - every ending becomes an Outcome
        seconds = time.monotonic() - started
        if output.exists():
            nb = _name_paths(output, info)
        if timed_out.is_set():
            return Outcome(RunStatus.TIMED_OUT, f"stopped after the time limit of {timeout} s",
                           seconds=seconds)
        if isinstance(exc, PapermillExecutionError):
            return Outcome(RunStatus.FAILED, f"{exc.ename}: {exc.evalue}",
                           _source_index(nb, exc.cell_index), exc.ename, seconds)
        if isinstance(exc, NoSuchKernel):
            return Outcome(RunStatus.ERROR, f"no Jupyter kernel named {kernel_name!r} is "
                           "installed", error_name="NoSuchKernel", seconds=seconds)
        if isinstance(exc, DeadKernelError):
            return Outcome(RunStatus.FAILED, f"the kernel died: {exc}", error_name="DeadKernel",
                           seconds=seconds)
        return Outcome(RunStatus.ERROR, f"{type(exc).__name__}: {exc}",
                       error_name=type(exc).__name__, seconds=seconds)
    finally:
        finished.set()
    _name_paths(output, info)
    if timed_out.is_set():
        return Outcome(RunStatus.TIMED_OUT, f"stopped after the time limit of {timeout} s",
                       seconds=time.monotonic() - started)
    return Outcome(RunStatus.SUCCEEDED, seconds=time.monotonic() - started)


class Heartbeat:
    """A daemon thread that keeps this process's open runs marked alive in the store."""

    def __init__(self, store: Store, every: float = HEARTBEAT_SECONDS,
                 also: Callable[[], None] | None = None):
        self.store = store
        self.every = every
        self.also = also
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="holocron-heartbeat",
                                        daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.store.heartbeat()
                if self.also:
                    self.also()
            except Exception:  # noqa: BLE001 - a missed beat must not end the runner
                pass

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()


def queue_run(store: Store, root: Path, name: str, values: dict[str, Any], user: str, *,
              from_strings: bool = False, timeout: int | None = None,
              status: RunStatus = RunStatus.QUEUED) -> Run:
    """Check the parameters and record a new run; bad parameters are recorded as `error`.

    Raises `NotebookNotFoundError` (nothing recorded) or `ParameterError` (recorded).
    """
    info = get_notebook(root, name)
    try:
        checked = validate_parameters(info, values, from_strings=from_strings)
    except ParameterError as exc:
        store.create_run(info, user, {str(k)[:100]: _jsonable(v) for k, v in values.items()},
                         status=RunStatus.ERROR, error_message=str(exc), timeout=timeout)
        raise
    return store.create_run(info, user, checked, status=status, timeout=timeout)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def perform_run(store: Store, run: Run, root: Path, *, home: Path, artifacts_dir: Path,
                default_timeout: int | None, progress: Progress | None = None,
                kernel_name: str = KERNEL_NAME) -> Run:
    """Execute a recorded run (claiming it if queued) and record how it ended."""
    if run.status == RunStatus.QUEUED and not store.claim_run(run.id):
        return store.get_run(run.id)  # another worker has it, or it was closed
    try:
        info = get_notebook(root, run.notebook)
    except NotebookNotFoundError as exc:
        return store.finish_run(run.id, RunStatus.ERROR, error_message=str(exc))
    current = store.get_run(run.id)
    output = output_path_for(artifacts_dir, info.name, run.id, current.started_at
                             or current.queued_at)
    store.set_output(run.id, str(output))
    try:
        outcome = execute_notebook(info, run.parameters, output, home=home,
                                   timeout=run.timeout_seconds or default_timeout or None,
                                   progress=progress, kernel_name=kernel_name)
    except HolocronError as exc:
        outcome = Outcome(RunStatus.ERROR, str(exc))
    except Exception as exc:  # noqa: BLE001 - whatever happens, the run must be closed
        outcome = Outcome(RunStatus.ERROR, f"{type(exc).__name__}: {exc}")
    # A notebook's error text is arbitrary; no secret in force may reach the store, which
    # the CLI and the API both read.
    message = outcome.error_message
    if message:
        from holocron_lib.settings import load_settings  # lazy: only a failed run needs it

        message = load_settings(home=home).redact(message)
    store.finish_run(run.id, outcome.status, error_message=message,
                     error_cell=outcome.error_cell, error_name=outcome.error_name,
                     output_path=str(output) if output.exists() else None)
    if outcome.seconds:
        store.record_duration(run.id, outcome.seconds)
    return store.get_run(run.id)
