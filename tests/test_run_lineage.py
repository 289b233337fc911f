"""A run's lineage and recorded results: `record()`, what the runner keeps, runs compared.

The lineage names the notebook's code, the library files it imports, the data and the target
(a file's name or a database's name, never a path or a credential); `record()` keeps JSON
values under identifier-like names; the CLI and the API put runs side by side.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from runservice_fixtures import NOTEBOOKS, auth, tokens_setting

from holocron_lib import record as exported_record
from holocron_lib.cli import cli
from holocron_lib.db.connection import describe_target
from holocron_lib.db.target import embedded_target
from holocron_lib.errors import RecordError
from holocron_lib.execution.closure import LIBRARY
from holocron_lib.execution.results import (
    MAX_RECORDS,
    MAX_RUN_BYTES,
    MAX_VALUE_BYTES,
    RECORD_MIME,
    json_value,
    record,
    records_of,
)
from holocron_lib.service import run_lineage
from holocron_lib.service.api import create_app
from holocron_lib.service.registry import get_notebook
from holocron_lib.service.runner import perform_run, queue_run
from holocron_lib.service.store import RunStatus, Store
from holocron_lib.settings import Settings, load_settings

CANARY = "s3cret-canary-pw"

# ---------------------------------------------------------------- record()


def test_the_package_exports_record():
    assert exported_record is record


@pytest.mark.parametrize("value, kept", [
    (5, 5), (2.5, 2.5), ("Rey", "Rey"), (True, True), (None, None),
    ((1, 2), [1, 2]), ({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]}),
    (np.int64(7), 7), (np.float32(0.5), 0.5), (np.bool_(True), True), (np.str_("x"), "x"),
    (pd.NA, None), (pd.NaT, None), (decimal.Decimal("3.00"), 3),
    (decimal.Decimal("2.25"), 2.25), (pd.Timestamp("2026-05-04 10:00"), "2026-05-04T10:00:00"),
    (dt.date(2026, 5, 4), "2026-05-04"), ({"n": np.int32(3)}, {"n": 3}),
])
def test_json_values_and_numpy_and_pandas_scalars_are_kept(value, kept):
    result = json_value("x", value)
    assert result == kept and type(result) is type(kept)


@pytest.mark.parametrize("value, words", [
    ({1, 2}, "the value is of type set, which is not JSON"),
    (np.array([1, 2]), "numpy.ndarray, which is not JSON (convert it with .tolist())"),
    (pd.DataFrame({"a": [1]}), "pandas.DataFrame"),
    (object(), "of type object"),
    (float("nan"), "the value is nan, which JSON cannot hold"),
    ([1, float("inf")], "the value[1] is inf"),
    (np.float64("nan"), "which JSON cannot hold"),
    (decimal.Decimal("Infinity"), "which JSON cannot hold"),
    ({"rows": {3: "x"}}, "the value['rows'] has a key of type int"),
    ({"s": "\ud800"}, "not valid Unicode"),
    ("x" * (MAX_VALUE_BYTES + 1), f"at most {MAX_VALUE_BYTES}"),
])
def test_other_values_are_refused_naming_the_record_and_the_type(value, words):
    with pytest.raises(RecordError) as caught:
        record("rows_ingested", value)
    assert str(caught.value).startswith("record('rows_ingested'): ")
    assert words in str(caught.value)


@pytest.mark.parametrize("name", ["", "1st", "rows-ingested", "rows ingested", "a" * 101,
                                  "naïve", 3, None])
def test_names_must_be_identifier_like(name):
    with pytest.raises(RecordError, match="must be"):
        record(name, 1)


def test_record_outside_a_kernel_prints_name_and_value(capsys):
    assert record("rows_ingested", np.int64(5)) is None
    assert capsys.readouterr().out == "rows_ingested = 5\n"


def _output(name, value, mime=RECORD_MIME):
    return {"output_type": "display_data", "metadata": {},
            "data": {mime: {"name": name, "value": value}, "text/plain": f"{name} = ..."}}


def test_records_are_read_back_in_order_first_seen_with_the_last_value():
    nb = {"cells": [
        {"cell_type": "markdown", "source": "text"},
        {"cell_type": "code", "outputs": [_output("b", 1), _output("a", [1])]},
        {"cell_type": "code", "outputs": [
            {"output_type": "stream", "name": "stdout", "text": "b = 9"},
            _output("b", 2),
            _output("bad name", 1), _output("c", 1, mime="application/json"),
            {"output_type": "display_data", "data": {RECORD_MIME: "not a record"}},
            _output("d", {"n": float("nan")})]},
    ]}
    assert list(records_of(nb).items()) == [("b", 2), ("a", [1])]


def test_a_runs_records_are_bounded_by_count_and_size():
    many = {"cells": [{"cell_type": "code", "outputs": [
        _output(f"r{i}", i) for i in range(MAX_RECORDS + 5)] + [_output("r0", "last")]}]}
    kept = records_of(many)
    assert len(kept) == MAX_RECORDS and kept["r0"] == "last" and f"r{MAX_RECORDS}" not in kept
    big = "x" * (MAX_VALUE_BYTES - 100)
    large = {"cells": [{"cell_type": "code", "outputs": [
        _output(f"big{i}", big) for i in range(6)]}]}
    kept = records_of(large)
    assert list(kept) == [f"big{i}" for i in range(MAX_RUN_BYTES // MAX_VALUE_BYTES)]
    assert len(json.dumps(kept)) <= MAX_RUN_BYTES


# ---------------------------------------------------------------- lineage


@pytest.fixture
def notebook_copy(tmp_path):
    root = tmp_path / "notebooks"
    root.mkdir()
    shutil.copy(NOTEBOOKS / "records.py", root / "records.py")
    return root


def test_the_code_fingerprint_follows_the_code_cells_only(notebook_copy, clean_env):
    settings = load_settings(home=clean_env, dotenv=False)
    path = notebook_copy / "records.py"
    first = run_lineage.notebook_lineage(get_notebook(notebook_copy, "records"), settings)
    path.write_text(path.read_text().replace("# Records\n", "# Records, renamed\n"))
    prose = run_lineage.notebook_lineage(get_notebook(notebook_copy, "records"), settings)
    path.write_text(path.read_text().replace("ITEMS * 2)", "ITEMS * 3)"))
    code = run_lineage.notebook_lineage(get_notebook(notebook_copy, "records"), settings)
    assert prose == first
    assert code["code_fingerprint"] != first["code_fingerprint"]
    assert {k: v for k, v in code.items() if k != "code_fingerprint"} == {
        k: v for k, v in first.items() if k != "code_fingerprint"}
    assert set(first) == set(run_lineage.LINEAGE_FIELDS)
    assert first["library_version"] == "0.1.0" and len(first["library_fingerprint"]) == 64


@pytest.mark.slow
def test_the_library_fingerprint_follows_the_files_the_notebook_imports(notebook_copy, clean_env,
                                                                         tmp_path):
    lib = tmp_path / "copy" / "holocron_lib"
    shutil.copytree(LIBRARY, lib, ignore=shutil.ignore_patterns("__pycache__"))
    settings = load_settings(home=clean_env, dotenv=False)
    info = get_notebook(notebook_copy, "records")

    def fingerprint() -> str:
        return run_lineage.notebook_lineage(info, settings, lib)["library_fingerprint"]

    first = fingerprint()
    assert first == run_lineage.notebook_lineage(info, settings)["library_fingerprint"]
    with (lib / "cli" / "runs_cmd.py").open("a") as fh:  # not imported by the notebook
        fh.write("# an edit\n")
    assert fingerprint() == first
    with (lib / "execution" / "results.py").open("a") as fh:  # behind `record`
        fh.write("# an edit\n")
    assert fingerprint() != first


def test_an_embedded_target_is_its_file_name_and_the_seed_fingerprint(tmp_path, clean_env):
    db = tmp_path / "deep" / "folder" / "holocron.duckdb"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"not really a database")
    bare = embedded_target(db)
    assert (bare.backend, bare.database, bare.kind) == ("duckdb", "holocron.duckdb", "file")
    db.with_name("holocron.duckdb.meta.json").write_text(json.dumps(
        {"fingerprint": "f" * 64, "source": "synthetic", "scale": 2, "as_of": "2026-05-04T00"}))
    settings = load_settings(env={"HOLOCRON_HOME": str(clean_env), "HOLOCRON_DB_MODE": "copy",
                                  "HOLOCRON_DB_PATH": str(db)}, dotenv=False)
    target = describe_target(settings)
    assert target.to_dict() == {
        "backend": "duckdb", "database": "holocron.duckdb", "data_fingerprint": "seed:" + "f" * 64,
        "data": "synthetic seed data, scale 2, as of 2026-05-04", "kind": "seed",
        "opened_as": "private copy"}
    assert bare.data_fingerprint != target.data_fingerprint
    assert str(tmp_path) not in json.dumps(target.to_dict())


@pytest.mark.parametrize("values", [
    {"SEED_SQLSERVER_HOST": "db.example.internal", "SEED_SQLSERVER_PORT": "1433",
     "SEED_SQLSERVER_DATABASE": "Holocron_QA", "SEED_SQLSERVER_USER": "reader-canary",
     "SEED_SQLSERVER_PASSWORD": CANARY, "SEED_SQLSERVER_DRIVER": "ODBC Driver 18 for SQL Server"},
    {"SEED_SQLSERVER_HOST": "db.example.internal",
     "SEED_SQLSERVER_CONN_STR": f"DRIVER={{SQLite3}};SERVER=db.example.internal;"
                                f"DATABASE=Holocron_QA;UID=reader-canary;PWD={CANARY}"},
])
def test_a_sql_server_target_is_the_database_name_alone(tmp_path, values):
    target = describe_target(Settings(home=tmp_path, values=values))
    assert target.to_dict() == {"backend": "sqlserver", "database": "Holocron_QA",
                                "data_fingerprint": None,
                                "data": "SQL Server database Holocron_QA", "kind": "sqlserver",
                                "opened_as": "SQL Server"}
    text = json.dumps(target.to_dict())
    for secret in (CANARY, "reader-canary", "db.example", "1433", "DRIVER", "SQLite3"):
        assert secret not in text


@pytest.mark.slow
def test_an_open_embedded_connection_describes_the_same_target(seeded_file, clean_env):
    from holocron_lib import connect

    settings = load_settings(env={"HOLOCRON_HOME": str(clean_env), "HOLOCRON_DB_MODE": "copy",
                                  "HOLOCRON_DB_PATH": str(seeded_file)}, dotenv=False)
    with connect(settings) as db:
        opened = db.describe_target()
    assert opened == describe_target(settings)
    meta = json.loads(seeded_file.with_name(seeded_file.name + ".meta.json").read_text())
    assert opened.data_fingerprint == "seed:" + meta["fingerprint"]
    assert opened.database == seeded_file.name and opened.kind == "seed"


# ---------------------------------------------------------------- the store and comparison


def test_lineage_and_results_are_stored_and_read_back(store):
    info = get_notebook(NOTEBOOKS, "records")
    run = store.create_run(info, "alice", {"ITEMS": 2})
    assert run.lineage is None and run.results == {}
    lineage = {f: f"value of {f}" for f in run_lineage.LINEAGE_FIELDS}
    run_lineage.save_lineage(store, run.id, lineage)
    nb = {"cells": [{"cell_type": "code", "outputs": [
        _output("items_processed", 4), _output("summary", {"squares": [0, 1], "label": "é"}),
        _output("items_processed", 5), _output("nothing", None)]}]}
    assert run_lineage.save_results_of(store, run.id, nb) == {
        "items_processed": 5, "summary": {"squares": [0, 1], "label": "é"}, "nothing": None}
    again = store.get_run(run.id)
    assert again.lineage == lineage
    assert list(again.results.items()) == [
        ("items_processed", 5), ("summary", {"squares": [0, 1], "label": "é"}),
        ("nothing", None)]
    listed = store.list_runs()[0][0]
    assert listed.results == again.results and listed.lineage == lineage


def _fake_runs(store):
    info = get_notebook(NOTEBOOKS, "records")
    one = store.create_run(info, "alice", {"ITEMS": 2, "LABEL": "a"})
    two = store.create_run(info, "bob", {"ITEMS": 3, "LABEL": "a", "FAIL": True})
    base = {f: "same" for f in run_lineage.LINEAGE_FIELDS}
    run_lineage.save_lineage(store, one.id, base)
    run_lineage.save_lineage(store, two.id, {**base, "code_fingerprint": "other"})
    for run, outputs in ((one, [_output("n", 4), _output("kept", 1)]),
                         (two, [_output("n", 6), _output("kept", 1), _output("extra", [1])])):
        run_lineage.save_results_of(store, run.id, {"cells": [{"cell_type": "code",
                                                               "outputs": outputs}]})
    return store.get_run(one.id), store.get_run(two.id)


def test_compare_marks_the_rows_that_differ(store):
    one, two = _fake_runs(store)
    rows = {(r.section, r.name): r for r in run_lineage.compare([one, two])}
    assert list(rows)[:4] == [("run", "notebook"), ("run", "user"), ("run", "status"),
                              ("run", "preset")]
    assert not rows["run", "notebook"].differs and rows["run", "user"].values == ("alice", "bob")
    assert rows["run", "preset"].values == (None, None) and not rows["run", "preset"].differs
    assert rows["parameters", "ITEMS"].values == (2, 3) and rows["parameters", "ITEMS"].differs
    assert not rows["parameters", "LABEL"].differs
    assert rows["parameters", "FAIL"].absent == (True, False) and rows["parameters",
                                                                       "FAIL"].differs
    assert rows["lineage", "code_fingerprint"].differs
    assert not rows["lineage", "library_fingerprint"].differs
    assert rows["results", "n"].values == (4, 6) and rows["results", "n"].differs
    assert not rows["results", "kept"].differs
    assert rows["results", "extra"].values == (None, [1]) and rows["results", "extra"].differs
    sections = [s for s, _ in rows]
    assert sections == sorted(sections, key=["run", "parameters", "lineage",
                                              "results"].index)

    hidden = {(r.section, r.name): r for r in run_lineage.compare([one, two],
                                                                  visible=[True, False])}
    assert hidden["parameters", "ITEMS"].values == (2, None)
    assert not hidden["parameters", "ITEMS"].differs and not hidden["results", "n"].differs
    assert ("parameters", "FAIL") not in hidden and ("results", "extra") not in hidden
    assert hidden["lineage", "code_fingerprint"].differs  # lineage is no one's secret


def test_runs_recorded_before_lineage_compare_as_absent(store):
    info = get_notebook(NOTEBOOKS, "records")
    old = store.create_run(info, "alice", {})
    new = _fake_runs(store)[0]
    rows = {(r.section, r.name): r for r in run_lineage.compare([old, new])}
    assert rows["lineage", "backend"].absent == (True, False) and rows["lineage",
                                                                         "backend"].differs


# ---------------------------------------------------------------- end to end


def _execute(store, home: Path, user: str, values: dict):
    run = queue_run(store, NOTEBOOKS, "records", values, user)
    return perform_run(store, run, NOTEBOOKS, home=home, artifacts_dir=home / "artifacts",
                       default_timeout=120)


@pytest.mark.slow
def test_runs_keep_lineage_and_results_and_compare_in_the_cli(store, store_url, clean_env,
                                                               monkeypatch):
    monkeypatch.setenv("HOLOCRON_STORE_URL", store_url)
    ran = CliRunner().invoke(cli, ["run", "records", "-p", "ITEMS=2", "-q",
                                   "--root", str(NOTEBOOKS)])
    assert ran.exit_code == 0, ran.output
    assert "recorded: items_processed = 4\nrecorded: label = \"batch\"\n" in ran.output
    ok = store.list_runs()[0][0]
    failed = _execute(store, clean_env, "alice", {"ITEMS": 3, "FAIL": True})
    assert ok.status == RunStatus.SUCCEEDED and failed.status == RunStatus.FAILED
    assert list(ok.results.items()) == [
        ("items_processed", 4), ("label", "batch"), ("mean_square", 0.5),
        ("summary", {"label": "batch", "squares": [0, 1]})]
    assert failed.results["items_processed"] == 6  # recorded before the failing cell
    assert ok.lineage == failed.lineage
    assert ok.lineage["target"] == "holocron.duckdb" and ok.lineage["backend"] == "duckdb"
    assert str(clean_env) not in json.dumps(ok.lineage)
    output = json.loads(Path(ok.output_path).read_text())
    shown = [o for c in output["cells"] for o in c.get("outputs", [])
             if RECORD_MIME in o.get("data", {})]
    assert "".join(shown[0]["data"]["text/plain"]) == "items_processed = 2"  # kept there too

    result = CliRunner().invoke(cli, ["runs", "compare", str(ok.id), str(failed.id),
                                      "--root", str(NOTEBOOKS)])
    assert result.exit_code == 0, result.output
    lines = {tuple(line.split()[:3]): line for line in result.output.splitlines()}
    assert lines["*", "parameters", "ITEMS"].split()[3:] == ["2", "3"]
    assert lines["*", "results", "items_processed"].split()[3:] == ["4", "6"]
    assert lines["*", "run", "status"].split()[3:] == ["succeeded", "failed"]
    assert ("lineage", "code_fingerprint", ok.lineage["code_fingerprint"][:12]) in lines
    assert ("results", "label", "batch") in lines
    assert result.output.splitlines()[-1].endswith("row(s) differ (marked *)")
    only = CliRunner().invoke(cli, ["runs", "compare", str(ok.id), str(failed.id), "--json",
                                    "--only-differences", "--root", str(NOTEBOOKS)])
    body = json.loads(only.output)
    assert body["runs"] == [ok.id, failed.id] and all(r["differs"] for r in body["rows"])
    assert {"section": "parameters", "name": "FAIL", "values": [False, True],
            "absent": [False, False], "differs": True} in body["rows"]

    missing = CliRunner().invoke(cli, ["runs", "compare", str(ok.id), "4242",
                                       "--root", str(NOTEBOOKS)])
    assert missing.exit_code == 1 and "4242" in missing.output
    assert "Traceback" not in missing.output
    alone = CliRunner().invoke(cli, ["runs", "compare", str(ok.id), str(ok.id)])
    assert alone.exit_code == 2 and "compare 2 to 20 different runs; 1 given" in alone.output
    shown_run = CliRunner().invoke(cli, ["runs", "show", str(ok.id), "--root",
                                         str(NOTEBOOKS)]).output
    assert "lineage:\n  code_fingerprint = " in shown_run
    assert 'results:\n  items_processed = 4\n  label = "batch"' in shown_run


@pytest.mark.slow
def test_the_api_shows_lineage_and_results_and_compares_by_the_reading_rules(clean_env):
    url = f"sqlite:///{clean_env}/runs.sqlite"
    with Store(url) as store:
        mine = _execute(store, clean_env, "alice", {"ITEMS": 1, "LABEL": "mine"})
        theirs = _execute(store, clean_env, "bob", {"ITEMS": 4, "LABEL": "theirs"})
    settings = load_settings(env={"HOLOCRON_HOME": str(clean_env), "HOLOCRON_STORE_URL": url,
                                  "HOLOCRON_API_TOKENS": tokens_setting()}, dotenv=False)
    app = create_app(settings, notebooks_root=NOTEBOOKS, run_worker=False, run_scheduler=False)
    with TestClient(app) as client:
        run = client.get(f"/runs/{mine.id}", headers=auth("alice")).json()
        assert run["results"]["items_processed"] == 2 and run["results"]["label"] == "mine"
        assert run["lineage"]["code_fingerprint"] == mine.lineage["code_fingerprint"]
        assert run["lineage"]["target"] == "holocron.duckdb" and run["lineage"]["problem"] is None
        other = client.get(f"/runs/{theirs.id}", headers=auth("alice")).json()
        assert other["detail"] == "summary" and other["results"] == {}
        assert other["lineage"]["library_fingerprint"] == mine.lineage["library_fingerprint"]

        compared = client.get("/runs/compare", params={"ids": f"{mine.id},{theirs.id}"},
                              headers=auth("ada")).json()
        assert [r["id"] for r in compared["runs"]] == [mine.id, theirs.id]
        rows = {(r["section"], r["name"]): r for r in compared["rows"]}
        assert rows["results", "label"]["values"] == ["mine", "theirs"]
        assert rows["results", "label"]["differs"] and rows["parameters", "ITEMS"]["differs"]
        assert not rows["lineage", "code_fingerprint"]["differs"]
        assert compared["differing"] == sum(r["differs"] for r in compared["rows"])

        as_alice = client.get("/runs/compare", params={"ids": f"{mine.id},{theirs.id}"},
                              headers=auth("alice")).json()
        assert [r["detail"] for r in as_alice["runs"]] == ["full", "summary"]
        rows = {(r["section"], r["name"]): r for r in as_alice["rows"]}
        assert rows["results", "label"]["values"] == ["mine", None]
        assert rows["results", "label"]["absent"] == [False, True]
        assert not rows["results", "label"]["differs"]
        assert "theirs" not in json.dumps(as_alice)

        missing = client.get("/runs/compare", params={"ids": f"{mine.id},999"},
                             headers=auth("alice"))
        assert missing.status_code == 404
        assert missing.json()["error"] == {"status": 404, "code": "run_not_found",
                                           "message": "no run has id 999",
                                           "details": {"id": 999}}
        for bad in ("1", "1,1", "a,b", "1;2", ",".join(map(str, range(1, 23)))):
            answer = client.get("/runs/compare", params={"ids": bad}, headers=auth())
            assert answer.status_code == 422, bad
            assert answer.json()["error"]["code"] == "invalid_request"
        assert client.get("/runs/compare", params={"ids": "1,2"}).status_code == 401
