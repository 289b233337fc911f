"""The runner: execute one registered notebook with checked parameters and record the outcome.

The `.py` source is read with jupytext, parameters are injected by papermill (its own
`injected-parameters` cell), and the kernel is "python3" of this interpreter with the project
as HOLOCRON_HOME. The executed notebook is written to
``artifacts/notebooks/YYYY-MM-DD/<name with __>-<run id>.ipynb`` after every cell, so a
failure or a timeout keeps the partial output. A watchdog kills the kernel at the run's time
limit. Runs execute in the calling thread, so the API's worker pool is a thread pool.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from holocron_lib.errors import (
    HolocronError,
    NotebookNotFoundError,
    ParameterError,
    SettingsError,
)
from holocron_lib.execution.environment import kernel_environment
from holocron_lib.service import paths, scrub
from holocron_lib.service.registry import NotebookInfo, get_notebook, validate_parameters
from holocron_lib.service.store import HEARTBEAT_SECONDS, Run, RunStatus, Store
from holocron_lib.service.values import unstorable_parameter
from holocron_lib.settings import load_settings, writable_folder

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


def output_file_name(name: str, run_id: int | str) -> str:
    """``<name with / as __>-<run id>.ipynb``: the executed notebook's file name."""
    return f"{name.replace('/', '__')}-{run_id}.ipynb"


def output_path_for(artifacts_dir: Path, name: str, run_id: int, when) -> Path:
    """``artifacts/notebooks/YYYY-MM-DD/<name with / as __>-<run id>.ipynb``."""
    return (Path(artifacts_dir) / "notebooks" / when.strftime("%Y-%m-%d")
            / output_file_name(name, run_id))


def _kernel_manager(env: dict[str, str], cwd: str, log: Path):
    from jupyter_client.manager import AsyncKernelManager

    class RunKernelManager(AsyncKernelManager):
        """Starts the kernel with the run's environment and working folder.

        The kernel's own stderr (start-up warnings, crash reports) goes to a log file next
        to the output rather than into the runner's terminal.
        """

        async def start_kernel(self, **kw):
            kw["env"] = {**env, **kw.get("env", {})}
            kw["cwd"] = cwd
            kw["stdout"] = subprocess.DEVNULL
            kw["stderr"] = open(log, "ab")  # noqa: SIM115 - the kernel process owns it
            try:
                return await super().start_kernel(**kw)
            finally:
                kw["stderr"].close()

    return RunKernelManager(kernel_name=KERNEL_NAME)


def _register_engine() -> str:
    """A papermill engine that reports cell progress to a callback passed per run."""
    from papermill.engines import NBClientEngine, papermill_engines

    class ProgressEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, on_cell=None, **kwargs):
            if on_cell is not None:
                code = [i for i, c in enumerate(nb_man.nb.cells) if c.cell_type == "code"]
                original = nb_man.cell_start

                def cell_start(cell, cell_index=None, **kw):
                    if cell_index in code:
                        on_cell(code.index(cell_index) + 1, len(code))
                    return original(cell, cell_index, **kw)

                nb_man.cell_start = cell_start
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register("holocron", ProgressEngine)
    return "holocron"


def _kill_kernel(km) -> None:
    prov = getattr(km, "provisioner", None)
    pgid = getattr(prov, "pgid", None)
    pid = getattr(prov, "pid", None)
    try:
        if pgid:
            os.killpg(pgid, signal.SIGKILL)
        elif pid:
            os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _source_index(nb, index: int) -> int:
    """The failing cell's index in the source notebook.

    papermill counts its injected-parameters cell, and by the time it raises it has put an
    error banner at the top; neither is in the source.
    """
    tags = [set(c.metadata.get("tags", [])) for c in nb.cells]
    banner = 1 if tags and "papermill-error-cell-tag" in tags[0] else 0
    injected = [i - banner for i, t in enumerate(tags) if "injected-parameters" in t]
    return index - sum(1 for i in injected if i < index)


