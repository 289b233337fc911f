"""Execute the book's notebooks that need it, in parallel, into the jupyter-cache the book reads.

Jupyter Book executes notebooks one at a time while Sphinx reads them, and jupyter-cache keys
on code cells only. Here, before Sphinx starts, each notebook in ``_toc.yml`` is matched in the
same cache (its code cells) and its record's data is compared with what the notebook depends on
beyond its code. A notebook re-executes, and the build says why, when:

- its code cells changed (``code changed``; ``not executed before`` for a new one),
- a library file in its own import closure changed (``library: holocron_lib/…``),
- the data it runs against changed (``data: seed fingerprint changed``),
- the book's execution settings changed (``execution settings changed``),
- or the caller asked (``forced``).

Stale notebooks run on the one executor (``execution.executor``), a warm kernel each, one per
core; results come back as each finishes and only this process writes the cache (its SQLite
store takes no parallel writers). The names of re-executed notebooks are added to a list the
Sphinx extension reads, which makes Sphinx re-read them even when their source did not change;
the site build empties it once the pages show them.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from holocron_lib.db.connection import describe_target
from holocron_lib.db.target import embedded_target
from holocron_lib.errors import NotebookExecutionError

CACHE_DIR = Path(".holocron") / "jupyter_cache"
REEXECUTED_FILE = "holocron-reexecuted.json"
REPORT_FILE = "holocron-execution.json"  # per notebook: how its cached outputs were made
RECORD_KEY = "holocron"  # our part of a cache record's data
# Environment variables that change what a kernel computes or draws.
SETTINGS_ENV = ("MPLBACKEND", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                "PYTHONHASHSEED", "TZ", "LANG")


@dataclass(frozen=True)
class ExecutionOutcome:
    name: str
    seconds: float
    status: str  # executed | cached | failed
    error: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class DataSource:
    """What the notebooks run against: a fingerprint to compare and words for a reader."""

    fingerprint: str
    description: str
    kind: str  # seed | file | sqlserver


@dataclass(frozen=True)
class Inputs:
    """Everything a notebook's outputs depend on beyond its code cells."""

    library: dict[str, str] = field(default_factory=dict)  # closure file -> content hash
    data: str = ""
    settings: str = ""


def data_source(settings) -> DataSource:
    """The data the book runs against, from the settings: SQL Server (by database name), or
    the seeded file (by its sidecar's fingerprint, else its bytes)."""
    if settings.backend == "sqlserver":
        target = describe_target(settings)
        host = settings.get("SEED_SQLSERVER_HOST") or ""
        digest = hashlib.sha256(f"{host}\0{target.database}".encode()).hexdigest()[:16]
        return DataSource(f"sqlserver:{digest}", target.data, "sqlserver")
    return seeded_file_source(settings.db_path)


def seeded_file_source(db_path: Path) -> DataSource:
    """The seeded file as a run's lineage names it (`db.target.embedded_target`)."""
    target = embedded_target(db_path)
    return DataSource(target.data_fingerprint or "", target.data, target.kind)


def execution_settings(root: Path, cell_timeout: int, env: dict[str, str]) -> str:
    """Hash of the book's execution settings: the `execute` section of _config.yml, the
    kernel environment that shapes outputs, and the Python and ipykernel versions."""
    import ipykernel
    import yaml

    config = {}
    config_file = root / "_config.yml"
    if config_file.is_file():
        config = (yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}).get("execute") or {}
    parts = {"execute": config, "cell_timeout": cell_timeout,
             "env": {k: env.get(k) for k in SETTINGS_ENV},
             "python": sys.version.split()[0], "ipykernel": ipykernel.__version__}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _read_notebook(path: Path):
    import jupytext

    return jupytext.read(path, fmt="py:percent")


GRAPH_FILE = "holocron-import-graph.json"  # the library's import graph, by source stamp
INDEX_FILE = "holocron-notebooks.json"  # per notebook source: its code's cache key, its imports


