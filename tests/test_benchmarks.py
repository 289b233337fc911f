"""The benchmark scripts run, and the seed benchmark's persist floor copies every row."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
        return {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchall()[0][0]
                for s, t in tables}
    finally:
        con.close()


def test_persist_floor_copies_every_row_of_the_built_database(tmp_path):
    from holocron_lib.db.seeded import build_database

    sys.path.insert(0, str(BENCHMARKS))
    try:
        from seed_build import persist_floor
    finally:
        sys.path.remove(str(BENCHMARKS))
    built = build_database(tmp_path / "built.duckdb", scale=1, lake_root=tmp_path / "lake")
    seconds = persist_floor(built.path, tmp_path / "floor.duckdb")
    assert seconds > 0
    copied = _counts(tmp_path / "floor.duckdb")
    assert copied == _counts(built.path)
    assert sum(copied.values()) == built.rows


def test_seed_benchmark_prints_its_figures_and_verdicts():
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "seed_build.py"), "--scales", "1",
         "--baseline-cap", "20"], capture_output=True, text=True, timeout=300, check=True)
    out = result.stdout
    assert "target scale 1 end-to-end build ≤ 3 s:" in out
    assert "where the time goes" in out and "persist floor" in out
    row = next(line for line in out.splitlines() if line.split()[:1] == ["1"])  # scale 1
    assert int(row.split()[1].replace(",", "")) > 10_000  # rows loaded at scale 1
