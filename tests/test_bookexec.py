"""Invalidation rules of the book's execution cache, on a tiny project of real notebooks."""

from __future__ import annotations

import pytest

from holocron_lib.book import execute as bookexec
from holocron_lib.errors import NotebookExecutionError
from holocron_lib.execution.environment import kernel_environment

HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---
"""


def _notebook(prose: str, code: str) -> str:
    return f"{HEADER}\n# %% [markdown]\n# # Title\n#\n# {prose}\n\n# %%\n{code}\n"


@pytest.fixture
def project(tmp_path):
    nbdir = tmp_path / "notebooks_py" / "demo"
    nbdir.mkdir(parents=True)
    (nbdir / "a.py").write_text(_notebook("About A.", "x = 1 + 1\nprint(x)"))
    (nbdir / "b.py").write_text(_notebook("About B.", "y = 'b'\nprint(y * 3)"))
    db = tmp_path / "seed.duckdb"
    db.write_bytes(b"seed-v1")
    return tmp_path, db


NAMES = ["notebooks_py/demo/a", "notebooks_py/demo/b"]

pytestmark = pytest.mark.slow  # executes notebooks


def run(project, **kwargs):
    root, db = project
    outcomes = bookexec.execute_stale(root, NAMES, db_path=db, env=kernel_environment(root),
                                      workers=2, progress=lambda _: None, **kwargs)
    return sorted(o.name for o in outcomes if o.status == "executed")


def test_invalidation_rules(project, monkeypatch):
    root, db = project
    assert run(project) == NAMES, "cold: everything runs"
    assert run(project) == [], "no-op: nothing runs"

    a = root / "notebooks_py/demo/a.py"
    a.write_text(a.read_text().replace("About A.", "About A, reworded."))
    assert run(project) == [], "a markdown edit runs nothing"

    a.write_text(a.read_text().replace("1 + 1", "2 + 2"))
    assert run(project) == ["notebooks_py/demo/a"], "a code edit runs exactly that notebook"

    db.write_bytes(b"seed-v2")
    assert run(project) == NAMES, "new seed data runs everything"

    monkeypatch.setattr(bookexec, "library_fingerprint", lambda: "library-changed")
    assert run(project) == NAMES, "a library change runs everything"
    assert run(project) == []


def test_seed_fingerprint_decides_over_file_bytes(project):
    """A rebuild of the same seed data (new bytes, same fingerprint) re-executes nothing."""
    import json

    root, db = project
    sidecar = db.with_name(db.name + ".meta.json")
    sidecar.write_text(json.dumps({"fingerprint": "data-1"}))
    assert run(project) == NAMES
    db.write_bytes(b"rebuilt, same rows")
    assert run(project) == [], "same fingerprint: cached outputs stay valid"
    sidecar.write_text(json.dumps({"fingerprint": "data-2"}))
    assert run(project) == NAMES, "new seed data runs everything"


def test_reexecuted_notebooks_are_recorded_for_sphinx(project):
    import json

    root, _ = project
    run(project)
    marker = root / bookexec.CACHE_DIR / bookexec.REEXECUTED_FILE
    assert json.loads(marker.read_text()) == NAMES
    run(project)
    assert json.loads(marker.read_text()) == []


def test_failure_names_notebook_and_cell(project):
    root, _ = project
    bad = root / "notebooks_py/demo/b.py"
    bad.write_text(_notebook("Broken.", "z = 1") + "\n# %%\nraise ValueError('no such planet')\n")
    with pytest.raises(NotebookExecutionError) as info:
        run(project)
    err = info.value
    assert err.notebook == "notebooks_py/demo/b"
    assert err.cell_index == 2  # cells: markdown 0, code 1, the raising code cell 2
    assert err.ename == "ValueError" and "no such planet" in err.evalue


def test_whole_notebook_time_limit_stops_the_kernel(project):
    root, _ = project
    slow = root / "notebooks_py/demo/a.py"
    slow.write_text(_notebook("Slow.", "import time") + "\n# %%\ntime.sleep(1.5)\n\n# %%\ntime.sleep(30)\n")
    with pytest.raises(NotebookExecutionError) as info:
        run(project, notebook_timeout=3)
    assert info.value.notebook == "notebooks_py/demo/a"
    assert info.value.ename == "Timeout"
    assert info.value.cell_index == 3  # the long sleep
