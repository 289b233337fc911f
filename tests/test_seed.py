"""The seed loader over tests/seeds/ (a checkout-like folder and one folder per failure),
the atomic database build, its sidecar, and the `holocron db` commands."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from holocron_lib.db.seeded import build_database, load_seed_dir, read_seed_file
from holocron_lib.db.sidecar import read_meta
from holocron_lib.errors import SeedError
from holocron_lib.schema.apply import apply_schema
from holocron_lib.seed.file import LOAD_ORDER, order_seed_files, row_hash

SEEDS = Path(__file__).resolve().parent / "seeds"
CHECKOUT = SEEDS / "checkout_like"
BROKEN = SEEDS / "broken"
LOAD_TIME = datetime(2026, 1, 17, tzinfo=UTC)


def rows_of(name: str) -> list[dict]:
    return json.loads((CHECKOUT / name).read_text(encoding="utf-8"))["rows"]


def empty_db() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_schema(con, views=False)
    return con


def write_seed(folder: Path, table: str, rows: list[dict], *, natural_key=None, **options):
    folder.mkdir(parents=True, exist_ok=True)
    doc = {
        "seedVersion": "0.1.0", "generatedUtc": "2026-01-17T00:00:00Z",
        "target": {"schema": "dbo", "table": table, "loadBehavior": "truncate-insert"},
        "options": {"defaults": {"IsActive": True, "IsLatest": True, "VersionNum": 1},
                    **options},
        "rows": rows,
    }
    if natural_key:
        doc["target"]["naturalKey"] = natural_key
    path = folder / f"001_{table}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def checkout():
    """The checkout-like folder loaded once, with every foreign key checked."""
    con = empty_db()
    lines: list[str] = []
    counts = load_seed_dir(con, CHECKOUT, progress=lines.append, load_time=LOAD_TIME,
                           check_fks=True)
    yield con, counts, lines
    con.close()


# --- a real checkout's folder, quirks included ------------------------------------------------


def test_every_file_loads_in_the_real_loader_order(checkout):
    _, counts, lines = checkout
    files = sorted(CHECKOUT.glob("*.json"))
    assert counts == {f"dbo.{p.stem.split('_', 1)[1]}": len(rows_of(p.name)) for p in files}
    loaded = [line.split()[0].removeprefix("dbo.") for line in lines]
    assert loaded == [t for t in LOAD_ORDER if t in loaded], "fixed list order, not file order"
    assert loaded.index("DimTechAsset") < loaded.index("DimScene")  # file 012 before file 008


def test_identity_keys_follow_file_row_order(checkout):
    con, _, _ = checkout
    names = [r["DisplayName"] for r in rows_of("007_DimEntity.json")]
    got = con.execute("SELECT EntityKey, DisplayName FROM dbo.DimEntity ORDER BY 1").fetchall()
    assert got == list(enumerate(names, start=1))
    # integer foreign keys resolve through those keys: event 2 is in scene 2, 'Trench run'
    scene = con.execute("SELECT s.SceneName FROM dbo.FactEvent e JOIN dbo.DimScene s "
                        "ON s.SceneKey = e.SceneKey WHERE e.EventKey = 2").fetchone()[0]
    assert scene == "Trench run"


def test_given_guids_are_kept(checkout):
    con, _, _ = checkout
    want = [r["WorkGuid"] for r in rows_of("005_DimWork.json")]
    got = [str(g) for (g,) in con.execute("SELECT WorkGuid FROM dbo.DimWork ORDER BY WorkKey")
           .fetchall()]
    assert got == want


def test_attributes_json_as_string_or_object(checkout):
    con, _, _ = checkout
    as_text = rows_of("005_DimWork.json")[2]["AttributesJson"]
    assert isinstance(as_text, str)
    stored = con.execute("SELECT AttributesJson FROM dbo.DimWork WHERE WorkKey = 3").fetchone()
    assert stored[0] == as_text
    as_object = rows_of("007_DimEntity.json")[1]["AttributesJson"]
    assert isinstance(as_object, dict)
    stored = con.execute("SELECT AttributesJson FROM dbo.DimEntity WHERE EntityKey = 2")
    text = stored.fetchone()[0]
    assert text == json.dumps(as_object, ensure_ascii=False)
    assert "–" in text, "non-ASCII characters are kept, not escaped"


def test_filtered_unique_index_violations_load(checkout):
    con, _, _ = checkout
    twice = con.execute("SELECT count(*) FROM dbo.DimWeaponModel WHERE TechAssetKey = 2")
    assert twice.fetchone()[0] == 2
    groups = con.execute(
        "SELECT count(*) FROM (SELECT 1 FROM dbo.FactEvent GROUP BY FranchiseKey, WorkKey, "
        "SceneKey, EventOrdinal HAVING count(*) > 1)").fetchone()[0]
    assert groups == 1


def test_defaults_and_load_time_are_applied(checkout):
    con, _, _ = checkout
    row = con.execute(
        "SELECT bool_and(IsActive), bool_and(IsLatest), min(VersionNum), max(VersionNum), "
        "min(ValidFromUtc), max(CreatedUtc), count(UpdatedUtc), min(PromotionState), "
        "max(PromotionState) FROM dbo.DimEntity").fetchone()
    stamp = datetime(2026, 1, 17)
    assert row == (True, True, 1, 1, stamp, stamp, 0, "staged", "staged")


def test_row_hash_matches_an_independent_computation(checkout):
    con, _, _ = checkout
    era = rows_of("004_DimEra.json")[0]
    text = (
        "AnchorEventLabel=Battle of Yavin|AnchorYear=0|CalendarModel=BBY/ABY|EraCode=EMPIRE|"
        f"EraGuid={era['EraGuid']}|EraName=Rise of the Empire|FranchiseKey=1|IsActive=1|"
        "IsLatest=1|Notes=Synthetic seed data|SourceRef=004_DimEra.json|"
        "SourceSystem=seed_loader|VersionNum=1"
    )
    expected = hashlib.sha256(text.encode("utf-8")).digest()
    stored = con.execute("SELECT RowHash FROM dbo.DimEra WHERE EraKey = 1").fetchone()[0]
    assert bytes(stored) == expected
    prepared = {**era, "IsActive": True, "IsLatest": True, "VersionNum": 1, "EraKey": 1,
                "CreatedUtc": "ignored"}
    assert row_hash(prepared, identity_column="EraKey") == expected


def test_column_wise_row_hashes_equal_the_row_by_row_reference():
    from holocron_lib.seed.file import row_hashes

    missing = object()
    rows = [
        {"Name": "Ähm", "Score": 2.5, "Flag": True, "Note": None, "Key": 7, "odd{k}": "x"},
        {"Name": "b", "Score": 3, "Flag": False, "Note": "n", "Key": 8, "odd{k}": "{}"},
        {"Name": "c", "Score": 1e-05, "Flag": 1, "Note": "", "Key": 9, "odd{k}": "y"},
    ]
    columns = {k: [r[k] for r in rows] for k in rows[0]}
    expected = [row_hash(r, "Key") for r in rows]
    assert row_hashes(columns, 3, missing, "Key") == expected
    # a key absent from one row leaves its pair out of that row's text
    del rows[1]["Note"]
    columns["Note"][1] = missing
    assert row_hashes(columns, 3, missing, "Key") == [row_hash(r, "Key") for r in rows]
    assert row_hashes(columns, 3, missing, "Key")[0] == expected[0]


def test_identity_sequences_continue_after_the_loaded_keys(checkout):
    con, _, _ = checkout
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("INSERT INTO dbo.DimIssueType (IssueTypeName, IssueTypeCode, RowHash) "
                    "VALUES ('Late', 'LATE', '\\x00'::BLOB)")
        key = con.execute("SELECT IssueTypeKey FROM dbo.DimIssueType WHERE IssueTypeCode = "
                          "'LATE'").fetchone()[0]
    finally:
        con.execute("ROLLBACK")
    assert key == len(rows_of("002_DimIssueType.json")) + 1


# --- loader rules on small hand-made files ----------------------------------------------------


def test_guid_is_derived_from_the_natural_key(tmp_path):
    write_seed(tmp_path, "DimFranchise", [{"Name": "Star Wars", "UniverseCode": "SW"},
                                          {"Name": "Ström", "UniverseCode": "SÖ"}],
               natural_key=["UniverseCode"])
    con = empty_db()
    load_seed_dir(con, tmp_path, load_time=LOAD_TIME)
    space = uuid.uuid5(uuid.NAMESPACE_DNS, "dbo.DimFranchise")
    want = [str(uuid.uuid5(space, '["SW"]')), str(uuid.uuid5(space, '["SÖ"]'))]
    got = [str(g) for (g,) in con.execute(
        "SELECT FranchiseGuid FROM dbo.DimFranchise ORDER BY FranchiseKey").fetchall()]
    assert got == want


def test_identity_insert_uses_given_keys_and_moves_the_sequence(tmp_path):
    write_seed(tmp_path, "DimIssueType", [
        {"IssueTypeKey": 10, "IssueTypeGuid": str(uuid.UUID(int=1)), "IssueTypeName": "A",
         "IssueTypeCode": "A"},
        {"IssueTypeKey": 20, "IssueTypeGuid": str(uuid.UUID(int=2)), "IssueTypeName": "B",
         "IssueTypeCode": "B"},
    ], allowIdentityInsert=True)
    con = empty_db()
    load_seed_dir(con, tmp_path, load_time=LOAD_TIME)
    keys = con.execute("SELECT IssueTypeKey FROM dbo.DimIssueType ORDER BY 1").fetchall()
    assert keys == [(10,), (20,)]
    assert con.execute("SELECT nextval('dbo.seq_DimIssueType_IssueTypeKey')").fetchone() == (21,)


def test_given_keys_without_identity_insert_are_replaced(tmp_path):
    write_seed(tmp_path, "DimIssueType", [
        {"IssueTypeKey": 10, "IssueTypeName": "A", "IssueTypeCode": "A"},
        {"IssueTypeKey": 20, "IssueTypeName": "B", "IssueTypeCode": "B"},
    ], natural_key=["IssueTypeCode"])
    con = empty_db()
    load_seed_dir(con, tmp_path, load_time=LOAD_TIME)
    keys = con.execute("SELECT IssueTypeKey FROM dbo.DimIssueType ORDER BY 1").fetchall()
    assert keys == [(1,), (2,)]


def test_columns_given_in_some_rows_fall_back_to_the_table_default(tmp_path):
    write_seed(tmp_path, "DimTag", [
        {"TagName": "pilot", "TagType": "role", "SortOrder": 5, "Visibility": "hidden"},
        {"TagName": "droid", "TagType": "kind"},
        {"TagName": "jedi", "TagType": "role", "Visibility": "internal"},
    ], natural_key=["TagType", "TagName"])
    con = empty_db()
    load_seed_dir(con, tmp_path, load_time=LOAD_TIME)
    got = con.execute("SELECT TagKey, TagName, SortOrder, Visibility FROM dbo.DimTag ORDER BY 1")
    assert got.fetchall() == [(1, "pilot", 5, "hidden"), (2, "droid", 100, "public"),
                              (3, "jedi", 100, "internal")]


def test_unknown_fields_can_be_ignored(tmp_path):
    write_seed(tmp_path, "DimFranchise", [{"Name": "Star Wars", "UniverseCode": "SW",
                                           "Tagline": "A long time ago"}],
               natural_key=["UniverseCode"], ignoreUnknownFields=True)
    con = empty_db()
    assert load_seed_dir(con, tmp_path, load_time=LOAD_TIME) == {"dbo.DimFranchise": 1}


def test_read_seed_file_parses_the_envelope():
    sf = read_seed_file(CHECKOUT / "019_FactEvent.json")
    assert (sf.schema, sf.table, sf.full_name) == ("dbo", "FactEvent", "dbo.FactEvent")
    assert sf.natural_key == ("FranchiseKey", "WorkKey", "SceneKey", "EventOrdinal")
    assert (sf.load_behavior, sf.allow_identity_insert, sf.ignore_unknown_fields) == (
        "truncate-insert", False, False)
    assert sf.defaults == {"IsActive": True, "IsLatest": True, "VersionNum": 1}
    assert len(sf.rows) == 4


def test_other_schemas_follow_the_fixed_list_by_file_name(tmp_path):
    for name, schema, table in [("050_llm.job.json", "llm", "job"),
                                ("010_ingest.work_items.json", "ingest", "work_items"),
                                ("090_DimEra.json", "dbo", "DimEra"),
                                ("080_DimFranchise.json", "dbo", "DimFranchise")]:
        (tmp_path / name).write_text(json.dumps({
            "seedVersion": "0.1.0", "generatedUtc": "x", "rows": [],
            "target": {"schema": schema, "table": table, "loadBehavior": "truncate-insert"}}))
    ordered = order_seed_files([read_seed_file(p) for p in sorted(tmp_path.glob("*.json"))])
    assert [sf.path.name for sf in ordered] == [
        "080_DimFranchise.json", "090_DimEra.json", "010_ingest.work_items.json",
        "050_llm.job.json"]


# --- bad input: each failure names the file, the row and the column ---------------------------

BROKEN_CASES = {
    # case: (file, row, column, words the message must contain)
    "not_json": ("004_DimEra.json", None, None, "not valid JSON: Expecting ',' delimiter at "
                                                "line 27, column 7"),
    "missing_key": ("004_DimEra.json", None, None, "missing required key 'rows'"),
    "unknown_table": ("004_DimEra.json", None, None, "Unknown table 'dbo.DimEraa'; did you "
                                                     "mean 'dbo.DimEra'"),
    "unknown_column": ("004_DimEra.json", 2, "EraNmae", "did you mean EraName"),
    "wrong_type_int": ("004_DimEra.json", 2, "AnchorYear", "'abc' is not an integer"),
    "wrong_type_bit": ("017_DimWeaponModel.json", 2, "IsActive", "'yes' is not true or false"),
    "wrong_type_date": ("003_DimContinuityFrame.json", 2, "EffectiveStartDate",
                        "'1st of January 1991' is not a valid DATE"),
    "wrong_type_guid": ("004_DimEra.json", 3, "EraGuid",
                        "'not-a-guid' is not a valid UNIQUEIDENTIFIER"),
    "too_long": ("004_DimEra.json", 1, "EraCode", "at most 50 characters long (it has 57)"),
    "null_not_null": ("004_DimEra.json", 2, "EraName", "NULL for NOT NULL column"),
    "duplicate_guid": ("002_DimIssueType.json", 2, "IssueTypeGuid", "duplicate GUID"),
    "no_guid_no_natural_key": ("004_DimEra.json", 1, "EraGuid", "no target.naturalKey"),
    "missing_fk": ("019_FactEvent.json", 3, "SceneKey",
                   "foreign key FK_FactEvent_DimScene: dbo.FactEvent (SceneKey) has no parent "
                   "row in dbo.DimScene (SceneKey=99)"),
}


def test_every_broken_folder_has_a_case():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(BROKEN_CASES)


@pytest.mark.parametrize("case", sorted(BROKEN_CASES))
def test_bad_input_names_file_row_and_column(case, tmp_path):
    name, row, column, words = BROKEN_CASES[case]
    folder = tmp_path / "seeds"
    shutil.copytree(CHECKOUT, folder)
    shutil.copy(BROKEN / case / name, folder / name)
    con = empty_db()
    with pytest.raises(SeedError) as caught:
        load_seed_dir(con, folder, load_time=LOAD_TIME, check_fks=True)
    err = caught.value
    message = str(err)
    assert Path(err.path).name == name and name in message
    assert (err.row, err.column) == (row, column)
    if row is not None:
        assert f"row {row}" in message and f"column {column}" in message
    assert words in message
    # nothing of the failed load stays behind
    assert con.execute("SELECT count(*) FROM dbo.DimFranchise").fetchone()[0] == 0


# --- atomic build and its sidecar -------------------------------------------------------------


@pytest.mark.slow
def test_build_from_a_seed_folder_writes_database_and_sidecar(tmp_path):
    out = tmp_path / "db" / "holocron.duckdb"
    report = build_database(out, seed_dir=CHECKOUT, as_of=LOAD_TIME)
    assert report.path == out.resolve() and out.exists()
    assert report.rows == sum(len(rows_of(p.name)) for p in CHECKOUT.glob("*.json"))
    meta = read_meta(out)
    assert meta["source"] == "checkout_like" and meta["row_counts"] == report.tables
    assert meta["fingerprint"] == report.fingerprint and len(report.fingerprint) == 64
    assert meta["as_of"] == "2026-01-17T00:00:00+00:00"
    assert str(tmp_path) not in json.dumps(meta), "no absolute paths in the sidecar"
    again = build_database(tmp_path / "other.duckdb", seed_dir=CHECKOUT, as_of=LOAD_TIME)
    assert again.fingerprint == report.fingerprint
    with duckdb.connect(str(out), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM dbo.FactEvent").fetchone()[0] == 4


@pytest.mark.slow
def test_failed_build_keeps_the_previous_file_and_leaves_no_temp_file(tmp_path):
    out = tmp_path / "holocron.duckdb"
    build_database(out, seed_dir=CHECKOUT, as_of=LOAD_TIME)
    before = out.read_bytes(), (tmp_path / "holocron.duckdb.meta.json").read_bytes()
    bad = tmp_path / "bad"
    shutil.copytree(CHECKOUT, bad)
    shutil.copy(BROKEN / "wrong_type_int" / "004_DimEra.json", bad / "004_DimEra.json")
    with pytest.raises(SeedError, match="AnchorYear"):
        build_database(out, seed_dir=bad, as_of=LOAD_TIME)
    assert (out.read_bytes(), (tmp_path / "holocron.duckdb.meta.json").read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bad", "holocron.duckdb", "holocron.duckdb.meta.json"]


# --- the `holocron db` commands ---------------------------------------------------------------


def test_cli_build_prints_a_line_per_table_and_a_summary(clean_env):
    from holocron_lib.cli import cli

    runner = CliRunner()
    args = ["db", "build", "--seed-dir", str(CHECKOUT), "--as-of", "2026-01-17"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.split()[:2] == ["dbo.FactEvent", "4"] for line in lines)
    assert lines[-1].startswith("built .holocron/holocron.duckdb: 44 rows in 19 tables")
    skipped = runner.invoke(cli, [*args, "--if-missing"])
    assert skipped.exit_code == 0
    assert "exists; not rebuilt" in skipped.output and "dbo.FactEvent" not in skipped.output
    info = runner.invoke(cli, ["db", "info"])
    assert info.exit_code == 0, info.output
    fingerprint = read_meta(clean_env / ".holocron" / "holocron.duckdb")["fingerprint"]
    assert fingerprint in info.output and "rows dbo" in info.output


def test_cli_bad_seed_is_a_one_line_error(clean_env, tmp_path):
    from holocron_lib.cli import cli

    bad = tmp_path / "bad"
    shutil.copytree(CHECKOUT, bad)
    shutil.copy(BROKEN / "unknown_column" / "004_DimEra.json", bad / "004_DimEra.json")
    result = CliRunner().invoke(cli, ["db", "build", "--seed-dir", str(bad)])
    assert result.exit_code == 1
    assert "004_DimEra.json, row 2, column EraNmae" in result.output
    assert "Traceback" not in result.output


# --- synthetic builds -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def synthetic_builds(tmp_path_factory):
    """Two scale-1 synthetic builds with the same arguments (built once per session)."""
    root = tmp_path_factory.mktemp("synthetic")
    first = build_database(root / "a.duckdb", scale=1, as_of=LOAD_TIME, lake_root=root / "lake")
    second = build_database(root / "b.duckdb", scale=1, as_of=LOAD_TIME,
                            lake_root=root / "lake2")
    return first, second


def test_synthetic_build_covers_every_schema_and_every_foreign_key_holds(synthetic_builds):
    from holocron_lib.schema.apply import check_foreign_keys

    report, _ = synthetic_builds
    schemas = {name.split(".")[0] for name, rows in report.tables.items() if rows}
    assert schemas >= {"dbo", "ingest", "sem", "llm", "vector"}
    with duckdb.connect(str(report.path), read_only=True) as con:
        assert check_foreign_keys(con) == []
    assert read_meta(report.path)["source"] == "synthetic"


def _differing_tables(path: Path, other: Path, names) -> list[str]:
    """The tables among ``names`` whose rows (as multisets) differ between two database files."""
    differing = []
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute(f"ATTACH '{other}' AS other (READ_ONLY)")
        for name in names:
            schema, table = name.split(".")
            here, there = f'"{schema}"."{table}"', f'other."{schema}"."{table}"'
            differ = con.execute(
                f"SELECT count(*) FROM ((SELECT * FROM {here} EXCEPT ALL SELECT * FROM {there})"
                f" UNION ALL (SELECT * FROM {there} EXCEPT ALL SELECT * FROM {here}))"
            ).fetchone()[0]
            if differ:
                differing.append(name)
    return differing


@pytest.mark.slow
def test_two_synthetic_builds_hold_identical_data(synthetic_builds):
    first, second = synthetic_builds
    assert first.fingerprint == second.fingerprint and first.tables == second.tables
    assert _differing_tables(first.path, second.path, first.tables) == []


@pytest.mark.slow
def test_synthetic_build_equals_a_build_from_the_written_seed_files(synthetic_builds, tmp_path):
    """The in-memory synthetic path loads exactly what its seed files on disk would load."""
    from holocron_lib.synthetic import write_seed_dir

    report, _ = synthetic_builds
    write_seed_dir(tmp_path / "seeds", scale=1, as_of=LOAD_TIME)
    from_files = build_database(tmp_path / "files.duckdb", seed_dir=tmp_path / "seeds",
                                as_of=LOAD_TIME)
    assert from_files.tables == report.tables
    assert _differing_tables(report.path, from_files.path, report.tables) == []


# --- the schema cache -------------------------------------------------------------------------


def test_schema_model_survives_the_cache_format():
    from holocron_lib.schema import cache as schemacache
    from holocron_lib.schema import ddl

    files = sorted(ddl.TABLES_DIR.glob("*.sql"))
    parsed = ddl.parse_schema([(f.name, f.read_text(encoding="utf-8")) for f in files])
    again = schemacache.model_from_json(json.loads(json.dumps(schemacache.model_to_json(parsed))))
    assert again == parsed and again.tables[0].columns[0] == parsed.tables[0].columns[0]


def test_cached_entries_are_built_once_and_follow_their_inputs(tmp_path, monkeypatch):
    from holocron_lib.schema import cache as schemacache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "one.sql"
    source.write_text("SELECT 1", encoding="utf-8")
    calls = []

    def build():
        calls.append(1)
        return ["statement", len(calls)]

    assert schemacache.cached("probe", build, [source]) == ["statement", 1]
    assert schemacache.cached("probe", build, [source]) == ["statement", 1]
    assert len(calls) == 1 and list((tmp_path / "cache").rglob("probe-*.json"))
    source.write_text("SELECT 2", encoding="utf-8")
    assert schemacache.cached("probe", build, [source]) == ["statement", 2]


def test_a_torn_cache_entry_is_rebuilt(tmp_path, monkeypatch):
    from holocron_lib.schema import cache as schemacache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "one.sql"
    source.write_text("SELECT 1", encoding="utf-8")
    schemacache.cached("probe", lambda: [1], [source])
    (entry,) = (tmp_path / "cache").rglob("probe-*.json")
    entry.write_text('{"key": ', encoding="utf-8")
    assert schemacache.cached("probe", lambda: [2], [source]) == [2]


@pytest.mark.slow
def test_schema_applied_from_the_cache_matches_a_fresh_translation(tmp_path, monkeypatch):
    from holocron_lib.schema import apply as schema
    from holocron_lib.schema import ddl
    from holocron_lib.tsql import translate as dialect

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fresh = duckdb.connect()
    for statement in ddl.duckdb_statements(ddl.load_schema_model()):
        fresh.execute(statement)
    dialect.configure_session(fresh)
    for path in schema.view_files():
        for batch in dialect.split_batches(path.read_text(encoding="utf-8")):
            fresh.execute(dialect.translate(batch, ddl.column_types()))
    shapes = ("SELECT schema_name, table_name, column_name, data_type, is_nullable, "
              "column_default FROM duckdb_columns() ORDER BY ALL")
    views = "SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY ALL"
    for _ in range(2):  # the first fills the cache, the second reads it
        con = duckdb.connect()
        schema.apply_schema(con)
        assert con.execute(shapes).fetchall() == fresh.execute(shapes).fetchall()
        assert con.execute(views).fetchall() == fresh.execute(views).fetchall()
    # (the model entry is there only when this process had not read the model yet)
    names = {p.name.split("-")[0] for p in (tmp_path / "cache").rglob("*.json")}
    assert {"ddl", "views"} <= names


def test_values_the_fast_parser_refuses_still_read_as_the_standard_library_reads_them(tmp_path):
    # orjson refuses integers beyond 64 bits and NaN; the standard library's reading is kept.
    path = tmp_path / "001_DimFranchise.json"
    path.write_text('{"seedVersion": "1", "generatedUtc": "x", "rows": [{"Big": '
                    '123456789012345678901234567890, "Odd": NaN}], "target": {"schema": "dbo", '
                    '"table": "DimFranchise", "loadBehavior": "truncate-insert"}}',
                    encoding="utf-8")
    row = read_seed_file(path).rows[0]
    assert row["Big"] == 123456789012345678901234567890
    assert row["Odd"] != row["Odd"]  # NaN


@pytest.mark.slow
def test_seed_folder_with_a_broken_foreign_key_builds_and_names_the_key(tmp_path):
    """Outside seed data is theirs: a broken key is a warning naming it, not a failed build."""
    folder = tmp_path / "seeds"
    shutil.copytree(CHECKOUT, folder)
    shutil.copy(BROKEN / "missing_fk" / "019_FactEvent.json", folder / "019_FactEvent.json")
    lines: list[str] = []
    report = build_database(tmp_path / "h.duckdb", seed_dir=folder, as_of=LOAD_TIME,
                            progress=lines.append)
    assert report.rows > 0 and (tmp_path / "h.duckdb").exists()
    warnings = [line for line in lines if "FK_FactEvent_DimScene" in line]
    assert any(line.startswith("warning: 1 foreign key(s) do not hold") for line in lines)
    assert len(warnings) == 1 and "99" in warnings[0]


@pytest.mark.slow
def test_intact_seed_folder_builds_without_a_foreign_key_warning(tmp_path):
    lines: list[str] = []
    build_database(tmp_path / "h.duckdb", seed_dir=CHECKOUT, as_of=LOAD_TIME,
                   progress=lines.append)
    assert not [line for line in lines if line.startswith("warning") and "foreign key" in line]