def execute_notebook(
    info: NotebookInfo, parameters: dict[str, Any], output: Path, *, home: Path,
    timeout: int | None = None, progress: Progress | None = None,
    kernel_name: str = KERNEL_NAME,
) -> Outcome:
    """Run ``info`` with ``parameters`` (already checked), writing ``output``; never raises."""
    import jupytext
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import DeadKernelError
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors
    from papermill.iorw import write_ipynb
    from papermill.parameterize import parameterize_notebook

    started = time.monotonic()
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = jupytext.read(info.path, fmt="py:percent")
    except (OSError, ValueError) as exc:
        return Outcome(RunStatus.ERROR, f"cannot read the notebook: {exc}")
    nb.metadata["papermill"] = {"default_parameters": {}, "parameters": {},
                                "environment_variables": {}, "version": papermill.__version__}
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
        cell.metadata.setdefault("papermill", {})
    if parameters:
        nb = parameterize_notebook(nb, parameters, kernel_name=kernel_name, language="python")
    # names, not paths: the executed notebook is served over HTTP as it is
    nb.metadata.papermill["input_path"] = info.source_file
    nb.metadata.papermill["output_path"] = output.name
    write_ipynb(nb, str(output))

    km = _kernel_manager(kernel_environment(home), str(info.path.parent),
                         output.with_suffix(".kernel.log"))
    km.kernel_name = kernel_name
    timed_out = threading.Event()

    def on_timeout():
        timed_out.set()
        _kill_kernel(km)

    watchdog = threading.Timer(timeout, on_timeout) if timeout else None
    if watchdog:
        watchdog.daemon = True
        watchdog.start()
    try:
        nb = papermill_engines.execute_notebook_with_engine(
            _register_engine(), nb, input_path=info.source_file, output_path=str(output),
            kernel_name=kernel_name, progress_bar=False, log_output=False, start_timeout=60,
            km=km, on_cell=progress,
        )
        raise_for_execution_errors(nb, str(output))
        write_ipynb(nb, str(output))
    except Exception as exc:  # noqa: BLE001 - every ending becomes an Outcome
        seconds = time.monotonic() - started
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
        if watchdog:
            watchdog.cancel()
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
              status: RunStatus = RunStatus.QUEUED, max_waiting: int | None = None) -> Run:
    """Check the parameters and record a new run; bad parameters are recorded as `error`.

    Raises `NotebookNotFoundError` (nothing recorded), `ParameterError` (recorded, except
    for values no store can hold), or `WaitingLimitError` (nothing recorded).
    """
    info = get_notebook(root, name)
    if (bad := unstorable_parameter(values)) is not None:
        raise ParameterError(info.name, *bad)
    try:
        checked = validate_parameters(info, values, from_strings=from_strings)
    except ParameterError as exc:
        store.create_run(info, user, {str(k)[:100]: _jsonable(v) for k, v in values.items()},
                         status=RunStatus.ERROR, error_message=str(exc), timeout=timeout)
        raise
    return store.create_run(info, user, checked, status=status, timeout=timeout,
                            max_waiting=max_waiting)


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
    prefixes = scrub.path_prefixes(home, artifacts_dir, [(Path(root), Path(root).name)])
    store.set_output(run.id, str(output))
    try:
        writable_folder("HOLOCRON_ARTIFACTS_DIR", output.parent,
                        scrub.relative_text(str(output.parent), prefixes))
        parameters = paths.confine(info.name, info.parameters, run.parameters, home=home,
                                   artifacts_dir=artifacts_dir, run_id=run.id, user=run.user)
    except (ParameterError, SettingsError, OSError) as exc:
        store.set_output(run.id, None)
        return store.finish_run(run.id, RunStatus.ERROR, error_message=str(exc))
    try:
        outcome = execute_notebook(info, parameters, output, home=home,
                                   timeout=run.timeout_seconds or default_timeout or None,
                                   progress=progress, kernel_name=kernel_name)
    except HolocronError as exc:
        outcome = Outcome(RunStatus.ERROR, str(exc))
    except Exception as exc:  # noqa: BLE001 - whatever happens, the run must be closed
        outcome = Outcome(RunStatus.ERROR, f"{type(exc).__name__}: {exc}")
    # A notebook's error text is arbitrary; no secret in force may reach the store, which
    # the CLI and the API both read.
    redact = load_settings(home=home).redact
    message = outcome.error_message
    if message:
        message = redact(scrub.relative_text(message, prefixes))
    # what is stored is what a client may fetch: relative paths, no secrets
    written = output.exists() and scrub.scrub_notebook_file(output, prefixes, redact)
    if not written:
        store.set_output(run.id, None)
    store.finish_run(run.id, outcome.status, error_message=message,
                     error_cell=outcome.error_cell, error_name=outcome.error_name,
                     output_path=str(output) if written else None)
    if outcome.seconds:
        store.record_duration(run.id, outcome.seconds)
    return store.get_run(run.id)
