"""What a connection works on, fit to show anyone: the backend, a database name, the data.

The one description of a target, for a run's lineage, the book's execution record and
``Database.describe_target()``: the embedded backend by its file's name, how it is opened
(the working database, a private copy of the seeded file, or the seeded file read-only) and
the seed data's fingerprint (from the builder's sidecar, else the file's bytes; for the
working database, the seed data it was made from); SQL Server by database name only. Never
a directory, a host, a user, a password or a connection string.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from holocron_lib.db.sidecar import read_meta
from holocron_lib.db.workdb import read_origin

__all__ = ["Target", "embedded_target", "sqlserver_target", "working_target"]


@dataclass(frozen=True)
class Target:
    backend: str  # duckdb | sqlserver
    database: str  # the file's name, or the SQL Server database's name
    data_fingerprint: str | None  # what the data is; None for a live server's database
    data: str  # the same in words, for a reader
    kind: str  # seed (built here, with a sidecar) | file (without one) | working | sqlserver
    opened_as: str = "private copy"  # working database | private copy | read-only | SQL Server

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.database} ({self.opened_as})"


def embedded_target(db_path: Path, *, opened_as: str = "private copy") -> Target:
    """A DuckDB file: a rebuild of the same seed data writes a file whose bytes may differ
    while its rows do not, so the builder's sidecar fingerprint (seed files + schema)
    decides; without a sidecar any changed byte counts."""
    db_path = Path(db_path)
    try:
        meta = read_meta(db_path) or {}
    except ValueError:  # an unreadable sidecar: the file's bytes decide, as without one
        meta = {}
    if meta.get("fingerprint"):
        as_of = str(meta.get("as_of") or "")[:10]
        if meta.get("source") == "synthetic":
            words = f"synthetic seed data, scale {meta.get('scale')}"
            words += f", as of {as_of}" if as_of else ""
        else:
            words = (f"seed folder {Path(str(meta.get('source') or '?')).name}, fingerprint "
                     f"{str(meta['fingerprint'])[:12]}")
        return Target("duckdb", db_path.name, "seed:" + str(meta["fingerprint"]), words, "seed",
                      opened_as)
    digest = hashlib.sha256()
    if db_path.is_file():
        with db_path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    fingerprint = digest.hexdigest()
    return Target("duckdb", db_path.name, fingerprint,
                  f"database file {db_path.name} ({fingerprint[:12]})", "file", opened_as)


def working_target(work: Path, seeded: Path) -> Target:
    """The working database: named by its file, its data by the seed data it was made from
    (runs' writes since are not fingerprinted: they are the point of it). Before its first
    use it will be made from ``seeded``, so it describes that."""
    work = Path(work)
    made_from = read_origin(work).get("fingerprint")
    base = embedded_target(seeded)
    if made_from and base.data_fingerprint != "seed:" + str(made_from):
        data, words = "seed:" + str(made_from), (f"seed data {str(made_from)[:12]} (the seeded "
                                                 f"file was rebuilt since)")
    else:
        data, words = base.data_fingerprint, base.data
    return Target("duckdb", work.name, data, words + ", with the writes kept since",
                  "working", "working database")


def sqlserver_target(database: str | None) -> Target:
    """A SQL Server database, by name alone: its data changes under us, so no fingerprint."""
    name = database or "(default database)"
    return Target("sqlserver", name, None, f"SQL Server database {name}", "sqlserver",
                  "SQL Server")
