"""Builds the seeded DuckDB file atomically: schema + seed files into a temp file, then rename.

A failed build leaves the previous database untouched. A sidecar ``<db>.meta.json`` records
what went in (scale, seed, as-of, source, row counts, a fingerprint of the seed data + SQL),
so two builds of the same data are recognisably the same.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from holocron_lib.fingerprint import LIBRARY, source_files, tree_fingerprint
from holocron_lib.schema.apply import apply_schema, check_foreign_keys
from holocron_lib.seed.file import SeedFile, read_seed_file, seed_paths
from holocron_lib.seed.gcpause import gc_paused
from holocron_lib.seed.load import load_seed_dir, load_seed_files
from holocron_lib.settings import load_settings
from holocron_lib.synthetic import seed_files, write_lake

__all__ = [
    "BuildReport",
    "SeedFile",
    "build_database",
    "fingerprint",
    "load_seed_dir",
    "load_seed_files",
    "meta_path",
    "read_meta",
    "read_seed_file",
    "synthetic_fingerprint",
]

SQL_DIR = LIBRARY / "schema" / "sql"
SYNTHETIC_DIR = LIBRARY / "synthetic"


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
    return tree_fingerprint(seed_files, extra="seed files; " + _sql_fingerprint())


def synthetic_fingerprint(scale: int, seed: int, as_of: datetime) -> str:
    """SHA-256 over what synthetic data is a pure function of, and the SQL files.

    That is the generator's arguments, its source and the Python version (the random
    streams); hashing them identifies the data without serialising it.
    """
    arguments = (f"synthetic:{scale}:{seed}:{as_of.isoformat()}:"
                 f"python {sys.version_info[0]}.{sys.version_info[1]}")
    return tree_fingerprint(source_files(SYNTHETIC_DIR, (".py",)), base=SYNTHETIC_DIR,
                            extra=f"{arguments}; {_sql_fingerprint()}")


def _sql_fingerprint() -> str:
    return "sql " + tree_fingerprint(source_files(SQL_DIR, (".sql",)), base=SQL_DIR)


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
    violations = check_foreign_keys(con)
    if violations:
        say(f"warning: {len(violations)} foreign key(s) do not hold in this seed data:")
        for violation in violations:
            say(f"  {violation}")


def _load(db_file: Path, files: list[SeedFile], as_of: datetime, synthetic: bool,
          say: Callable[[str], None]) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db_file))
    try:
        # One transaction: committing each CREATE on its own costs a WAL sync per statement.
        con.execute("BEGIN TRANSACTION")
        apply_schema(con)
        con.execute("COMMIT")
        # Our generator must produce consistent data: any orphan is an error there.
        counts = load_seed_files(con, files, progress=say, load_time=as_of,
                                 check_fks=synthetic)
        if not synthetic:
            _warn_references(con, say)
        con.execute("CHECKPOINT").fetchall()
    finally:
        con.close()
    return counts


def _seed_input(scale: int, seed_dir: Path | None, seed: int, as_of: datetime,
                lake_root: Path | None, say: Callable[[str], None], pool: ThreadPoolExecutor
                ) -> tuple[list[SeedFile], str, str, Future | None]:
    """The parsed seed files, the source name, the fingerprint of what goes in, and the
    lake files being written (synthetic data only)."""
    if seed_dir is not None:
        seed_dir = Path(seed_dir)
        paths = seed_paths(seed_dir)
        return [read_seed_file(p) for p in paths], seed_dir.name, fingerprint(paths), None

    if lake_root is None:
        lake_root = load_settings().lake_root
    # Generated rows go straight to the loader: writing and re-reading them as JSON would
    # only cost time, and the same envelope and row checks run on them in memory.
    files, lake_files = seed_files(scale=scale, seed=seed, as_of=as_of)
    say(f"synthetic seed data generated (scale {scale}, seed {seed})")
    # Creating thousands of small files waits on the disk, so it overlaps the load.
    lake = pool.submit(write_lake, Path(lake_root), lake_files)
    return files, "synthetic", synthetic_fingerprint(scale, seed, as_of), lake


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
        with gc_paused(), ThreadPoolExecutor(max_workers=1) as pool:
            files, source, print_, lake = _seed_input(scale, seed_dir, seed, as_of, lake_root,
                                                      say, pool)
            counts = _load(tmp_db, files, as_of, synthetic, say)
            if lake is not None:
                lake.result()
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
