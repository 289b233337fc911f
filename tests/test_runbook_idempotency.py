"""Each runbook, run twice in a row with its confirm parameter set, leaves one and the same end state.

The notebooks' own code cells run, in order, against one private database (their
`connect()` hands out that connection), with the parameters cell overridden as papermill
would. After each run every table of the schemas a runbook can write is fingerprinted:
row counts and a hash of the sorted contents.
"""

import hashlib
from pathlib import Path

import jupytext
import pytest

import holocron_lib.db.connection
from holocron_lib.db.connection import connect

ROOT = Path(__file__).resolve().parent.parent
RUNBOOKS = {
    "01_verify_local_stack": {"CHECK_DOCKER": False},
    "02_single_ingestion_run": {"CONFIRM": True, "MAX_ITEMS": 4},
    "03_embedding_generation": {"CONFIRM": True, "USE_OLLAMA": False, "SLICE_SIZE": 6},
    "04_validate_stored_procedure": {"CONFIRM": True},
    "05_checkpoint_rerun": {"CONFIRM": True, "BATCH_SIZE": 4},
}
SCHEMAS = ("llm", "ingest", "vector", "dbo")

pytestmark = pytest.mark.slow  # runs the runbooks' code cells


class Shared:
    """The test's connection, handed to the notebook; the notebook's close() leaves it open."""

    def __init__(self, db):
        self._db = db

    def __getattr__(self, name):
        return getattr(self._db, name)

    def close(self):
        pass


def run_notebook(name: str, params: dict, db, monkeypatch):
    nb = jupytext.read(ROOT / "notebooks_py" / "runbooks" / f"{name}.py")
    monkeypatch.setattr(holocron_lib.db.connection, "connect", lambda *a, **k: Shared(db))
    namespace = {"display": lambda *a, **k: None, "__name__": "__main__"}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, f"{name}.py", "exec"), namespace)  # noqa: S102 - our own notebook
        if "parameters" in cell.metadata.get("tags", []):
            namespace.update(params)
    import matplotlib.pyplot as plt

    plt.close("all")
    return namespace


def fingerprint(db) -> dict:
    state = {}
    for schema in SCHEMAS:
        for table in db.row_counts(schema)["table"]:
            frame = db.query(f"SELECT * FROM {schema}.[{table}]")
            rows = sorted("|".join(map(str, r)) for r in frame.itertuples(index=False, name=None))
            state[f"{schema}.{table}"] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return state


@pytest.mark.parametrize("name", list(RUNBOOKS), ids=list(RUNBOOKS))
def test_a_runbook_run_twice_gives_the_same_end_state(name, seeded_file, seeded_lake, monkeypatch):
    with connect(path=seeded_file) as db:
        monkeypatch.setenv("LAKE_ROOT", str(seeded_lake))
        start = fingerprint(db)
        run_notebook(name, RUNBOOKS[name], db, monkeypatch)
        once = fingerprint(db)
        run_notebook(name, RUNBOOKS[name], db, monkeypatch)
        twice = fingerprint(db)
    changed = [t for t in once if once[t] != twice[t]]
    assert changed == [], f"the second run changed {changed}"
    if name != "01_verify_local_stack":
        assert once != start, "the confirmed run should have written something"
    else:
        assert once == start


@pytest.mark.parametrize("name", [n for n in RUNBOOKS if n != "01_verify_local_stack"])
def test_a_runbook_with_default_parameters_changes_nothing(name, seeded_file, monkeypatch):
    params = {"USE_OLLAMA": False} if name == "03_embedding_generation" else {}
    with connect(path=seeded_file) as db:
        start = fingerprint(db)
        run_notebook(name, params, db, monkeypatch)
        assert fingerprint(db) == start
