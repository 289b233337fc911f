"""What a run ran and what it recorded, and runs side by side.

A run's *lineage* is taken as it starts executing: the notebook's code (a fingerprint of its
code cells, before parameters are injected), the library (its version, and a fingerprint of
the library files in the notebook's import closure, as the book's cache counts them), the
data (the seed data's fingerprint) and the target (`db.connection.describe_target`: the
embedded file's name, or the SQL Server database's name; never a path, host or login). Its
*results* are what the notebook recorded with `record()`, read back from the executed
notebook. `compare()` lines runs up row by row (parameters, lineage, results), each row
saying whether the runs differ there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from holocron_lib import __version__
from holocron_lib.db.connection import describe_target
from holocron_lib.execution.closure import LIBRARY, notebook_closure_files
from holocron_lib.execution.results import records_of
from holocron_lib.fingerprint import text_fingerprint, tree_fingerprint
from holocron_lib.service.records import Run
from holocron_lib.service.registry import NotebookInfo
from holocron_lib.service.tables import executions

# The lineage fields, in the order a comparison shows them.
LINEAGE_FIELDS = ("code_fingerprint", "library_version", "library_fingerprint",
                  "data_fingerprint", "data", "backend", "target")
RUN_FIELDS = ("notebook", "user", "status", "preset")
MAX_COMPARED = 20


def code_cells(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def notebook_lineage(info: NotebookInfo, settings, lib: Path = LIBRARY) -> dict[str, Any]:
    """The lineage of a run of ``info`` starting now under ``settings`` (``lib``: the
    holocron_lib folder whose files count, by default the one imported)."""
    import jupytext  # where runs execute, not with the API's listing routes

    sources = code_cells(jupytext.read(info.path, fmt="py:percent"))
    files = notebook_closure_files(sources, lib)
    target = describe_target(settings)
    return {
        "code_fingerprint": text_fingerprint(sources, extra="code cells"),
        "library_version": __version__,
        "library_fingerprint": tree_fingerprint(files, base=lib.parent,
                                                extra="import closure"),
        "data_fingerprint": target.data_fingerprint,
        "data": target.data,
        "backend": target.backend,
        "target": target.database,
    }


def save_lineage(store, run_id: int, lineage: dict[str, Any]) -> None:
    with store.writing() as conn:
        conn.execute(executions.update().where(executions.c.id == run_id)
                     .values(lineage=lineage))


def save_results_of(store, run_id: int, nb) -> dict[str, Any]:
    """Store the results recorded in the executed notebook ``nb``; returns them."""
    results = records_of(nb)
    with store.writing() as conn:
        conn.execute(executions.update().where(executions.c.id == run_id)
                     .values(results=results))
    return results


_ABSENT = object()  # a parameter or result the run does not have (unlike a None value)


@dataclass(frozen=True)
class Row:
    section: str  # run | parameters | lineage | results
    name: str
    values: tuple[Any, ...]  # one per run; None where hidden or absent
    absent: tuple[bool, ...]  # the run has no such parameter or result (or hides it)
    differs: bool

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "name": self.name, "values": list(self.values),
                "absent": list(self.absent), "differs": self.differs}


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _row(section: str, name: str, values: list[Any], counted: list[bool]) -> Row:
    """A row; ``counted`` leaves out the runs whose value is hidden from the difference."""
    considered = [v for v, c in zip(values, counted, strict=True) if c]
    present = [v for v in considered if v is not _ABSENT]
    differs = len({_key(v) for v in present}) > 1 or 0 < len(present) < len(considered)
    return Row(section, name, tuple(None if v is _ABSENT else v for v in values),
               tuple(v is _ABSENT for v in values), differs)


def _plain(value: Any) -> Any:
    return None if value is None else str(value)


def _names(dicts: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for d in dicts:
        seen.update(dict.fromkeys(d))
    return list(seen)


def compare(runs: list[Run], *, visible: list[bool] | None = None) -> list[Row]:
    """The runs' parameters, lineage and results side by side, in that order.

    ``visible`` says, per run, whether its parameters and results may be shown (a viewer
    sees those of other users' runs only as a summary); a hidden value counts as absent and
    marks no difference. A run recorded before lineage existed has none.
    """
    shown = visible or [True] * len(runs)
    everyone = [True] * len(runs)
    rows = [_row("run", f, [_plain(getattr(r, f)) for r in runs], everyone)
            for f in RUN_FIELDS]

    def section(name: str, dicts: list[dict[str, Any]], counted: list[bool]) -> None:
        rows.extend(_row(name, key, [d.get(key, _ABSENT) for d in dicts], counted)
                    for key in _names(dicts))

    section("parameters", [r.parameters if ok else {} for r, ok in zip(runs, shown,
                                                                         strict=True)], shown)
    lineages = [r.lineage or {} for r in runs]
    rows += [_row("lineage", f, [lin.get(f, _ABSENT) for lin in lineages], everyone)
             for f in LINEAGE_FIELDS]
    section("results", [r.results if ok else {} for r, ok in zip(runs, shown, strict=True)],
            shown)
    return rows
