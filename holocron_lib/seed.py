"""Builds the seeded DuckDB file atomically: schema + seed files into a temp file, then rename.

A failed build leaves the previous database untouched. A sidecar ``<db>.meta.json`` records
what went in (scale, seed, as-of, source, row counts, a fingerprint of seeds + SQL), so two
builds of the same data are recognisably the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .seedfile import SeedFile, read_seed_file, seed_paths
from .seedload import load_seed_dir

__all__ = [
    "BuildReport",
    "SeedFile",
    "build_database",
    "fingerprint",
    "load_seed_dir",
    "meta_path",
    "read_meta",
    "read_seed_file",
]

SQL_DIR = Path(__file__).resolve().parent / "sql"


@dataclass(frozen=True)
class BuildReport:
    """What one build produced."""

    path: Path
    rows: int
    tables: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    fingerprint: str = ""


def meta_path(db_path: Path) -> Path:
    """The sidecar that describes a built database file."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".meta.json")


def read_meta(db_path: Path) -> dict | None:
    """The sidecar's contents, or None when the database was not built here."""
    path = meta_path(db_path)
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def fingerprint(seed_files: list[Path]) -> str:
    """SHA-256 over the seed files (name + bytes) and the schema/view SQL files."""
    digest = hashlib.sha256()
    for path in sorted(seed_files, key=lambda p: p.name):
        digest.update(b"seed:" + path.name.encode() + b"\0")
        digest.update(path.read_bytes())
    for path in sorted(SQL_DIR.rglob("*.sql")):
        digest.update(b"sql:" + path.relative_to(SQL_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        now = datetime.now(UTC)
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _remove(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def _warn_references(con, say: Callable[[str], None]) -> None:
    """Foreign keys that outside seed data breaks are reported, not fatal (it is theirs)."""
    from .schema import check_foreign_keys

    violations = check_foreign_keys(con)
    if violations:
        say(f"warning: {len(violations)} foreign key(s) do not hold in this seed data:")
        for violation in violations:
            say(f"  {violation}")


def _load(db_file: Path, seed_dir: Path, as_of: datetime, synthetic: bool,
          say: Callable[[str], None]) -> dict[str, int]:
    import duckdb

    from .schema import apply_schema

    con = duckdb.connect(str(db_file))
    try:
        apply_schema(con)
        # Our generator must produce consistent data: any orphan is an error there.
        counts = load_seed_dir(con, seed_dir, progress=say, load_time=as_of,
                               check_fks=synthetic)
        if not synthetic:
            _warn_references(con, say)
        con.execute("CHECKPOINT").fetchall()
    finally:
        con.close()
    return counts


def build_database(output: Path, *, scale: int = 1, seed_dir: Path | None = None,
                   seed: int = 42, as_of: datetime | None = None, lake_root: Path | None = None,
                   progress: Callable[[str], None] | None = None) -> BuildReport:
    """Build ``output`` from seed files (synthetic ones unless ``seed_dir`` is given).

    The database is written beside ``output`` under a temporary name and renamed over it
    only when complete; the sidecar follows. Row timestamps come from ``as_of`` (default:
    the start of the current UTC day), never from the clock, so rebuilds are identical.
    """
    started = time.perf_counter()
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    as_of = _utc(as_of)
    say = progress or (lambda _line: None)
    synthetic = seed_dir is None
    tmp_db = output.with_name(f".{output.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    tmp_meta = tmp_db.with_name(tmp_db.name + ".meta")
    try:
        with tempfile.TemporaryDirectory(prefix="holocron-seeds-") as scratch:
            if synthetic:
                from .synthetic import write_seed_dir

                if lake_root is None:
                    from .settings import load_settings

                    lake_root = load_settings().lake_root
                seed_dir = Path(scratch) / "seeds"
                seed_dir.mkdir()
                write_seed_dir(seed_dir, scale=scale, seed=seed, as_of=as_of,
                               lake_root=Path(lake_root))
                say(f"synthetic seed files written (scale {scale}, seed {seed})")
            seed_dir = Path(seed_dir)
            source = "synthetic" if synthetic else seed_dir.name
            files = seed_paths(seed_dir)
            print_ = fingerprint(files)
            counts = _load(tmp_db, seed_dir, as_of, synthetic, say)
        seconds = round(time.perf_counter() - started, 3)
        meta = {
            "scale": scale if synthetic else None,
            "seed": seed if synthetic else None,
            "as_of": as_of.isoformat(),
            "source": source,
            "row_counts": counts,
            "fingerprint": print_,
            "built_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": seconds,
        }
        tmp_meta.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp_db, output)
        os.replace(tmp_meta, meta_path(output))
    finally:
        _remove(tmp_db, tmp_db.with_name(tmp_db.name + ".wal"), tmp_meta)
    return BuildReport(path=output, rows=sum(counts.values()), tables=counts, seconds=seconds,
                       fingerprint=print_)
