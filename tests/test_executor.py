"""The one executor: real kernels, outputs as Jupyter records them, every notebook bounded."""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from holocron_lib.execution.environment import kernel_environment
from holocron_lib.execution.executor import Job, execute_notebooks
from holocron_lib.execution.template_handle import KernelTemplate

pytestmark = pytest.mark.slow  # runs notebooks on real kernels

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _notebook(cells: list[str]):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells],
                                    metadata={"kernelspec": KERNELSPEC})


def _run(tmp_path: Path, *notebooks: list[str], template=None, **limits):
    results = []
    jobs = [Job(f"nb{i}", _notebook(cells), tmp_path) for i, cells in enumerate(notebooks)]
    execute_notebooks(jobs, env=kernel_environment(tmp_path), workers=limits.get("workers", 1),
                      cell_timeout=limits.get("cell_timeout", 60),
                      notebook_timeout=limits.get("notebook_timeout", 120),
                      on_result=results.append, template=template)
    return sorted(results, key=lambda r: r.name)


def test_outputs_are_what_a_kernel_records(tmp_path):
    (result,) = _run(tmp_path, [
        "print('hello'); print('again')",
        "import sys; print('warned', file=sys.stderr); 6 * 7",
        "from IPython.display import HTML\ndisplay(HTML('<b>bold</b>'))\n'last'",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2, 3]);",
        "import os; os.getpid(), os.getppid()",
    ])
    assert result.failure is None
    cells = result.nb.cells
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
    assert [c.execution_count for c in cells] == [1, 2, 3, 4, 5]
    kernel_pid = eval(cells[4].outputs[0]["data"]["text/plain"])[0]  # noqa: S307 - a tuple we printed
    assert kernel_pid != os.getpid()


def test_every_notebook_gets_a_kernel_of_its_own(tmp_path):
    template = KernelTemplate(kernel_environment(tmp_path))
    try:
        first, second = _run(tmp_path, [
            "import os, holocron_lib\nholocron_lib.MARK = 1\nos.getpid()"], [
            "import os, holocron_lib\nhasattr(holocron_lib, 'MARK'), os.getpid()"],
            template=template)
        assert template.forked == 2
    finally:
        template.close()
    assert first.failure is None and second.failure is None
    marked, pid = eval(second.nb.cells[0].outputs[0]["data"]["text/plain"])  # noqa: S307
    assert marked is False
    assert pid != int(first.nb.cells[0].outputs[0]["data"]["text/plain"])


def test_a_kernel_asked_for_during_the_imports_is_not_kept_waiting_for_them(tmp_path):
    """The template imports one module at a time between requests: a kernel asked for at
    once starts with what is imported so far and imports the rest itself; one asked for
    later starts with everything imported."""
    template = KernelTemplate(kernel_environment(tmp_path))
    probe = "import sys\n'matplotlib.pyplot' in sys.modules"  # among the last imports
    try:
        (early,) = _run(tmp_path, [probe, "import matplotlib.pyplot as plt\nplt.plot([1, 2]);"],
                        template=template)
        deadline = time.monotonic() + 60
        later = None
        while time.monotonic() < deadline:  # until the template has done its imports
            (later,) = _run(tmp_path, [probe], template=template)
            if later.nb.cells[0].outputs[0]["data"]["text/plain"] == "True":
                break
            time.sleep(0.5)
    finally:
        template.close()
    assert early.failure is None
    assert early.nb.cells[0].outputs[0]["data"]["text/plain"] == "False"
    assert any("image/png" in o.get("data", {}) for o in early.nb.cells[1].outputs)
    assert later.nb.cells[0].outputs[0]["data"]["text/plain"] == "True"


def test_a_template_told_its_last_kernels_stops_importing_once_they_are_forked(tmp_path):
    """A build's template forks its known kernels and no more: after the last of them, the
    imports it has not done would serve none, so it stops them."""
    template = KernelTemplate(kernel_environment(tmp_path))
    probe = "import sys\n'matplotlib.pyplot' in sys.modules"
    try:
        template.stop_importing_after(1)
        (first,) = _run(tmp_path, [probe], template=template)
        time.sleep(3)  # far longer than the imports left would take
        (after,) = _run(tmp_path, [probe], template=template)
    finally:
        template.close()
    assert first.failure is None and after.failure is None
    assert after.nb.cells[0].outputs[0]["data"]["text/plain"] == "False"


def test_an_error_names_the_cell(tmp_path):
    (result,) = _run(tmp_path, ["x = 1", "y = 2", "raise ValueError('bad value')"])
    assert (result.failure.cell, result.failure.ename, result.failure.evalue) == (
        2, "ValueError", "bad value")


def test_a_cell_over_its_limit_is_named(tmp_path):
    (result,) = _run(tmp_path, ["import time", "time.sleep(30)"], cell_timeout=1)
    assert (result.failure.cell, result.failure.ename) == (1, "Timeout")


def test_a_hung_cell_that_ignores_interrupts_is_stopped_at_the_notebook_limit(tmp_path):
    (result,) = _run(tmp_path, [
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)",
        "time.sleep(1)", "while True: time.sleep(0.1)"], notebook_timeout=4)
    assert (result.failure.cell, result.failure.ename) == (2, "Timeout")
    assert "stopped" in result.failure.evalue


def test_a_kernel_that_dies_is_reported_with_its_cell(tmp_path):
    (result,) = _run(tmp_path, ["import os", "os._exit(3)"])
    assert (result.failure.cell, result.failure.ename) == (1, "DeadKernelError")


def test_kernels_and_template_are_gone_afterwards(tmp_path):
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    results = _run(tmp_path, ["print(1)"], ["print(2)"], ["import os; os._exit(1)"],
                   ["import time; time.sleep(30)"], workers=2, notebook_timeout=3)
    assert [r.failure is None for r in results] == [True, True, False, False]
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    assert left == []


@pytest.mark.parametrize("warm", [True, False])
def test_warm_and_standard_kernels_record_the_same(tmp_path, warm):
    results = []
    execute_notebooks([Job("a", _notebook(["print('same')", "2 + 3"]), tmp_path)],
                      env=kernel_environment(tmp_path), on_result=results.append, warm=warm)
    (result,) = results
    assert result.nb.cells[0].outputs[0]["text"] == "same\n"
    assert result.nb.cells[1].outputs[0]["data"]["text/plain"] == "5"
