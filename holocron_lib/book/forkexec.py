"""Run book notebooks in forked interpreters that already hold the heavy imports.

A fresh Jupyter kernel per notebook spends about two seconds before the first cell does any
work: starting the kernel, then importing pandas, matplotlib, DuckDB and sqlglot. Here one
server process imports those once (multiprocessing's forkserver with preloaded modules) and
each notebook runs in its own process forked from it — a fresh interpreter for every
notebook, without the start-up bill. The cells run in IPython's shell, and the outputs are
recorded as a kernel would report them: streams, display data (charts as PNG, tables as
HTML) and execution results. The parent bounds each notebook's whole run and kills the
process when the limit passes, naming the cell it was in.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable
from multiprocessing.connection import wait as wait_for
from pathlib import Path

# Imported once by the fork server; every notebook process inherits them.
PRELOAD = [
    "pandas", "numpy", "matplotlib", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
    "duckdb", "sqlglot", "IPython", "nbformat", "jupytext",
    "holocron_lib.db.base", "holocron_lib.notebook.display", "holocron_lib.tsql.translate",
]
GRACE_SECONDS = 5  # the parent's kill comes this long after the in-process alarm


class _CellTimeout(Exception):
    pass


def _alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _CellTimeout()


class _Stream(io.TextIOBase):
    """stdout/stderr of a cell: text goes into the cell's outputs, merged like a kernel's."""

    def __init__(self, name: str, outputs: list):
        self.name, self.outputs = name, outputs

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not text:
            return 0
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.get("output_type") == "stream" and last.get("name") == self.name:
            last["text"] += text
        else:
            import nbformat

            self.outputs.append(nbformat.v4.new_output("stream", name=self.name, text=text))
        return len(text)


def _shell(outputs_ref: list):
    """An IPython shell whose displays and results land in ``outputs_ref[0]``."""
    import nbformat
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False,
                    **kwargs):
            outputs_ref[0].append(nbformat.v4.new_output("display_data", data=data,
                                                         metadata=metadata or {}))

        def clear_output(self, wait=False):
            outputs_ref[0].clear()

    class Hook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            outputs_ref[0].append(nbformat.v4.new_output(
                "execute_result", data=format_dict, metadata=md_dict or {},
                execution_count=self.shell.execution_count))

        def finish_displayhook(self):
            pass

    class Shell(InteractiveShell):
        def enable_gui(self, gui=None):  # inline charts need no GUI event loop
            pass

    config = Config()
    config.HistoryManager.enabled = False  # parallel notebooks must not share a history file
    shell = Shell.instance(config=config)
    shell.display_pub = Publisher(shell=shell)
    hook = Hook(shell=shell, cache_size=0)
    shell.displayhook = hook
    shell.display_trap.hook = hook
    shell.enable_matplotlib("inline")
    return shell


def run_cells(nb, *, cell_timeout: int, notebook_timeout: int,
              report: Callable[[int], None] = lambda i: None):
    """Execute ``nb``'s code cells in order, in this process; returns None or the failure
    (cell index, error name, error value). A cell may run ``cell_timeout`` seconds and all
    cells together ``notebook_timeout``."""
    import sys
    import warnings

    warnings.simplefilter("ignore", DeprecationWarning)
    outputs_ref: list = [[]]
    shell = _shell(outputs_ref)
    signal.signal(signal.SIGALRM, _alarm)
    count = 0
    started = time.monotonic()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        report(index)
        remaining = notebook_timeout - (time.monotonic() - started)
        limit = min(cell_timeout, remaining)
        if limit <= 0:
            return index, "Timeout", f"notebook time limit of {notebook_timeout}s reached"
        count += 1
        cell.outputs = []
        outputs_ref[0] = cell.outputs
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Stream("stdout", cell.outputs), _Stream("stderr", cell.outputs)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            result = shell.run_cell(cell.source, store_history=False, silent=False)
        except _CellTimeout:
            result = None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = saved
        cell.execution_count = count
        error = _CellTimeout() if result is None else (result.error_before_exec
                                                       or result.error_in_exec)
        if isinstance(error, _CellTimeout):
            return index, "Timeout", (f"cell stopped after {limit:.0f}s (limits: {cell_timeout}s "
                                      f"per cell, {notebook_timeout}s per notebook)")
        if error is not None:
            return index, type(error).__name__, str(error)[:500]
    return None


def _child(path: str, env: dict[str, str], cell_timeout: int, notebook_timeout: int,
           conn) -> None:
    """One notebook, start to finish, in a freshly forked process."""
    import atexit

    import jupytext
    import nbformat

    os.environ.clear()  # the notebook gets the allow-listed environment, not the build's
    os.environ.update(env)
    os.chdir(Path(path).parent)
    started = time.monotonic()
    nb = jupytext.read(path, fmt="py:percent")
    failure = None
    try:
        failure = run_cells(nb, cell_timeout=cell_timeout, notebook_timeout=notebook_timeout,
                            report=lambda i: conn.send(("cell", i)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        failure = (None, type(exc).__name__, str(exc)[:500])
    finally:
        atexit._run_exitfuncs()  # close private database copies; the process ends with _exit
    conn.send(("done", {"path": path, "nb": nbformat.writes(nb),
                        "seconds": time.monotonic() - started, "failure": failure}))
    conn.close()


def run_all(paths: Iterable[str], *, workers: int, env: dict[str, str], cell_timeout: int,
            notebook_timeout: int, on_result: Callable[[dict], None]) -> None:
    """Run every notebook, ``workers`` at a time, and hand each result to ``on_result`` as
    soon as it finishes (the caller alone writes the cache)."""
    for key, value in env.items():  # the fork server starts with the build's environment
        os.environ.setdefault(key, value)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    queue = list(paths)
    running: dict = {}  # connection -> [process, path, started, current cell]
    while queue or running:
        while queue and len(running) < workers:
            path = queue.pop(0)
            parent_end, child_end = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, daemon=True,
                               args=(path, env, cell_timeout, notebook_timeout, child_end))
            proc.start()
            child_end.close()
            running[parent_end] = [proc, path, time.monotonic(), None]
        for conn in wait_for(list(running), timeout=0.2):
            proc, path, started, cell = running[conn]
            try:
                kind, payload = conn.recv()
            except EOFError:
                del running[conn]
                proc.join()
                on_result({"path": path, "nb": None, "seconds": time.monotonic() - started,
                           "failure": (cell, "DeadKernelError",
                                       f"the notebook process ended with code {proc.exitcode}")})
                continue
            if kind == "cell":
                running[conn][3] = payload
            else:
                del running[conn]
                proc.join()
                on_result(payload)
        now = time.monotonic()
        for conn, (proc, path, started, cell) in list(running.items()):
            if now - started > notebook_timeout + GRACE_SECONDS:
                proc.kill()
                proc.join()
                del running[conn]
                on_result({"path": path, "nb": None, "seconds": now - started,
                           "failure": (cell, "Timeout",
                                       f"notebook time limit of {notebook_timeout}s reached; "
                                       "its process was stopped")})
