"""The benchmark scripts run, the seed benchmark's persist floor copies every row, and the
figures it prints agree with each other and with a database built from the same data."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from holocron_lib.db.seeded import build_database

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

pytestmark = pytest.mark.slow

sys.path.insert(0, str(BENCHMARKS))
try:
    import seed_build
finally:
    sys.path.remove(str(BENCHMARKS))

NUMBER = r"[\d,]+(?:\.\d+)?"


def _counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
        return {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchall()[0][0]
                for s, t in tables}
    finally:
        con.close()


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _rate_agrees(rows: int, seconds: float, rate: float) -> bool:
    """``rate`` is rows / seconds, given that the seconds were printed to two decimals."""
    return rows / (seconds + 0.005) - 1 <= rate <= rows / max(seconds - 0.005, 1e-9) + 1


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Scale 1 as the benchmark builds it: the same seed and as-of moment."""
    folder = tmp_path_factory.mktemp("bench")
    return build_database(folder / "built.duckdb", scale=1, as_of=seed_build.AS_OF,
                          lake_root=folder / "lake")


@pytest.fixture(scope="module")
def printed() -> str:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "seed_build.py"), "--scales", "1",
         "--baseline-cap", "20"], capture_output=True, text=True, timeout=300, check=True)
    return result.stdout


def test_persist_floor_copies_every_row_of_the_built_database(built, tmp_path):
    seconds = seed_build.persist_floor(built.path, tmp_path / "floor.duckdb")
    assert seconds > 0
    copied = _counts(tmp_path / "floor.duckdb")
    assert copied == _counts(built.path)
    assert sum(copied.values()) == built.rows


def test_the_scale_1_row_counts_the_rows_of_the_built_database(printed, built):
    lines = printed.splitlines()
    row = next(line for line in lines if line.split()[:1] == ["1"]).split()
    rows = int(_number(row[1]))
    assert rows == built.rows
    # each (seconds, rows/s) pair of the four build paths is rows / seconds
    for seconds, rate in zip(row[2:10:2], row[3:10:2], strict=True):
        assert _rate_agrees(rows, _number(seconds), _number(rate)), (seconds, rate)
    # speed-up = load_seed_dir rate / baseline rate, printed to a whole number (the two rates
    # to whole rows/s, hence the tolerance)
    load_rate, baseline, speed_up = _number(row[7]), _number(row[10]), row[11]
    assert speed_up.endswith("x")
    ratio = load_rate / baseline
    slack = 0.5 + ratio * (0.5 / baseline + 0.5 / load_rate) * 1.01
    assert abs(ratio - _number(speed_up[:-1])) <= slack, (load_rate, baseline, speed_up)


def test_the_seed_benchmark_prints_where_the_time_goes_and_its_verdict(printed, built):
    lines = printed.splitlines()
    end_to_end = _number(next(line for line in lines if line.split()[:1] == ["1"]).split()[2])
    start = lines.index("where the time goes (each part measured alone in this run):")
    parts = next(line for line in lines[start + 2:] if line.split()[:1] == ["1"]).split()
    lake_files, floor, ceiling = int(_number(parts[2])), _number(parts[4]), _number(parts[5])
    written = [p for p in built.path.parent.joinpath("lake").rglob("*") if p.is_file()]
    assert lake_files == len(written) > 0
    assert floor > 0 and _rate_agrees(built.rows, floor, ceiling)
    verdict = re.search(rf"^target scale 1 end-to-end build ≤ 3 s: ({NUMBER}) s — (met|NOT met)$",
                        printed, re.MULTILINE)
    assert verdict is not None, printed[-2000:]
    assert _number(verdict.group(1)) == end_to_end
    assert verdict.group(2) == ("met" if end_to_end <= 3 else "NOT met")


def test_the_api_benchmark_prints_listings_against_targets_and_workers_against_one():
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "api_load.py"), "--clients", "3", "--requests", "2",
         "--runs", "2", "--history", "30"], capture_output=True, text=True, timeout=600,
        check=True)
    lines = result.stdout.splitlines()
    assert any("history holds 32 runs" in line for line in lines)  # 30 written, 2 run
    for path, target in (("/notebooks", "50"), ("/runs?limit=50", "100")):
        rows = [line.split() for line in lines if line.startswith(path + " ")]
        assert [r[1] for r in rows] == ["1", "3"]  # one client (the baseline), then many
        assert "baseline" in " ".join(rows[0])
        assert rows[1][6:8] == ["<=", target] and "target" in " ".join(rows[1][9:])
        for row in rows:
            p50, p99 = float(row[3]), float(row[4])
            assert 0 < p50 <= p99
    workers = [line for line in lines if "runs/min" in line]
    assert [w.split()[0] for w in workers] == ["1", "3"] and "baseline" in workers[0]
    assert re.search(r"\d+\.\d\dx the baseline", workers[1])
