"""Deterministic synthetic Holocron data: seed files for every schema plus the run lake.

``write_seed_dir`` writes one file per table in the Holocron seed-file format. The same
arguments always give byte-identical files: every value comes from seeded random streams
and from ``as_of``, never from the clock. ``scale`` multiplies the row counts of everything
but the small reference tables (franchise, continuity frames, eras, issue and event types).
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from json.encoder import c_make_encoder, encode_basestring
from pathlib import Path

from holocron_lib.seed.file import SeedFile, seed_file
from holocron_lib.seed.gcpause import gc_paused
from holocron_lib.synthetic.base import FILE_ORDER, Rand, SeedTable, file_name
from holocron_lib.synthetic.claims import build_claims, build_looks
from holocron_lib.synthetic.entity_hub import build_entities
from holocron_lib.synthetic.events import build_events, event_type_codes
from holocron_lib.synthetic.links import apply_promotion, build_relations, build_tags
from holocron_lib.synthetic.llm_history import build_pipeline
from holocron_lib.synthetic.reference import build_reference, build_works
from holocron_lib.synthetic.staging import build_ingest, build_sem, plan_pages
from holocron_lib.synthetic.vector import build_vector

__all__ = ["generate", "write_seed_dir", "seed_files", "default_as_of", "SeedTable"]

SEED_VERSION = "0.1.0"
# The C encoder behind ``json.dumps(row, ensure_ascii=False)``, made once instead of per row.
_ROW = c_make_encoder(None, None, encode_basestring, None, ": ", ", ", False, False, True)
DEFAULTS = {"IsActive": True, "IsLatest": True, "VersionNum": 1}


def default_as_of() -> datetime:
    """The start of the current UTC day, as a naive UTC datetime."""
    now = datetime.now(UTC)
    return datetime(now.year, now.month, now.day)


def generate(*, scale: int = 1, seed: int = 42, as_of: datetime | None = None
             ) -> tuple[list[SeedTable], list[tuple[str, str]]]:
    """All tables in file order, and the lake files as (path relative to the lake root, text)."""
    if scale < 1:
        raise ValueError(f"scale must be a positive integer, got {scale!r}")
    as_of = _naive_utc(as_of) if as_of is not None else default_as_of()
    with gc_paused():
        return _generate(scale, seed, as_of)


def _generate(scale: int, seed: int, as_of: datetime
              ) -> tuple[list[SeedTable], list[tuple[str, str]]]:
    def rng(section: str) -> Rand:
        return Rand(seed, section)

    tables = build_reference(rng("reference"))
    works_table, works = build_works(rng("works"), scale)
    tables[works_table.qualified] = works_table
    entity_tables, cast = build_entities(rng("entities"), scale)
    tables.update(entity_tables)
    event_tables, timeline = build_events(rng("events"), scale, works, cast, event_type_codes())
    tables.update(event_tables)
    pages = plan_pages(rng("pages"), scale, cast, as_of)
    tables.update(build_ingest(rng("ingest"), scale, pages, as_of))
    pipeline = build_pipeline(rng("pipeline"), scale, cast, pages, as_of)
    tables.update(pipeline.tables)
    tables.update(build_sem(rng("sem"), pages, as_of))
    claim_tables, _subjects = build_claims(rng("claims"), scale, cast, works, timeline,
                                           pipeline.bundles)
    tables.update(claim_tables)
    looks = build_looks(rng("looks"), scale, cast, timeline)
    tables[looks.qualified] = looks
    apply_promotion(rng("promotion"), cast, pages, pipeline, as_of)
    tables.update(build_tags(rng("tags"), scale, cast, pages, timeline, len(works), as_of))
    relations = build_relations(pipeline)
    tables[relations.qualified] = relations
    tables.update(build_vector(rng("vector"), scale, pages, as_of))
    ordered = [tables[name] for name in FILE_ORDER]
    return ordered, pipeline.lake_files


def write_seed_dir(out_dir: Path, *, scale: int = 1, seed: int = 42,
                   as_of: datetime | None = None, lake_root: Path | None = None) -> list[Path]:
    """Writes every seed file into ``out_dir`` (and the run lake under ``lake_root``)."""
    as_of = _naive_utc(as_of) if as_of is not None else default_as_of()
    tables, lake_files = generate(scale=scale, seed=seed, as_of=as_of)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    generated = as_of.strftime("%Y-%m-%dT%H:%M:%SZ")
    paths = []
    for table in tables:
        path = out_dir / file_name(table.qualified)
        path.write_bytes(_seed_text(table, generated).encode("utf-8"))
        paths.append(path)
    if lake_root is not None:
        write_lake(Path(lake_root), lake_files)
    return paths


def write_lake(lake_root: Path, lake_files: list[tuple[str, str]]) -> None:
    """Writes the run files; threads, because creating thousands of small files is I/O bound."""
    folders = sorted({os.path.join(lake_root, rel.rsplit("/", 1)[0]) for rel, _ in lake_files})
    for folder in folders:
        os.makedirs(folder, exist_ok=True)

    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)

    def write(item: tuple[str, str]) -> None:
        # os.open/os.write: no buffered file object, so less Python (and GIL) per file
        data = item[1].encode("utf-8")
        fd = os.open(os.path.join(lake_root, item[0]), flags, 0o666)
        try:
            while data:
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, lake_files, chunksize=64))


def seed_files(*, scale: int = 1, seed: int = 42, as_of: datetime | None = None
               ) -> tuple[list[SeedFile], list[tuple[str, str]]]:
    """What ``write_seed_dir`` would write, parsed, without the JSON round trip: the seed
    files and the lake files (for ``write_lake``).

    Each envelope passes the same validation as a file read from disk; a file's path is
    ``synthetic/<file name>``, so a loader error still names the file and row.
    """
    as_of = _naive_utc(as_of) if as_of is not None else default_as_of()
    tables, lake_files = generate(scale=scale, seed=seed, as_of=as_of)
    generated = as_of.strftime("%Y-%m-%dT%H:%M:%SZ")
    files = [seed_file(Path("synthetic") / file_name(t.qualified),
                       {**_head(t, generated), "rows": t.rows}) for t in tables]
    return files, lake_files


def _head(table: SeedTable, generated: str) -> dict:
    return {"seedVersion": SEED_VERSION, "generatedUtc": generated,
            "target": {"schema": table.schema, "table": table.table,
                       "naturalKey": table.natural_key, "loadBehavior": "truncate-insert"},
            "options": {"allowIdentityInsert": False, "ignoreUnknownFields": False,
                        "defaults": DEFAULTS}}


def _seed_text(table: SeedTable, generated: str) -> str:
    """The envelope, pretty enough to read, with one compact row per line (fast to encode)."""
    lines = json.dumps(_head(table, generated), ensure_ascii=False, indent=2)[:-2]
    rows = ",\n    ".join(["".join(_ROW(row, 0)) for row in table.rows])
    rows = "    " + rows if rows else ""
    return f'{lines},\n  "rows": [\n{rows}\n  ]\n}}\n' if rows else f'{lines},\n  "rows": []\n}}\n'


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value