class LibraryClosures:
    """Each notebook's library closure, from one reading of the library's import graph
    (kept in ``cache_path`` while the library's files keep their sizes and times)."""

    def __init__(self, library: Path | None = None, cache_path: Path | None = None):
        # lazy: only the book's pre-execution needs the import graph
        from holocron_lib.execution import closure

        self._closure = closure
        self.lib = library or closure.LIBRARY
        self.base = self.lib.parent
        self.graph = self._graph(cache_path)
        self._modules = closure.library_modules(self.lib)
        self._data = closure.package_data(self.lib)
        self._hashes: dict[Path, str] = {}

    def _graph(self, cache_path: Path | None) -> dict[str, set[str]]:
        stamp = self._closure.library_stamp(self.lib)
        saved = cache_path / GRAPH_FILE if cache_path else None
        if saved is not None and saved.is_file():
            try:
                data = json.loads(saved.read_text(encoding="utf-8"))
                if data.get("lib") == str(self.lib) and data.get("stamp") == stamp:
                    return {k: set(v) for k, v in data["graph"].items()}
            except (ValueError, KeyError, AttributeError):
                pass
        graph = self._closure.import_graph(self.lib)
        if saved is not None and saved.parent.is_dir():
            saved.write_text(json.dumps({"lib": str(self.lib), "stamp": stamp, "graph": {
                k: sorted(v) for k, v in graph.items()}}), encoding="utf-8")
        return graph

    def imports_of(self, nb) -> list[str]:
        """The library modules ``nb``'s code cells import directly."""
        sources = [c.source for c in nb.cells if c.cell_type == "code"]
        return sorted(self._closure.imports_of_source(sources, self.graph))

    def files_for(self, imports: list[str]) -> dict[str, str]:
        """Closure file -> content hash, for a notebook importing ``imports``."""
        files = self._closure.closure_files(self._closure.closure(imports, self.graph),
                                            self.lib, known=self._modules, data=self._data)
        missing = [f for f in files if f not in self._hashes]
        self._hashes.update({f: h for f, h in zip(
            missing, self._closure.file_hashes(missing, self.base).values(), strict=True)})
        return {str(f.relative_to(self.base)): self._hashes[f] for f in files}

    def files_of(self, nb) -> dict[str, str]:
        return self.files_for(self.imports_of(nb))


def reason_to_execute(recorded: dict | None, inputs: Inputs, *, code_known: bool,
                      force: bool = False) -> str | None:
    """Why a notebook must run again, in words, or None when its cached outputs stand.

    ``recorded`` is our data in the cache record matching its code (None: no match);
    ``code_known`` says whether the cache holds this notebook under other code."""
    if force:
        return "forced"
    if recorded is None:
        return "code changed" if code_known else "not executed before"
    if recorded.get("settings") != inputs.settings:
        return "execution settings changed"
    if recorded.get("data") != inputs.data:
        old, new = str(recorded.get("data") or ""), inputs.data
        if old.startswith("seed:") and new.startswith("seed:"):
            return "data: seed fingerprint changed"
        if new.startswith("sqlserver:") or old.startswith("sqlserver:"):
            return "data: database changed"
        return "data: database file changed"
    before = recorded.get("library") or {}
    changed = sorted(f for f in set(before) | set(inputs.library)
                     if before.get(f) != inputs.library.get(f))
    if changed:
        more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
        return f"library: {changed[0]}{more}"
    return None


@dataclass
class Planned:
    name: str
    nb: object
    inputs: Inputs
    reason: str | None
    recorded: dict | None = None


