"""Translated schema statements kept on disk, so a fresh process does not re-run sqlglot.

Parsing the table DDL and translating the views costs about a second per process; the result
only changes when the SQL files, the code of ``tsql`` and ``schema`` or sqlglot change. Entries are
JSON files in the user cache folder (``$XDG_CACHE_HOME/holocron-notebooks/schema``), named by
a SHA-256 over all of those. A folder that cannot be written only means no cache.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from holocron_lib.fingerprint import LIBRARY, source_files, tree_fingerprint
from holocron_lib.schema.model import Column, ForeignKey, SchemaModel, Table

_PACKAGE = Path(__file__).resolve().parent
_FORMAT = "1"
_KEEP_SECONDS = 14 * 24 * 3600


def cache_dir() -> Path:
    """Where entries live: the XDG user cache folder, else ``~/.cache``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "holocron-notebooks" / "schema"


@functools.cache
def _code_key() -> str:
    """SHA-256 over the modules of ``tsql`` and ``schema`` and sqlglot's version (once per process)."""
    import sqlglot

    code = source_files(LIBRARY / "tsql", (".py",)) + source_files(_PACKAGE, (".py",))
    return tree_fingerprint(code, base=LIBRARY,
                            extra=f"format {_FORMAT}; sqlglot {sqlglot.__version__}")


def source_key(inputs: list[Path]) -> str:
    """SHA-256 over the input files (name and bytes) and the translator code."""
    return tree_fingerprint(inputs, extra=_code_key())


def cached(name: str, build: Callable[[], Any], inputs: list[Path]) -> Any:
    """The JSON-able value ``build()`` makes of ``inputs``, read from disk when unchanged."""
    key = source_key(inputs)
    path = cache_dir() / f"{name}-{key[:24]}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry.get("key") == key:
            return entry["value"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # absent, unreadable or torn: rebuild it
    value = build()
    _store(path, name, {"key": key, "value": value})
    return value


def _store(path: Path, name: str, entry: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Another process may build the same entry at the same time: write, then rename.
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        # Entries of other sources stay a while (tests and checkouts alternate), then go.
        cutoff = time.time() - _KEEP_SECONDS
        for old in path.parent.glob(f"{name}-*.json"):
            if old != path and old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home only costs the translation next time


def model_to_json(model: SchemaModel) -> list[dict]:
    """The schema model as plain JSON values (tuples become lists)."""
    return [{
        "schema": t.schema, "name": t.name,
        "columns": [vars(c) for c in t.columns],
        "primary_key": t.primary_key, "unique_keys": t.unique_keys,
        "filtered_unique_indexes": t.filtered_unique_indexes,
        "foreign_keys": [vars(fk) for fk in t.foreign_keys],
        "checks": t.checks,
    } for t in model.tables]


def model_from_json(tables: list[dict]) -> SchemaModel:
    """The inverse of ``model_to_json``: equal (``==``) to the model that was written."""
    def fk(d: dict) -> ForeignKey:
        return ForeignKey(d["name"], d["table"], tuple(d["columns"]), d["ref_table"],
                          tuple(d["ref_columns"]))

    return SchemaModel(tuple(Table(
        schema=t["schema"], name=t["name"],
        columns=tuple(Column(**c) for c in t["columns"]),
        primary_key=tuple(t["primary_key"]),
        unique_keys=tuple(tuple(k) for k in t["unique_keys"]),
        filtered_unique_indexes=tuple((n, tuple(cols), where)
                                      for n, cols, where in t["filtered_unique_indexes"]),
        foreign_keys=tuple(fk(f) for f in t["foreign_keys"]),
        checks=tuple(t["checks"]),
    ) for t in tables))
