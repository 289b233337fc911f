"""Each runbook, run twice in a row with its confirm parameter set, leaves one and the same end state.

Every run is a real execution: a fresh kernel from the one executor, parameters injected by
papermill as for `holocron run`. Two cells frame the notebook (tagged ``test-harness``): the
first makes every `connect()` in that kernel hand out one connection to the database the
previous run left (its `close()` leaves it open), the last checkpoints that database and
copies it out, so the next run and the test read the same end state. After each run every
table of the schemas a runbook can write is fingerprinted: row counts and a hash of the
sorted contents.
"""

import hashlib
from pathlib import Path

import jupytext
import nbformat
import pytest
from seeded_db import lake_path, seeded_path

from holocron_lib.db.connection import connect
from holocron_lib.execution.environment import kernel_environment
from holocron_lib.execution.executor import execute_parameterized

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

OPEN = '''import holocron_lib.db.connection as _connection
from holocron_lib.db.embedded import DuckDBDatabase as _DuckDB

class _Kept:
    """The run's one connection; the notebook's close() leaves it open for the last cell."""
    def __init__(self, db):
        self._db = db
    def __getattr__(self, name):
        return getattr(self._db, name)
    def close(self):
        pass

_kept = _Kept(_DuckDB({start!r}))
_connection.connect = lambda *args, **kwargs: _kept'''

SAVE = '''import shutil as _shutil
_kept._db.connection.execute("CHECKPOINT")
_shutil.copyfile(_kept._db.path, {end!r})'''


def run_notebook(name: str, params: dict, start: Path, end: Path, tmp_path: Path) -> None:
    """One run of the runbook on a fresh kernel, from the database ``start`` to ``end``."""
    nb = jupytext.read(ROOT / "notebooks_py" / "runbooks" / f"{name}.py")
    harness = {"tags": ["test-harness"]}
    nb.cells.insert(0, nbformat.v4.new_code_cell(OPEN.format(start=str(start)), metadata=harness))
    nb.cells.append(nbformat.v4.new_code_cell(SAVE.format(end=str(end)), metadata=harness))
    output = tmp_path / f"{name}-{end.stem}.ipynb"
    nbformat.write(nb, str(output))
    execute_parameterized(output, params, env=kernel_environment(ROOT), cwd=output.parent,
                          cell_timeout=120)


def fingerprint(path: Path) -> dict:
    state = {}
    with connect(path=path) as db:
        for schema in SCHEMAS:
            for table in db.row_counts(schema)["table"]:
                frame = db.query(f"SELECT * FROM {schema}.[{table}]")
                rows = sorted("|".join(map(str, r))
                              for r in frame.itertuples(index=False, name=None))
                state[f"{schema}.{table}"] = (len(rows),
                                              hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return state


@pytest.mark.parametrize("name", list(RUNBOOKS), ids=list(RUNBOOKS))
def test_a_runbook_run_twice_gives_the_same_end_state(name, tmp_path, tmp_path_factory,
                                                      monkeypatch):
    seeded = seeded_path(tmp_path_factory)
    monkeypatch.setenv("LAKE_ROOT", str(lake_path()))
    once, twice = tmp_path / "once.duckdb", tmp_path / "twice.duckdb"
    run_notebook(name, RUNBOOKS[name], seeded, once, tmp_path)
    run_notebook(name, RUNBOOKS[name], once, twice, tmp_path)
    start, after_one, after_two = fingerprint(seeded), fingerprint(once), fingerprint(twice)
    changed = [t for t in after_one if after_one[t] != after_two[t]]
    assert changed == [], f"the second run changed {changed}"
    if name != "01_verify_local_stack":
        assert after_one != start, "the confirmed run should have written something"
    else:
        assert after_one == start


@pytest.mark.parametrize("name", [n for n in RUNBOOKS if n != "01_verify_local_stack"])
def test_a_runbook_with_default_parameters_changes_nothing(name, tmp_path, tmp_path_factory,
                                                           monkeypatch):
    seeded = seeded_path(tmp_path_factory)
    monkeypatch.setenv("LAKE_ROOT", str(lake_path()))
    params = {"USE_OLLAMA": False} if name == "03_embedding_generation" else {}
    end = tmp_path / "end.duckdb"
    run_notebook(name, params, seeded, end, tmp_path)
    assert fingerprint(end) == fingerprint(seeded)
