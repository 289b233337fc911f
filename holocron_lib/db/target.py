"""What a connection works on, fit to show anyone: the backend, a database name, the data.

The one description of a target, for a run's lineage, the book's execution record and
``Database.describe_target()``: the embedded backend by its file's name and the seed data's
fingerprint (from the builder's sidecar, else the file's bytes); SQL Server by database name
only. Never a directory, a host, a user, a password or a connection string.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Target", "embedded_target", "sqlserver_target"]


@dataclass(frozen=True)
class Target:
    backend: str  # duckdb | sqlserver
    database: str  # the file's name, or the SQL Server database's name
    data_fingerprint: str | None  # what the data is; None for a live server's database
    data: str  # the same in words, for a reader
    kind: str  # seed (built here, with a sidecar) | file (without one) | sqlserver

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


def _sidecar(db_path: Path) -> dict:
    meta_file = db_path.with_name(db_path.name + ".meta.json")
    if not meta_file.is_file():
        return {}
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def embedded_target(db_path: Path) -> Target:
    """A DuckDB file: a rebuild of the same seed data writes a file whose bytes may differ
    while its rows do not, so the builder's sidecar fingerprint (seed files + schema)
    decides; without a sidecar any changed byte counts."""
    db_path = Path(db_path)
    meta = _sidecar(db_path)
    if meta.get("fingerprint"):
        as_of = str(meta.get("as_of") or "")[:10]
        if meta.get("source") == "synthetic":
            words = f"synthetic seed data, scale {meta.get('scale')}"
            words += f", as of {as_of}" if as_of else ""
        else:
            words = (f"seed folder {Path(str(meta.get('source') or '?')).name}, fingerprint "
                     f"{str(meta['fingerprint'])[:12]}")
        return Target("duckdb", db_path.name, "seed:" + str(meta["fingerprint"]), words, "seed")
    digest = hashlib.sha256()
    if db_path.is_file():
        with db_path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    fingerprint = digest.hexdigest()
    return Target("duckdb", db_path.name, fingerprint,
                  f"database file {db_path.name} ({fingerprint[:12]})", "file")


def sqlserver_target(database: str | None) -> Target:
    """A SQL Server database, by name alone: its data changes under us, so no fingerprint."""
    name = database or "(default database)"
    return Target("sqlserver", name, None, f"SQL Server database {name}", "sqlserver")
