"""RowHash as the loader stores it (computed by DuckDB in the INSERT, or in Python when a row
lacks a key) equals the row-by-row reference ``row_hash`` for every kind of value."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from holocron_lib.db.seeded import SeedFile, load_seed_files
from holocron_lib.schema.apply import apply_schema
from holocron_lib.seed.file import row_hash

LOAD_TIME = datetime(2026, 1, 17, tzinfo=UTC)
DEFAULTS = {"IsActive": True, "IsLatest": True, "VersionNum": 1}


def era_rows() -> list[dict]:
    """DimEra rows mixing the value types a seed file can hold."""
    rows = []
    for i in range(1, 7):
        rows.append({
            "EraGuid": f"00000000-0000-4000-8000-{i:012d}",
            "FranchiseKey": 1,
            "EraName": ["Rise of the Empire", "Ère «nouvelle»", "O'Brien's \"era\"",
                        "日本語", "a|b=c", ""][i - 1],
            "EraCode": f"E{i}",
            "AnchorYear": [0, -19, 3.0, 4, 2**31 - 1, -(2**31)][i - 1],  # 3.0 is an INT
            "CalendarModel": "BBY/ABY",
            "AnchorEventLabel": [None, "x", 12, 1.5, "NULL", None][i - 1],  # numbers as text
            "Notes": None if i % 2 else "note",
            "IsActive": [True, False, 1, 0, True, None][i - 1],
            "AttributesJson": {"i": i, "tags": ["a", "é"]} if i % 3 else None,
            "ValidToUtc": "2030-01-01 00:00:00" if i == 2 else None,
            "Extra": [1.5, True, None, "x", 7, {"k": [1]}][i - 1],  # not a DimEra column
        })
    return rows


def reference(rows: list[dict]) -> list[bytes]:
    hashes = []
    for key, raw in enumerate(rows, start=1):
        prepared = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                    for k, v in raw.items()}
        for name, value in DEFAULTS.items():
            prepared.setdefault(name, value)
        hashes.append(row_hash({**prepared, "EraKey": key}, identity_column="EraKey"))
    return hashes


def load(rows: list[dict]) -> list[bytes]:
    con = duckdb.connect()
    apply_schema(con, views=False)
    sf = SeedFile(path=Path("004_DimEra.json"), seed_version="0.1.0",
                  generated_utc="2026-01-17T00:00:00Z", schema="dbo", table="DimEra",
                  load_behavior="truncate-insert", ignore_unknown_fields=True,
                  defaults=dict(DEFAULTS), rows=rows)
    load_seed_files(con, [sf], load_time=LOAD_TIME)
    stored = con.execute("SELECT RowHash FROM dbo.DimEra ORDER BY EraKey").fetchall()
    con.close()
    return [bytes(h) for (h,) in stored]


def test_every_row_having_every_key_hashes_as_the_reference():
    rows = era_rows()
    assert load(rows) == reference(rows)


@pytest.mark.parametrize("dropped", ["Notes", "Extra", "AnchorEventLabel"])
def test_a_row_lacking_a_key_hashes_as_the_reference(dropped):
    rows = era_rows()
    del rows[1][dropped]
    assert load(rows) == reference(rows)


def test_a_changed_value_changes_only_its_row_hash():
    rows = era_rows()
    before = load(rows)
    rows[4]["EraName"] = "a|b=d"
    after = load(rows)
    assert [a == b for a, b in zip(before, after, strict=True)] == [True] * 4 + [False, True]
