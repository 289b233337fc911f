"""Minimal re-execution: each rule that makes a book notebook run again, and the reason it gives.

A tiny project of real notebooks, executed on real kernels; the library whose files count is a
copy of holocron_lib, so a test can touch a module without touching the library it imports.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from holocron_lib.book import execute as bookexec
from holocron_lib.errors import NotebookExecutionError
from holocron_lib.execution import closure
from holocron_lib.execution.environment import kernel_environment

HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---
"""
ROOT = Path(__file__).resolve().parent.parent
A, B = "notebooks_py/demo/a", "notebooks_py/demo/b"


def _notebook(prose: str, code: str) -> str:
    return f"{HEADER}\n# %% [markdown]\n# # Title\n#\n# {prose}\n\n# %%\n{code}\n"


@pytest.fixture
def project(tmp_path):
    nbdir = tmp_path / "notebooks_py" / "demo"
    nbdir.mkdir(parents=True)
    (nbdir / "a.py").write_text(_notebook(
        "About A.", "from holocron_lib.notebook import queue_health\nx = 1 + 1\nprint(x)"))
    (nbdir / "b.py").write_text(_notebook(
        "About B.", "from holocron_lib.notebook.display import show\nprint('b' * 3)"))
    (tmp_path / "_config.yml").write_text("execute:\n  timeout: 60\n")
    db = tmp_path / "seed.duckdb"
    db.write_bytes(b"seed-v1")
    shutil.copytree(closure.LIBRARY, tmp_path / "lib" / "holocron_lib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def run(root: Path, **kwargs) -> dict[str, str]:
    """Executed notebook -> the reason it ran; the printed lines must give the same reasons."""
    lines: list[str] = []
    outcomes = bookexec.execute_stale(
        root, [A, B], env=kernel_environment(root), workers=2, progress=lines.append,
        data=bookexec.seeded_file_source(root / "seed.duckdb"),
        library=root / "lib" / "holocron_lib", **kwargs)
    executed = {o.name: o.reason for o in outcomes if o.status == "executed"}
    for name, reason in executed.items():
        assert any(name in line and line.endswith(f"ok  ({reason})") for line in lines), lines
    return executed

pytestmark = pytest.mark.slow  # executes notebooks


def touch(root: Path, module: str) -> None:
    path = root / "lib" / module
    path.write_text(path.read_text() + "\n# touched\n")


def test_each_rule_and_its_reason(project):
    root = project
    assert run(root) == {A: "not executed before", B: "not executed before"}
    assert run(root) == {}, "no-op: nothing runs"

    a = root / f"{A}.py"
    a.write_text(a.read_text().replace("About A.", "About A, reworded."))
    assert run(root) == {}, "a markdown edit runs nothing"

    a.write_text(a.read_text().replace("1 + 1", "2 + 2"))
    assert run(root) == {A: "code changed"}

    touch(root, "holocron_lib/notebook/queue_health.py")
    assert run(root) == {A: "library: holocron_lib/notebook/queue_health.py"}, \
        "the module behind one notebook runs that notebook only"

    touch(root, "holocron_lib/service/api.py")
    touch(root, "holocron_lib/cli/book_cmd.py")
    assert run(root) == {}, "the HTTP API and the CLI are in no notebook's closure"

    touch(root, "holocron_lib/db/connection.py")
    assert run(root) == {A: "library: holocron_lib/db/connection.py",
                         B: "library: holocron_lib/db/connection.py"}, "connect() is under all"

    touch(root, "holocron_lib/schema/sql/views/" + sorted(
        p.name for p in (root / "lib/holocron_lib/schema/sql/views").iterdir())[0])
    reasons = run(root)
    assert set(reasons) == {A, B} and all(r.startswith("library: holocron_lib/schema/sql/")
                                          for r in reasons.values())

    (root / "seed.duckdb").write_bytes(b"seed-v2")
    assert run(root) == {A: "data: database file changed", B: "data: database file changed"}

    (root / "_config.yml").write_text("execute:\n  timeout: 90\n")
    assert run(root) == {A: "execution settings changed", B: "execution settings changed"}

    assert run(root, force=True) == {A: "forced", B: "forced"}
    assert run(root) == {}


def test_seed_fingerprint_decides_over_file_bytes(project):
    root = project
    sidecar = root / "seed.duckdb.meta.json"
    sidecar.write_text(json.dumps({"fingerprint": "data-1", "source": "synthetic", "scale": 2,
                                   "as_of": "2026-01-02T00:00:00+00:00"}))
    run(root)
    (root / "seed.duckdb").write_bytes(b"rebuilt, same rows")
    assert run(root) == {}, "same fingerprint: cached outputs stay valid"
    sidecar.write_text(json.dumps({"fingerprint": "data-2", "source": "synthetic"}))
    assert run(root) == {A: "data: seed fingerprint changed", B: "data: seed fingerprint changed"}


def test_what_a_notebook_ran_against_is_named_without_credentials(tmp_path):
    db = tmp_path / "seed.duckdb"
    db.with_name("seed.duckdb.meta.json").write_text(json.dumps(
        {"fingerprint": "abc", "source": "synthetic", "scale": 3, "as_of": "2026-05-04T00:00:00"}))
    assert bookexec.seeded_file_source(db).description == (
        "synthetic seed data, scale 3, as of 2026-05-04")
    db.with_name("seed.duckdb.meta.json").write_text(json.dumps(
        {"fingerprint": "0123456789abcdef", "source": "seeds"}))
    assert bookexec.seeded_file_source(db).description == (
        "seed folder seeds, fingerprint 0123456789ab")

    from holocron_lib.settings import Settings

    server = Settings(home=tmp_path, values={
        "SEED_SQLSERVER_HOST": "db.example", "SEED_SQLSERVER_DATABASE": "Holocron_QA",
        "SEED_SQLSERVER_USER": "reader", "SEED_SQLSERVER_PASSWORD": "s3cret-canary"})
    source = bookexec.data_source(server)
    assert source.description == "SQL Server database Holocron_QA"
    assert "s3cret-canary" not in repr(source) and "reader" not in repr(source)


CURRENT = bookexec.Inputs({"x.py": "1", "y.py": "1"}, "seed:1", "s")


@pytest.mark.parametrize("recorded, expected", [
    ({"settings": "s", "data": "seed:1", "library": {"x.py": "1", "y.py": "1"}}, None),
    ({"settings": "old", "data": "seed:1", "library": {}}, "execution settings changed"),
    ({"settings": "s", "data": "seed:0", "library": {}}, "data: seed fingerprint changed"),
    ({"settings": "s", "data": "sqlserver:0", "library": {}}, "data: database changed"),
    ({"settings": "s", "data": "seed:1", "library": {"x.py": "1", "y.py": "0"}},
     "library: y.py"),
    ({"settings": "s", "data": "seed:1", "library": {"x.py": "0", "y.py": "0"}},
     "library: x.py and 1 more"),
    ({"settings": "s", "data": "seed:1", "library": {"x.py": "1"}}, "library: y.py"),
])
def test_reason_texts(recorded, expected):
    assert bookexec.reason_to_execute(recorded, CURRENT, code_known=True) == expected
    assert bookexec.reason_to_execute(recorded, CURRENT, code_known=True, force=True) == "forced"


def test_reason_without_a_cached_execution():
    assert bookexec.reason_to_execute(None, CURRENT, code_known=True) == "code changed"
    assert bookexec.reason_to_execute(None, CURRENT, code_known=False) == "not executed before"


def test_reexecuted_notebooks_wait_for_the_site(project):
    root = project
    run(root)
    marker = root / bookexec.CACHE_DIR / bookexec.REEXECUTED_FILE
    assert json.loads(marker.read_text()) == [A, B]
    a = root / f"{A}.py"
    a.write_text(a.read_text().replace("1 + 1", "3 + 3"))
    run(root)
    assert json.loads(marker.read_text()) == [A, B], "kept until a site build shows them"


def test_failure_names_notebook_and_cell(project):
    bad = project / f"{B}.py"
    bad.write_text(_notebook("Broken.", "z = 1") + "\n# %%\nraise ValueError('no such planet')\n")
    with pytest.raises(NotebookExecutionError) as info:
        run(project)
    err = info.value
    assert err.notebook == B
    assert err.cell_index == 2  # cells: markdown 0, code 1, the raising code cell 2
    assert err.ename == "ValueError" and "no such planet" in err.evalue


def test_whole_notebook_time_limit_stops_the_kernel(project):
    slow = project / f"{A}.py"
    slow.write_text(_notebook("Slow.", "import time") + "\n# %%\ntime.sleep(1.5)\n\n"
                    "# %%\ntime.sleep(30)\n")
    with pytest.raises(NotebookExecutionError) as info:
        run(project, notebook_timeout=3)
    assert (info.value.notebook, info.value.ename, info.value.cell_index) == (A, "Timeout", 3)


def test_the_book_notebooks_closures():
    """On the real book: the API and the CLI are under no notebook; connect() under all."""
    from holocron_lib.book.toc import toc_notebooks

    closures = bookexec.LibraryClosures()
    for name in toc_notebooks(ROOT):
        files = closures.files_of(bookexec._read_notebook(ROOT / f"{name}.py"))
        assert "holocron_lib/db/connection.py" in files, name
        assert not [f for f in files if f.startswith(("holocron_lib/service/api",
                                                      "holocron_lib/cli/"))], name
