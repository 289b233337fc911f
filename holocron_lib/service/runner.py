"""The runner: execute one registered notebook with checked parameters and record the outcome.

The `.py` source is read with jupytext and run by the one executor through papermill's
`execute_notebook` (its own `injected-parameters` cell and error banner) on a warm "python3"
kernel with the project as HOLOCRON_HOME. The executed notebook is written to
``artifacts/notebooks/YYYY-MM-DD/<name with __>-<run id>.ipynb`` after every cell, so a
failure or a timeout keeps the partial output. A watchdog kills the kernel, with every process
it started, at the run's time limit or as soon as the caller's ``stop`` event is set (a
cancelled run, or a worker that is stopping). Runs execute in the calling thread, so a worker
runs several at once with threads.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from holocron_lib.db.workdb import RUN_VARIABLE
from holocron_lib.errors import (
    HolocronError,
    NotebookNotFoundError,
    ParameterError,
    PresetError,
    SettingsError,
)
from holocron_lib.execution.environment import kernel_environment
from holocron_lib.service import paths, run_lineage, scrub
from holocron_lib.service.presets import preset_values
from holocron_lib.service.registry import NotebookInfo, get_notebook, validate_parameters
from holocron_lib.service.store import Run, RunStatus, Store
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
    kernel_name: str = KERNEL_NAME, stop: threading.Event | None = None,
    run_id: int | None = None,
) -> Outcome:
    """Run ``info`` with ``parameters`` (already checked), writing ``output``; never raises.

    The notebook runs through papermill on a warm kernel of this process's template, so an
    API worker does not pay for the imports again; a watchdog kills the kernel at the limit,
    or when ``stop`` is set (the run is then cancelled).
    """
    import jupytext
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    # lazy: the API starts without papermill, nbclient or the kernel machinery
    from holocron_lib.execution.executor import end_leftovers, execute_parameterized, kill_kernels
    from holocron_lib.execution.kernels import shared_template

    started = time.monotonic()
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = jupytext.read(info.path, fmt="py:percent")
    except (OSError, ValueError) as exc:
        return Outcome(RunStatus.ERROR, f"cannot read the notebook: {exc}")
    nbformat.write(nb, str(output))  # papermill reads it from here and saves after every cell

    env = kernel_environment(home)
    # The kernel names its run when it holds the working database (db.workdb), so another
    # writer waits for "run N"; the template, shared by every run, goes without it.
    kernel_env = env if run_id is None else {**env, RUN_VARIABLE: str(run_id)}
    managers: list = []
    finished = threading.Event()
    why: list[RunStatus] = []  # set by the watchdog when it stops the kernel

    def watch():
        deadline = time.monotonic() + timeout if timeout else None
        while not finished.wait(0.2):
            if stop is not None and stop.is_set():
                why.append(RunStatus.CANCELLED)
            elif deadline is not None and time.monotonic() >= deadline:
                why.append(RunStatus.TIMED_OUT)
            else:
                continue
            while not finished.wait(0.2):  # until papermill gives up: a kernel still starting too
                kill_kernels(managers)
            return

    def stopped(seconds: float) -> Outcome | None:
        if not why:
            return None
        if why[0] == RunStatus.CANCELLED:
            return Outcome(RunStatus.CANCELLED, "cancelled while running", seconds=seconds)
        return Outcome(RunStatus.TIMED_OUT, f"stopped after the time limit of {timeout} s",
                       seconds=seconds)

    watchdog = threading.Thread(target=watch, name="holocron-watchdog", daemon=True)
    watchdog.start()
    try:
        execute_parameterized(output, parameters, env=kernel_env, cwd=info.path.parent,
                              kernel_name=kernel_name, log=output.with_suffix(".kernel.log"),
                              template=shared_template(env), on_cell=progress,
                              managers=managers)
    except Exception as exc:  # noqa: BLE001 - every ending becomes an Outcome
        seconds = time.monotonic() - started
        finished.set()
        watchdog.join()
        if output.exists():
            nb = _name_paths(output, info)
        if (halted := stopped(seconds)) is not None:
            return halted
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
        end_leftovers(managers)
    watchdog.join()
    _name_paths(output, info)
    seconds = time.monotonic() - started
    return stopped(seconds) or Outcome(RunStatus.SUCCEEDED, seconds=seconds)


def queue_run(store: Store, root: Path, name: str, values: dict[str, Any], user: str, *,
              from_strings: bool = False, timeout: int | None = None,
              status: RunStatus = RunStatus.QUEUED, attempts: int = 1,
              preset: str | None = None, max_waiting: int | None = None) -> Run:
    """Check the parameters and record a new run; bad parameters are recorded as `error`.

    With ``preset`` the run starts from that preset's values, and ``values`` override
    them. A retry-safe notebook's run may be tried up to ``attempts`` times when its
    worker dies; any other run is tried once. Raises `NotebookNotFoundError` or
    `UnknownObjectError` for a missing preset (nothing recorded), `ParameterError` or
    `PresetError` for a preset that no longer fits (recorded, except for values no store
    can hold), or `WaitingLimitError` (nothing recorded).
    """
    info = get_notebook(root, name)
    if (bad := unstorable_parameter(values)) is not None:
        raise ParameterError(info.name, *bad)
    given = dict(values)
    try:
        if preset is not None:
            given = {**preset_values(store, info, preset), **values}
        checked = validate_parameters(info, given, from_strings=from_strings)
    except (ParameterError, PresetError) as exc:
        store.create_run(info, user, {str(k)[:100]: _jsonable(v) for k, v in given.items()},
                         status=RunStatus.ERROR, error_message=str(exc), timeout=timeout,
                         preset=preset)
        raise
    return store.create_run(info, user, checked, status=status, timeout=timeout,
                            max_attempts=attempts if info.retry_safe else 1, preset=preset,
                            max_waiting=max_waiting)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def record_lineage(store: Store, run_id: int, info: NotebookInfo, settings,
                   shown: Callable[[str], str]) -> None:
    """Record what the run is about to run; a lineage that cannot be taken says why."""
    try:
        lineage = run_lineage.notebook_lineage(info, settings)
    except (OSError, ValueError, SyntaxError, HolocronError) as exc:
        lineage = {"problem": shown(f"the lineage cannot be taken: {type(exc).__name__}: "
                                    f"{exc}")}
    run_lineage.save_lineage(store, run_id, lineage)


def record_results(store: Store, run_id: int, output: Path) -> None:
    """Store the results the executed notebook recorded (none when it cannot be read)."""
    try:
        nb = json.loads(output.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    run_lineage.save_results_of(store, run_id, nb)


def perform_run(store: Store, run: Run, root: Path, *, home: Path, artifacts_dir: Path,
                default_timeout: int | None, progress: Progress | None = None,
                kernel_name: str = KERNEL_NAME, stop: threading.Event | None = None) -> Run:
    """Execute a recorded run (claiming it if queued) and record how it ended.

    ``stop`` is set by whoever watches the store for a cancel request of this run.
    """
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
        settings = load_settings(home=home)
    except (ParameterError, SettingsError, OSError) as exc:
        store.set_output(run.id, None)
        return store.finish_run(run.id, RunStatus.ERROR, error_message=str(exc))
    redact = settings.redact
    record_lineage(store, run.id, info, settings, lambda text: redact(
        scrub.relative_text(text, prefixes)))
    try:
        outcome = execute_notebook(info, parameters, output, home=home,
                                   timeout=run.timeout_seconds or default_timeout or None,
                                   progress=progress, kernel_name=kernel_name, stop=stop,
                                   run_id=run.id)
    except HolocronError as exc:
        outcome = Outcome(RunStatus.ERROR, str(exc))
    except Exception as exc:  # noqa: BLE001 - whatever happens, the run must be closed
        outcome = Outcome(RunStatus.ERROR, f"{type(exc).__name__}: {exc}")
    # A notebook's error text is arbitrary; no secret in force may reach the store, which
    # the CLI and the API both read.
    message = outcome.error_message
    if message:
        message = redact(scrub.relative_text(message, prefixes))
    # what is stored is what a client may fetch: relative paths, no secrets
    written = output.exists() and scrub.scrub_notebook_file(output, prefixes, redact)
    if not written:
        store.set_output(run.id, None)
    else:  # what it recorded, also when it failed or was stopped part-way
        record_results(store, run.id, output)
    if outcome.status == RunStatus.CANCELLED:
        who = store.get_run(run.id).cancel_requested_by
        if who is None:  # stopped by its own worker shutting down, not by a person
            store.release_run(run.id, "its worker was stopped", ended=RunStatus.INTERRUPTED)
            return store.get_run(run.id)
        message = f"cancelled by {who} while running"
    store.finish_run(run.id, outcome.status, error_message=message,
                     error_cell=outcome.error_cell, error_name=outcome.error_name,
                     output_path=str(output) if written else None)
    if outcome.seconds:
        store.record_duration(run.id, outcome.seconds)
    return store.get_run(run.id)
