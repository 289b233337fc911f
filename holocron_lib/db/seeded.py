"""Builds the seeded DuckDB file atomically: schema + seed files into a temp file, then rename.

A failed build leaves the previous database untouched. A sidecar ``<db>.meta.json`` records
what went in (scale, seed, as-of, source, subset, row counts, a fingerprint of the seed data
+ SQL), so two builds of the same data are recognisably the same, and what the data breaks:
the foreign keys and filtered unique indexes that outside seed data does not keep (the
build warns about each, since the embedded database enforces neither).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from holocron_lib.db.sidecar import meta_path
from holocron_lib.db.subset import Subset, clear_dangling
from holocron_lib.errors import SeedError
from holocron_lib.fingerprint import LIBRARY, source_files, tree_fingerprint
from holocron_lib.schema.apply import apply_schema, check_foreign_keys
from holocron_lib.schema.ddl import load_schema_model
from holocron_lib.schema.indexes import check_filtered_unique_indexes
from holocron_lib.seed.file import SeedFile, read_seed_file, seed_paths
from holocron_lib.seed.gcpause import gc_paused
from holocron_lib.seed.load import load_seed_dir, load_seed_files
from holocron_lib.settings import load_settings
from holocron_lib.synthetic import seed_files as generated_seed_files
from holocron_lib.synthetic import write_lake

__all__ = [
    "BuildReport",
    "SeedFile",
    "Subset",
    "build_database",
    "fingerprint",
    "load_seed_dir",
    "load_seed_files",
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
    unique_index_violations: tuple = ()  # schema.indexes.UniqueIndexViolation
    foreign_key_violations: tuple = ()  # schema.apply.ForeignKeyViolation


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


def _report_violations(con, say: Callable[[str], None], synthetic: bool, fks_checked: bool
                       ) -> tuple[list, list]:
    """Declared constraints the data breaks are reported, not fatal (outside data is theirs).

    The embedded database enforces neither foreign keys nor filtered unique indexes, so a
    build that printed nothing would pass such data off as sound. Our own generator must
    keep every foreign key (a broken one is a bug there); its index violations are reported
    like anyone's.
    """
    references = [] if fks_checked else check_foreign_keys(con)
    if references and synthetic:
        raise SeedError("synthetic", f"foreign key broken after the build: {references[0]}")
    if references:
        say(f"warning: {len(references)} foreign key(s) do not hold in this seed data:")
        for violation in references:
            say(f"  {violation}")
    duplicates = check_filtered_unique_indexes(con)
    if duplicates:
        say(f"warning: {len(duplicates)} filtered unique index(es) do not hold in this seed "
            "data (SQL Server would refuse these rows):")
        for violation in duplicates:
            say(f"  {violation}")
    return references, duplicates


@dataclass
class _Loaded:
    counts: dict[str, int]
    references: list
    duplicates: list
    lake_uris: set[str] | None  # the lake files the kept rows name; None: all of them


def _load(db_file: Path, files: list[SeedFile], as_of: datetime, synthetic: bool,
          trimmed: set[str], say: Callable[[str], None]) -> _Loaded:
    import duckdb

    con = duckdb.connect(str(db_file))
    try:
        # One transaction: committing each CREATE on its own costs a WAL sync per statement.
        con.execute("BEGIN TRANSACTION")
        apply_schema(con)
        con.execute("COMMIT")
        # Our generator must produce consistent data: any orphan is an error there. A subset
        # orphans rows on purpose until clear_dangling has followed the keys.
        counts = load_seed_files(con, files, progress=say, load_time=as_of,
                                 check_fks=synthetic and not trimmed)
        lake_uris = None
        if trimmed:
            for table, n in clear_dangling(con, load_schema_model(), trimmed).items():
                counts[table] -= n
                say(f"{table:<44} {-n:>9,} rows that pointed at rows left out")
            lake_uris = {uri for (uri,) in con.execute(
                "SELECT lake_uri FROM llm.artifact WHERE lake_uri IS NOT NULL UNION "
                "SELECT lake_uri FROM llm.evidence_bundle WHERE lake_uri IS NOT NULL").fetchall()}
        references, duplicates = _report_violations(con, say, synthetic,
                                                    fks_checked=synthetic and not trimmed)
        con.execute("CHECKPOINT").fetchall()
    finally:
        con.close()
    return _Loaded(counts, references, duplicates, lake_uris)


def _seed_input(scale: int, seed_dir: Path | None, seed: int, as_of: datetime,
                say: Callable[[str], None]
                ) -> tuple[list[SeedFile], str, str, list[tuple[str, str]]]:
    """The parsed seed files, the source name, the fingerprint of what goes in, and the
    lake files (synthetic data only)."""
    if seed_dir is not None:
        seed_dir = Path(seed_dir)
        paths = seed_paths(seed_dir)
        return [read_seed_file(p) for p in paths], seed_dir.name, fingerprint(paths), []
    # Generated rows go straight to the loader: writing and re-reading them as JSON would
    # only cost time, and the same envelope and row checks run on them in memory.
    files, lake_files = generated_seed_files(scale=scale, seed=seed, as_of=as_of)
    say(f"synthetic seed data generated (scale {scale}, seed {seed})")
    return files, "synthetic", synthetic_fingerprint(scale, seed, as_of), lake_files


def _subset_fingerprint(print_: str, subset: Subset) -> str:
    if subset.whole:
        return print_
    described = json.dumps(subset.describe(), sort_keys=True)
    return hashlib.sha256(f"{print_}:subset:{described}".encode()).hexdigest()


def build_database(output: Path, *, scale: int = 1, seed_dir: Path | None = None,
                   seed: int = 42, as_of: datetime | None = None, lake_root: Path | None = None,
                   progress: Callable[[str], None] | None = None,
                   subset: Subset | None = None) -> BuildReport:
    """Build ``output`` from seed files (synthetic ones unless ``seed_dir`` is given).

    The database is written beside ``output`` under a temporary name and renamed over it
    only when complete; the sidecar follows. Row timestamps come from ``as_of`` (default:
    the start of the current UTC day), never from the clock, so rebuilds are identical.
    ``subset`` keeps only part of the data (see ``db.subset``); the lake then receives
    only the files that the kept artifacts and bundles name, and none when they are empty.
    """
    started = time.perf_counter()
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    as_of = _utc(as_of)
    say = progress or (lambda _line: None)
    synthetic = seed_dir is None
    subset = (subset or Subset()).validate(load_schema_model())
    if synthetic and lake_root is None:
        lake_root = load_settings().lake_root
    tmp_db = output.with_name(f".{output.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    tmp_meta = tmp_db.with_name(tmp_db.name + ".meta")
    try:
        with gc_paused(), ThreadPoolExecutor(max_workers=1) as pool:
            files, source, print_, lake_files = _seed_input(scale, seed_dir, seed, as_of, say)
            files, trimmed = subset.apply(files)
            lake = None
            if lake_files and not trimmed:
                # Creating thousands of small files waits on the disk, so it overlaps the load.
                lake = pool.submit(write_lake, Path(lake_root), lake_files)
            loaded = _load(tmp_db, files, as_of, synthetic, trimmed, say)
            if lake is not None:
                lake.result()
            elif lake_files and loaded.lake_uris:
                write_lake(Path(lake_root), [f for f in lake_files if f[0] in loaded.lake_uris])
        seconds = round(time.perf_counter() - started, 3)
        print_ = _subset_fingerprint(print_, subset)
        meta = {
            "scale": scale if synthetic else None,
            "seed": seed if synthetic else None,
            "as_of": as_of.isoformat(),
            "source": source,
            "subset": subset.describe() or None,
            "row_counts": loaded.counts,
            "fingerprint": print_,
            "built_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": seconds,
            "unique_index_violations": [v.record() for v in loaded.duplicates],
            "foreign_key_violations": [_fk_record(v) for v in loaded.references],
        }
        tmp_meta.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp_db, output)
        os.replace(tmp_meta, meta_path(output))
    finally:
        _remove(tmp_db, tmp_db.with_name(tmp_db.name + ".wal"), tmp_meta)
    return BuildReport(path=output, rows=sum(loaded.counts.values()), tables=loaded.counts,
                       seconds=seconds, fingerprint=print_,
                       unique_index_violations=tuple(loaded.duplicates),
                       foreign_key_violations=tuple(loaded.references))


def _fk_record(violation) -> dict:
    return {"name": violation.name, "table": violation.table,
            "columns": list(violation.columns), "ref_table": violation.ref_table,
            "orphan_rows": violation.orphan_count,
            "sample": [str(v) if not isinstance(v, int | str) else v
                       for v in violation.sample]}
