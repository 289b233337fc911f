"""The `<db>.meta.json` sidecar `holocron db build` writes beside a seeded database file.

It records what the file was built from (source, scale, seed fingerprint, row counts, the
constraints the data breaks). Read by `db info`, the working database (is it behind?) and a
run's lineage, none of which should pay for importing the builder.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["meta_path", "read_meta"]


def meta_path(db_path: Path) -> Path:
    """The sidecar that describes a built (seeded) database file."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".meta.json")


def read_meta(db_path: Path) -> dict | None:
    """The sidecar's contents, or None when the database was not built here."""
    path = meta_path(db_path)
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
