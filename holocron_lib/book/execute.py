"""Execute the book's stale notebooks in parallel, into the same cache the book reads.

Jupyter Book executes notebooks one at a time while Sphinx reads them, and its cache
(jupyter-cache) keys on code cells only. Here each notebook's cache record also carries a
*salt*: a hash of the library source and of the seeded database. A notebook is stale when
its code cells have no cached execution or the salt changed. Stale notebooks run in a
process pool sized to the cores; each worker hands the executed notebook back and only
this process writes the cache (its SQLite store does not like concurrent writers). Each
worker bounds the whole notebook, not just each cell, and names notebook and cell on
failure. The names of re-executed notebooks are written for the Sphinx extension, which
makes Sphinx re-read them even when their source did not change.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from holocron_lib.errors import NotebookExecutionError
from holocron_lib.fingerprint import library_fingerprint, tree_fingerprint

CACHE_DIR = Path(".holocron") / "jupyter_cache"
REEXECUTED_FILE = "holocron-reexecuted.json"
SALT_KEY = "holocron_salt"


@dataclass(frozen=True)
class ExecutionOutcome:
    name: str
    seconds: float
    status: str  # executed | cached | failed
    error: str | None = None


def data_fingerprint(db_path: Path) -> str:
    """The seeded data's identity: the build's content fingerprint, else the file's bytes.

    A rebuild of the same seed data writes a file whose bytes may differ while its rows do
    not; the builder's sidecar fingerprint (seed files + schema) keeps that from
    re-executing the book. Without a sidecar any changed byte re-executes everything.
    """
    # lazy: db.seeded brings the loader, DuckDB and sqlglot (a second), for one file name
    from holocron_lib.db.seeded import read_meta

    try:
        recorded = (read_meta(db_path) or {}).get("fingerprint")
    except (ValueError, AttributeError):  # a torn or foreign sidecar: fall back to the bytes
        recorded = None
    if recorded:
        return "seed:" + str(recorded)
    return tree_fingerprint([db_path] if db_path.exists() else [])


def execution_salt(db_path: Path) -> str:
    return hashlib.sha256(
        (library_fingerprint() + ":" + data_fingerprint(db_path)).encode()
    ).hexdigest()[:32]


def _read_notebook(path: Path):
    import jupytext

    return jupytext.read(path, fmt="py:percent")


def _execute_in_worker(path: str, env: dict[str, str], cell_timeout: int,
                       notebook_timeout: int) -> dict:
    """Run one notebook on a fresh kernel (in a worker process); never raises."""
    os.environ.clear()  # the kernel inherits this: the allow-listed environment only
    os.environ.update(env)
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = _read_notebook(Path(path))
    # record_timing off: the cache hashes cell metadata, and timings would change the key
    client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    started = time.monotonic()
    failure = None
    current = None
    try:
        # The kernel's own start-up chatter (transport warnings) is not build progress.
        with client.setup_kernel(stderr=subprocess.DEVNULL):
            # The notebook's time limit bounds its cells, not the kernel's start-up, which
            # depends on how busy the machine is.
            cells_started = time.monotonic()
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                current = index
                remaining = notebook_timeout - (time.monotonic() - cells_started)
                if remaining <= 0:
                    raise CellTimeoutError(f"notebook time limit of {notebook_timeout}s reached")
                client.timeout = int(max(1, min(cell_timeout, remaining)))
                client.execute_cell(cell, index)
    except CellExecutionError as exc:
        failure = (current, getattr(exc, "ename", "CellExecutionError"),
                   getattr(exc, "evalue", str(exc))[:500])
    except (CellTimeoutError, TimeoutError) as exc:
        failure = (current, "Timeout", f"{exc} (limit {notebook_timeout}s per notebook)")
    except DeadKernelError as exc:
        failure = (current, "DeadKernelError", str(exc)[:500])
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises
        failure = (current, type(exc).__name__, str(exc)[:500])
    seconds = time.monotonic() - started
    return {"path": path, "nb": nbformat.writes(nb), "seconds": seconds, "failure": failure}


def stale_notebooks(root: Path, names: list[str], salt: str, cache) -> list[str]:
    """Names whose code has no cached execution under the current salt."""
    stale = []
    for name in names:
        nb = _read_notebook(root / f"{name}.py")
        try:
            record = cache.match_cache_notebook(nb)
        except KeyError:
            stale.append(name)
            continue
        if (record.data or {}).get(SALT_KEY) != salt:
            stale.append(name)
    return stale


def execute_stale(
    root: Path,
    names: list[str],
    *,
    db_path: Path,
    env: dict[str, str],
    workers: int | None = None,
    cell_timeout: int = 180,
    notebook_timeout: int = 300,
    progress: Callable[[str], None] = print,
    executor: str = "fork",
    salt: str | None = None,
) -> list[ExecutionOutcome]:
    """Execute every stale notebook in parallel and cache the results; raise on the first failure.

    ``executor`` "fork" runs each notebook in a process forked from a server that preloaded
    the heavy imports (see ``forkexec``); "kernel" starts a Jupyter kernel per notebook.
    ``salt`` is ``execution_salt(db_path)`` when the caller has already computed it.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache_path = root / CACHE_DIR
    cache = get_cache(cache_path)
    salt = salt or execution_salt(db_path)
    stale = stale_notebooks(root, names, salt, cache)
    outcomes = [ExecutionOutcome(n, 0.0, "cached") for n in names if n not in stale]
    (cache_path / REEXECUTED_FILE).write_text(json.dumps([]), encoding="utf-8")
    if not stale:
        progress(f"all {len(names)} notebooks up to date in the execution cache")
        return outcomes
    workers = max(1, min(len(stale), workers or os.cpu_count() or 1))
    progress(f"executing {len(stale)} of {len(names)} notebooks on {workers} worker(s)")
    failures: list[NotebookExecutionError] = []
    done_names: list[str] = []
    started = time.monotonic()
    def record(result: dict) -> None:
        name = str(Path(result["path"]).relative_to(root).with_suffix(""))
        if result["failure"]:
            cell, ename, evalue = result["failure"]
            failures.append(NotebookExecutionError(name, cell, ename, evalue))
            progress(f"  FAILED    {name}  {result['seconds']:.1f}s  cell {cell}: {ename}")
            outcomes.append(ExecutionOutcome(name, result["seconds"], "failed",
                                             f"{ename}: {evalue}"))
            return
        nb = nbformat.reads(result["nb"], as_version=4)
        cache.cache_notebook_bundle(
            CacheBundleIn(nb, str(root / f"{name}.py"),
                          data={"execution_seconds": result["seconds"], SALT_KEY: salt}),
            check_validity=False, overwrite=True,
        )
        done_names.append(name)
        outcomes.append(ExecutionOutcome(name, result["seconds"], "executed"))
        progress(f"  executed  {name}  {result['seconds']:.1f}s  ok")

    paths = [str(root / f"{n}.py") for n in stale]
    if executor == "fork":
        from holocron_lib.book.forkexec import run_all

        run_all(paths, workers=workers, env=env, cell_timeout=cell_timeout,
                notebook_timeout=notebook_timeout, on_result=record)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending = [pool.submit(_execute_in_worker, p, env, cell_timeout, notebook_timeout)
                       for p in paths]
            while pending:
                finished, rest = wait(pending, return_when=FIRST_COMPLETED)
                pending = list(rest)
                for future in finished:
                    record(future.result())
    (cache_path / REEXECUTED_FILE).write_text(json.dumps(sorted(done_names)), encoding="utf-8")
    busy = sum(o.seconds for o in outcomes if o.status != "cached")
    progress(f"executed {len(done_names)} notebook(s), {len(failures)} failed, in "
             f"{time.monotonic() - started:.1f}s wall ({busy:.1f}s of kernel time)")
    if failures:
        raise failures[0]
    return outcomes
