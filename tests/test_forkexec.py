"""The book's forked executor records outputs as a kernel would and bounds every notebook."""

from __future__ import annotations

import base64

import jupytext
import nbformat
import pytest

from holocron_lib.book import execute as bookexec
from holocron_lib.book.forkexec import run_all
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

pytestmark = pytest.mark.slow  # executes notebooks


def _run(tmp_path, code_cells: list[str], **limits) -> dict:
    path = tmp_path / "nb.py"
    path.write_text(HEADER + "".join(f"\n# %%\n{c}\n" for c in code_cells))
    results: list[dict] = []
    run_all([str(path)], workers=1, env=kernel_environment(tmp_path),
            cell_timeout=limits.get("cell_timeout", 30),
            notebook_timeout=limits.get("notebook_timeout", 60), on_result=results.append)
    assert len(results) == 1
    return results[0]


def test_outputs_match_what_a_kernel_records(tmp_path):
    result = _run(tmp_path, [
        "print('hello'); print('again')",
        "import sys; print('warned', file=sys.stderr); 6 * 7",
        "from IPython.display import HTML\ndisplay(HTML('<b>bold</b>'))\n'last'",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2, 3])",
    ])
    assert result["failure"] is None
    cells = [c for c in nbformat.reads(result["nb"], as_version=4).cells if c.cell_type == "code"]
    assert [o["output_type"] for o in cells[0].outputs] == ["stream"]
    assert cells[0].outputs[0]["text"] == "hello\nagain\n"
    assert cells[1].outputs[0] == {"output_type": "stream", "name": "stderr", "text": "warned\n"}
    assert cells[1].outputs[1]["data"]["text/plain"] == "42"
    assert cells[2].outputs[0]["output_type"] == "display_data"
    assert cells[2].outputs[0]["data"]["text/html"] == "<b>bold</b>"
    assert cells[2].outputs[1]["output_type"] == "execute_result"
    images = [o for o in cells[3].outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1, "a chart becomes one PNG output"
    assert base64.b64decode(images[0]["data"]["image/png"])[:4] == b"\x89PNG"
    assert [c.execution_count for c in cells] == [1, 2, 3, 4]


def test_every_notebook_gets_a_fresh_interpreter(tmp_path):
    first = _run(tmp_path, ["import holocron_lib\nholocron_lib.MARK = 1\nprint('set')"])
    second = _run(tmp_path, ["import holocron_lib\nprint(hasattr(holocron_lib, 'MARK'))"])
    assert first["failure"] is None
    out = nbformat.reads(second["nb"], as_version=4).cells[0].outputs[0]["text"]
    assert out == "False\n"


def test_an_error_names_the_cell(tmp_path):
    result = _run(tmp_path, ["x = 1", "y = 2", "raise ValueError('bad value')"])
    cell, ename, evalue = result["failure"]
    assert (cell, ename, evalue) == (2, "ValueError", "bad value")


def test_a_cell_that_ignores_the_alarm_is_killed_by_the_parent(tmp_path):
    result = _run(tmp_path, ["import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)",
                             "time.sleep(60)"], notebook_timeout=1)
    cell, ename, evalue = result["failure"]
    assert (cell, ename) == (1, "Timeout") and "stopped" in evalue


def test_a_process_that_dies_is_reported(tmp_path):
    result = _run(tmp_path, ["import os", "os._exit(3)"])
    cell, ename, evalue = result["failure"]
    assert (cell, ename) == (1, "DeadKernelError") and "3" in evalue


@pytest.mark.parametrize("executor", ["fork", "kernel"])
def test_both_executors_cache_the_same_outputs(tmp_path, executor):
    nbdir = tmp_path / "notebooks_py" / "demo"
    nbdir.mkdir(parents=True)
    (nbdir / "a.py").write_text(HEADER + "\n# %%\nprint('same')\n\n# %%\n2 + 3\n")
    db = tmp_path / "seed.duckdb"
    db.write_bytes(b"seed")
    outcomes = bookexec.execute_stale(tmp_path, ["notebooks_py/demo/a"], db_path=db,
                                      env=kernel_environment(tmp_path), workers=1,
                                      progress=lambda _: None, executor=executor)
    assert [o.status for o in outcomes] == ["executed"]
    from jupyter_cache import get_cache

    cache = get_cache(tmp_path / bookexec.CACHE_DIR)
    record = cache.match_cache_notebook(jupytext.read(nbdir / "a.py"))
    cells = cache.get_cache_bundle(record.pk).nb.cells
    assert cells[0].outputs[0]["text"] == "same\n"
    assert cells[1].outputs[0]["data"]["text/plain"] == "5"


def test_failure_from_the_forked_executor_is_a_named_error(tmp_path):
    nbdir = tmp_path / "notebooks_py" / "demo"
    nbdir.mkdir(parents=True)
    (nbdir / "b.py").write_text(HEADER + "\n# %%\nx = 1\n\n# %%\n1 / 0\n")
    db = tmp_path / "seed.duckdb"
    db.write_bytes(b"seed")
    with pytest.raises(NotebookExecutionError) as info:
        bookexec.execute_stale(tmp_path, ["notebooks_py/demo/b"], db_path=db,
                               env=kernel_environment(tmp_path), progress=lambda _: None)
    assert (info.value.notebook, info.value.cell_index, info.value.ename) == (
        "notebooks_py/demo/b", 1, "ZeroDivisionError")
