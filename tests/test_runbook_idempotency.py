"""Each runbook, run twice with `holocron run` and its confirm parameter set, leaves one end state.

The runs work on the persistent working database, as a person's runs do: the first run's
writes are there for the second, which must find its work done and do nothing twice. Every
run is a real one (`holocron run`, recorded in the project's store, a fresh kernel from the
one executor, parameters injected by papermill). After each run every table of the schemas
a runbook can write is fingerprinted: row counts and a hash of the sorted contents.
"""

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from seeded_db import lake_path, seeded_path

from holocron_lib.cli import cli
from holocron_lib.db.connection import connect

pytestmark = pytest.mark.slow  # every test executes runbooks on real kernels

pytestmark = pytest.mark.slow  # runs notebooks on real kernels

ROOT = Path(__file__).resolve().parent.parent
RUNBOOKS = {
    "01_verify_local_stack": {"CHECK_DOCKER": False},
    "02_single_ingestion_run": {"CONFIRM": True, "MAX_ITEMS": 4},
    "03_embedding_generation": {"CONFIRM": True, "USE_OLLAMA": False, "SLICE_SIZE": 6},
    "04_validate_stored_procedure": {"CONFIRM": True},
    "05_checkpoint_rerun": {"CONFIRM": True, "BATCH_SIZE": 4},
}
SCHEMAS = ("llm", "ingest", "vector", "dbo")


@pytest.fixture
def project(tmp_path, tmp_path_factory, monkeypatch):
    """A project home whose runs use a working database made from the session's seeded file."""
    monkeypatch.setenv("HOLOCRON_HOME", str(tmp_path))
    monkeypatch.setenv("HOLOCRON_DB_MODE", "work")
    monkeypatch.setenv("HOLOCRON_DB_PATH", str(seeded_path(tmp_path_factory)))
    monkeypatch.setenv("HOLOCRON_WORK_DB_PATH", str(tmp_path / "work.duckdb"))
    monkeypatch.setenv("LAKE_ROOT", str(lake_path()))
    return tmp_path


def holocron_run(name: str, params: dict) -> str:
    """`holocron run runbooks/NAME -p K=V ...`; returns the executed notebook's text."""
    args = ["run", f"runbooks/{name}", "--root", str(ROOT / "notebooks_py"), "-q"]
    for key, value in params.items():
        args += ["-p", f"{key}={json.dumps(value) if isinstance(value, bool) else value}"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "database: work.duckdb (working database)" in result.output
    output = next(line.split(": ", 1)[1] for line in result.output.splitlines()
                  if line.startswith("output: "))
    return Path(output).read_text(encoding="utf-8")


def fingerprint(path: Path) -> dict:
    state = {}
    with connect(path=path) as db:  # a private copy: the working database is not held
        for schema in SCHEMAS:
            for table in db.row_counts(schema)["table"]:
                frame = db.query(f"SELECT * FROM {schema}.[{table}]")
                rows = sorted("|".join(map(str, r))
                              for r in frame.itertuples(index=False, name=None))
                state[f"{schema}.{table}"] = (len(rows),
                                              hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return state


@pytest.mark.parametrize("name", list(RUNBOOKS), ids=list(RUNBOOKS))
def test_a_runbook_run_twice_gives_the_same_end_state(name, project, tmp_path_factory):
    work = project / "work.duckdb"
    holocron_run(name, RUNBOOKS[name])
    after_one = fingerprint(work)
    second = holocron_run(name, RUNBOOKS[name])
    after_two = fingerprint(work)
    start = fingerprint(seeded_path(tmp_path_factory))
    changed = [t for t in after_one if after_one[t] != after_two[t]]
    assert changed == [], f"the second run changed {changed}"
    if name != "01_verify_local_stack":
        assert after_one != start, "the confirmed run should have written the working database"
    else:
        assert after_one == start
    if name == "05_checkpoint_rerun":  # its checkpoint was a temporary file: the jobs tell
        assert "1. the run: enqueued 0, already queued 4" in second


@pytest.mark.parametrize("name", [n for n in RUNBOOKS if n != "01_verify_local_stack"])
def test_a_runbook_with_default_parameters_changes_nothing(name, project, tmp_path_factory):
    params = {"USE_OLLAMA": False} if name == "03_embedding_generation" else {}
    holocron_run(name, params)
    assert fingerprint(project / "work.duckdb") == fingerprint(seeded_path(tmp_path_factory))


def test_a_rerun_from_the_checkpoint_of_an_earlier_run_skips_its_work(project):
    params = {"CONFIRM": True, "BATCH_SIZE": 4, "CHECKPOINT_PATH": "cp.json"}
    first = holocron_run("05_checkpoint_rerun", params)
    assert "1. the run: enqueued 4, already queued 0, checkpoint holds 4" in first
    saved = next((project / "artifacts" / "users").glob("*/cp.json"))
    after_one = fingerprint(project / "work.duckdb")
    second = holocron_run("05_checkpoint_rerun", params)
    # The earlier run's checkpoint skips every item; its jobs are in the working database.
    assert "1. the run: enqueued 0, already queued 0, checkpoint holds 4" in second
    assert "re-run, checkpoint lost: enqueued 0, found already queued 4" in second
    assert len(json.loads(saved.read_text())["done"]) == 4
    assert fingerprint(project / "work.duckdb") == after_one