def sources_changed(root: Path, names: list[str]) -> bool:
    """Whether a notebook's source changed since the last plan (by size and time), without
    parsing anything: a hint to start the kernel template early. A markdown edit says yes
    too; the plan decides."""
    index_file = root / CACHE_DIR / INDEX_FILE
    try:
        index = json.loads(index_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    for name in names:
        try:
            stat = (root / f"{name}.py").stat()
        except OSError:
            return True
        if (index.get(name) or {}).get("stat") != [stat.st_size, stat.st_mtime_ns]:
            return True
    return False


def plan(root: Path, names: list[str], cache, *, data: DataSource, settings_hash: str,
         force: bool = False, library: Path | None = None) -> list[Planned]:
    """Every notebook with what it depends on and why it must run (None: it need not).

    A notebook whose source file kept its size and time is not parsed again: its code's
    cache key and its imports come from the index kept beside the cache."""
    cache_path = Path(cache.path) if getattr(cache, "path", None) else None
    closures = LibraryClosures(library, cache_path)
    records = cache.list_cache_records()
    by_key = {r.hashkey: r for r in records}
    known_uris = {r.uri for r in records}
    index_file = cache_path / INDEX_FILE if cache_path else None
    try:
        index = json.loads(index_file.read_text(encoding="utf-8")) if index_file else {}
    except (OSError, ValueError):
        index = {}
    planned = []
    for name in names:
        path = root / f"{name}.py"
        stat = path.stat()
        entry = index.get(name) or {}
        nb = None
        if entry.get("stat") != [stat.st_size, stat.st_mtime_ns]:
            nb = _read_notebook(path)
            entry = {"stat": [stat.st_size, stat.st_mtime_ns],
                     "hashkey": cache.create_hashed_notebook(nb)[1],
                     "imports": closures.imports_of(nb)}
            index[name] = entry
        inputs = Inputs(closures.files_for(entry["imports"]), data.fingerprint, settings_hash)
        record = by_key.get(entry["hashkey"])
        recorded = ((record.data or {}).get(RECORD_KEY) or {}) if record else None
        reason = reason_to_execute(recorded, inputs, code_known=str(path) in known_uris,
                                   force=force)
        planned.append(Planned(name, nb, inputs, reason, recorded))
    if index_file is not None and index_file.parent.is_dir():
        index_file.write_text(json.dumps(index, sort_keys=True), encoding="utf-8")
    return planned


def execute_stale(
    root: Path,
    names: list[str],
    *,
    env: dict[str, str],
    data: DataSource,
    workers: int | None = None,
    cell_timeout: int = 180,
    notebook_timeout: int = 300,
    progress: Callable[[str], None] = print,
    force: bool = False,
    library: Path | None = None,
    while_executing: Callable[[bool], None] | None = None,
    results_ready: Callable[[], None] | None = None,
    template=None,
) -> list[ExecutionOutcome]:
    """Execute every notebook that needs it, in parallel, and cache the results; raise the
    first failure (after caching the rest). Each executed line says why it ran.
    ``library`` is the holocron_lib folder whose files count (default: the one imported);
    ``while_executing(one_round)`` is called as execution starts, for work that can overlap
    it; ``one_round`` says every stale notebook gets a kernel at once; ``results_ready`` once every notebook succeeded and the
    cache and the report hold them all (the kernels may still be shutting down);
    ``template`` is the ``KernelTemplate`` to fork kernels from (started when needed, closed
    here)."""
    if template is None:
        # lazy: the book's modules load without the kernel machinery
        from holocron_lib.execution.template_handle import KernelTemplate

        template = KernelTemplate(env)
    try:
        return _execute_planned(root, names, env=env, data=data, workers=workers,
                                cell_timeout=cell_timeout, notebook_timeout=notebook_timeout,
                                progress=progress, force=force, library=library,
                                while_executing=while_executing,
                                results_ready=results_ready, template=template)
    finally:
        template.close(now=True)


def _execute_planned(root, names, *, env, data, workers, cell_timeout, notebook_timeout,
                     progress, force, library, while_executing, results_ready, template):
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    # lazy: a build whose notebooks are all current never loads the executor
    from holocron_lib.execution.executor import Job, execute_notebooks

    cache_path = root / CACHE_DIR
    cache = get_cache(cache_path)
    planned = plan(root, names, cache, data=data,
                   settings_hash=execution_settings(root, cell_timeout, env), force=force,
                   library=library)
    stale = {p.name: p for p in planned if p.reason}
    if stale:
        template.start()  # its imports overlap reading the stale notebooks and Sphinx's start
    outcomes = [ExecutionOutcome(p.name, 0.0, "cached") for p in planned if not p.reason]
    marker = cache_path / REEXECUTED_FILE
    report = {p.name: _report_entry(p.recorded) for p in planned if not p.reason and p.recorded}
    if not stale:
        write_report(cache_path, report)
        progress(f"all {len(names)} notebooks up to date in the execution cache")
        return outcomes
    progress(f"executing {len(stale)} of {len(names)} notebooks")
    failures: list[NotebookExecutionError] = []
    done: list[str] = []
    started = time.monotonic()

    def record(result) -> None:
        item = stale[result.name]
        if result.failure:
            f = result.failure
            failures.append(NotebookExecutionError(item.name, f.cell, f.ename, f.evalue))
            where = f"cell {f.cell}" if f.cell is not None else "before its first cell"
            progress(f"  FAILED    {item.name}  {result.seconds:.1f}s  {where}: {f.ename}")
            outcomes.append(ExecutionOutcome(item.name, result.seconds, "failed",
                                             f"{f.ename}: {f.evalue}", item.reason))
            return
        ours = {"library": item.inputs.library, "data": item.inputs.data,
                "settings": item.inputs.settings, "reason": item.reason,
                "against": data.description, "seconds": round(result.seconds, 2),
                "executed_utc": datetime.now(UTC).isoformat(timespec="seconds")}
        cache.cache_notebook_bundle(
            CacheBundleIn(result.nb, str(root / f"{item.name}.py"),
                          data={"execution_seconds": result.seconds, RECORD_KEY: ours}),
            check_validity=False, overwrite=True)
        report[item.name] = _report_entry(ours)
        done.append(item.name)
        outcomes.append(ExecutionOutcome(item.name, result.seconds, "executed",
                                         reason=item.reason))
        progress(f"  executed  {item.name}  {result.seconds:.1f}s  ok  ({item.reason})")
        if len(done) == len(stale):
            _write_results()

    def _write_results() -> None:
        write_report(cache_path, report)
        # Added to the notebooks not yet shown on the site (the site build empties the list).
        shown_before = json.loads(marker.read_text(encoding="utf-8")) if marker.is_file() else []
        marker.write_text(json.dumps(sorted(set(shown_before) | set(done))), encoding="utf-8")
        if results_ready is not None and not failures:
            results_ready()

    jobs = [Job(p.name, p.nb if p.nb is not None else _read_notebook(root / f"{p.name}.py"),
                (root / p.name).parent) for p in stale.values()]
    if while_executing is not None:
        while_executing(len(jobs) <= (workers or os.cpu_count() or 1))
    execute_notebooks(jobs, env=env, workers=workers, cell_timeout=cell_timeout,
                      notebook_timeout=notebook_timeout, on_result=record, template=template,
                      no_later_kernels=True)  # the template is closed after this round
    if failures:
        _write_results()  # what did run stays cached and reported
    busy = sum(o.seconds for o in outcomes if o.status != "cached")
    progress(f"executed {len(done)} notebook(s), {len(failures)} failed, in "
             f"{time.monotonic() - started:.1f}s wall ({busy:.1f}s of kernel time)")
    if failures:
        raise failures[0]
    return outcomes


def _report_entry(recorded: dict) -> dict:
    return {k: recorded.get(k) for k in ("reason", "against", "seconds", "executed_utc")}


def write_report(cache_path: Path, report: dict) -> None:
    """How each notebook's cached outputs were made, for the report page and the line under
    each notebook's title; rewritten only when it changed (Sphinx re-reads what depends on it)."""
    path = cache_path / REPORT_FILE
    text = json.dumps(report, indent=1, sort_keys=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def cached_record(cache, nb) -> dict | None:
    """Our data in the cache record matching ``nb``'s code, or None."""
    try:
        return (cache.match_cache_notebook(nb).data or {}).get(RECORD_KEY)
    except KeyError:
        return None
