"""Seed-build benchmark: the bulk loader against a row-by-row baseline, at scale 1 and 10.

    python benchmarks/seed_build.py [--scales 1 10] [--baseline-cap 300]

For each scale it times:

- end-to-end: the whole synthetic `build_database` (generate, lake files, schema, load,
  foreign-key check, checkpoint, rename);
- loader-only: `build_database(seed_dir=...)` over the same data written as seed files
  beforehand (what `holocron db build --seed-dir` does: read, schema, load, checks, rename);
- `load_seed_dir` alone on a database whose schema is already in place (reads the JSON files);
- the load phase alone: `load_seed_files` on the generated seed files already in memory, on a
  database whose schema is already in place (no generation, no JSON, no schema; FK check in);
- where the time goes, in the same run: generating the rows in memory, writing the lake files
  alone, and the persist floor: DuckDB alone copying the built tables, already typed, into a
  fresh file with the same schema (keys and indexes) and writing it out. No Python runs per
  row there, so ``rows / floor`` bounds the rows/s any build of this database can reach on
  this machine;
- a baseline that follows the same rules but inserts row by row with `executemany`, as the
  real Holocron loader does on SQL Server, in the same run. It reads at most
  ``--baseline-cap`` rows per file (it runs at a few hundred rows a second; its rate does
  not depend on the file size).

Targets: scale 1 builds end to end in at most 3 s; scale 10 builds at 100,000 rows/s or more.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from holocron_lib.db.seeded import build_database, load_seed_dir, load_seed_files
from holocron_lib.schema.apply import apply_schema
from holocron_lib.seed.file import (
    derive_guid,
    order_seed_files,
    read_seed_file,
    row_hash,
    seed_paths,
    serialize_json_value,
)

AS_OF = datetime(2026, 1, 17, tzinfo=UTC)


def row_by_row(seed_dir: Path, cap: int) -> tuple[int, float]:
    """The naive path: prepare each row as a dict and insert it with executemany."""
    from holocron_lib.schema.ddl import load_schema_model

    model = load_schema_model()
    con = duckdb.connect()
    apply_schema(con, views=False)
    stamp = AS_OF.replace(tzinfo=None)
    started = time.perf_counter()
    total = 0
    for sf in order_seed_files([read_seed_file(p) for p in seed_paths(seed_dir)]):
        table = model.table(sf.full_name)
        names = {c.name for c in table.columns}
        ident = table.identity_column.name if table.identity_column else None
        guid = table.columns[1].name if table.schema == "dbo" else None
        batches: dict[tuple, list] = {}
        for number, raw in enumerate(sf.rows[:cap], start=1):
            row = {k: serialize_json_value(v) for k, v in raw.items()}
            for k, v in sf.defaults.items():
                row.setdefault(k, v)
            if guid and guid not in row and sf.natural_key:
                row[guid] = derive_guid(sf.schema, sf.table,
                                        [row.get(k, "") for k in sf.natural_key])
            for k in ("ValidFromUtc", "CreatedUtc"):
                if k in names:
                    row.setdefault(k, stamp)
            if "RowHash" in names:
                row["RowHash"] = row_hash(row, ident)
            if ident:
                row[ident] = number
            cols = tuple(k for k in row if k in names)
            batches.setdefault(cols, []).append([row[k] for k in cols])
        for cols, values in batches.items():
            marks = ", ".join("?" for _ in cols)
            quoted = ", ".join(f'"{c}"' for c in cols)
            con.executemany(f'INSERT INTO "{table.schema}"."{table.name}" ({quoted}) '
                            f"VALUES ({marks})", values)
            total += len(values)
    seconds = time.perf_counter() - started
    con.close()
    return total, seconds


def persist_floor(built: Path, target: Path) -> float:
    """Seconds DuckDB takes to insert every table of ``built`` into a fresh file with the same
    schema and to commit and checkpoint it: the write path with no Python per row.

    The source rows are copied into memory first (not timed), so reading them costs nothing
    a real build would not also pay."""
    con = duckdb.connect(str(target))
    try:
        con.execute("BEGIN TRANSACTION")
        apply_schema(con, views=False)
        con.execute("COMMIT")
        con.execute(f"ATTACH '{built}' AS on_disk (READ_ONLY)")
        con.execute("ATTACH ':memory:' AS built")
        con.execute("COPY FROM DATABASE on_disk TO built (SCHEMA)")
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                             "WHERE database_name = 'on_disk'").fetchall()
        for schema, table in tables:
            con.execute(f'INSERT INTO built."{schema}"."{table}" '
                        f'SELECT * FROM on_disk."{schema}"."{table}"')
        con.execute("DETACH on_disk")
        target_db = con.execute("SELECT current_database()").fetchall()[0][0]
        started = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        for schema, table in tables:
            con.execute(f'INSERT INTO "{target_db}"."{schema}"."{table}" '
                        f'SELECT * FROM built."{schema}"."{table}"')
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        return time.perf_counter() - started
    finally:
        con.close()


def timed_load(path: Path, loader, source) -> tuple[dict[str, int], float]:
    """Row counts and seconds of ``loader(con, source)`` alone, into a fresh schema at ``path``."""
    con = duckdb.connect(str(path))
    try:
        apply_schema(con)
        started = time.perf_counter()
        counts = loader(con, source, load_time=AS_OF, check_fks=True)
        return counts, time.perf_counter() - started
    finally:
        con.close()


def measure(scale: int, cap: int, work: Path) -> dict:
    from holocron_lib.synthetic import seed_files, write_lake, write_seed_dir

    seeds = work / f"seeds-{scale}"
    seeds.mkdir()
    started = time.perf_counter()
    write_seed_dir(seeds, scale=scale, seed=42, as_of=AS_OF, lake_root=work / f"lake-{scale}")
    generate = time.perf_counter() - started

    report = build_database(work / f"build-{scale}.duckdb", scale=scale, as_of=AS_OF,
                            lake_root=work / f"lake-b{scale}")
    from_dir = build_database(work / f"dir-{scale}.duckdb", seed_dir=seeds, as_of=AS_OF)

    counts, load = timed_load(work / f"load-{scale}.duckdb", load_seed_dir, seeds)

    started = time.perf_counter()
    files, lake_files = seed_files(scale=scale, seed=42, as_of=AS_OF)
    in_memory = time.perf_counter() - started
    started = time.perf_counter()
    write_lake(work / f"lake-w{scale}", lake_files)
    lake = time.perf_counter() - started
    floor = persist_floor(report.path, work / f"floor-{scale}.duckdb")

    phase_counts, phase = timed_load(work / f"phase-{scale}.duckdb", load_seed_files, files)

    base_rows, base_seconds = row_by_row(seeds, cap)
    rows = sum(counts.values())
    assert report.rows == from_dir.rows == rows == sum(phase_counts.values()), \
        "the four paths loaded different row counts"
    return {
        "scale": scale, "rows": rows, "generate": generate,
        "build": report.seconds, "build_rate": report.rows / report.seconds,
        "dir": from_dir.seconds, "dir_rate": from_dir.rows / from_dir.seconds,
        "load": load, "load_rate": rows / load,
        "phase": phase, "phase_rate": rows / phase,
        "base_rows": base_rows, "base_rate": base_rows / base_seconds,
        "in_memory": in_memory, "lake": lake, "lake_files": len(lake_files),
        "floor": floor, "ceiling": rows / floor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--baseline-cap", type=int, default=300,
                        help="rows per file the row-by-row baseline inserts")
    args = parser.parse_args()
    print(f"duckdb {duckdb.__version__}; as of {AS_OF.date()}; seed 42")
    print(f"{'':>15} {'end-to-end':>19} {'loader-only':>19} {'load_seed_dir':>19} "
          f"{'load phase':>19}")
    header = (f"{'scale':>5} {'rows':>9} {'s':>9} {'rows/s':>9} {'s':>9} {'rows/s':>9} "
              f"{'s':>9} {'rows/s':>9} {'s':>9} {'rows/s':>9} "
              f"{'baseline r/s':>12} {'speed-up':>8} {'seed files s':>12}")
    print(header)
    results = []
    with tempfile.TemporaryDirectory(prefix="holocron-bench-") as tmp:
        for scale in args.scales:
            r = measure(scale, args.baseline_cap, Path(tmp))
            results.append(r)
            print(f"{r['scale']:>5} {r['rows']:>9,} {r['build']:>9.2f} {r['build_rate']:>9,.0f} "
                  f"{r['dir']:>9.2f} {r['dir_rate']:>9,.0f} {r['load']:>9.2f} "
                  f"{r['load_rate']:>9,.0f} {r['phase']:>9.2f} {r['phase_rate']:>9,.0f} "
                  f"{r['base_rate']:>12,.0f} "
                  f"{r['load_rate'] / r['base_rate']:>7.0f}x {r['generate']:>12.2f}", flush=True)
    print("end-to-end  = synthetic build_database: generate + lake files + schema + load + "
          "FK check + checkpoint + rename")
    print("loader-only = build_database(seed_dir=...) on pre-written seed files: read + schema + "
          "load + FK check + checkpoint + rename")
    print("load_seed_dir = read the seed files + load + FK check (schema already applied); "
          "speed-up is against it")
    print("load phase = load_seed_files on seed rows already in memory + FK check: rows loaded "
          "/ seconds of the load (schema, generation and JSON excluded)")
    print(f"baseline = the same rules row by row with executemany (≤ {args.baseline_cap} "
          "rows per file); seed files s = write_seed_dir (seed + lake files, not in a build)")
    print()
    print("where the time goes (each part measured alone in this run):")
    print(f"{'scale':>5} {'generate rows s':>15} {'lake files':>10} {'lake s':>8} "
          f"{'persist floor s':>15} {'rows/s ceiling':>14}")
    for r in results:
        print(f"{r['scale']:>5} {r['in_memory']:>15.2f} {r['lake_files']:>10,} {r['lake']:>8.2f} "
              f"{r['floor']:>15.2f} {r['ceiling']:>14,.0f}")
    print("persist floor = DuckDB alone inserting the built tables (already typed) into a fresh "
          "file with the same keys and indexes, then commit + checkpoint: no Python per row")
    for r in results:
        if r["scale"] == 1:
            verdict = "met" if r["build"] <= 3 else "NOT met"
            print(f"target scale 1 end-to-end build ≤ 3 s: {r['build']:.2f} s — {verdict}")
        if r["scale"] == 10:
            verdict = "met" if r["build_rate"] >= 100_000 else "NOT met"
            print(f"target scale 10 end-to-end ≥ 100,000 rows/s: {r['build_rate']:,.0f} rows/s "
                  f"— {verdict} (loader-only {r['dir_rate']:,.0f} rows/s, load_seed_dir "
                  f"{r['load_rate']:,.0f} rows/s)")
            print(f"  the persist floor alone allows at most {r['ceiling']:,.0f} rows/s; generating "
                  f"the rows takes {r['in_memory']:.2f} s and the {r['lake_files']:,} lake files "
                  f"{r['lake']:.2f} s on top of it")
            verdict = "met" if r["phase_rate"] >= 100_000 else "NOT met"
            print(f"target scale 10 load phase ≥ 100,000 rows/s: {r['phase_rate']:,.0f} rows/s "
                  f"— {verdict}")


if __name__ == "__main__":
    main()
