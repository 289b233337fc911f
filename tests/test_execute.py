"""The runner: parameters in, executed notebook out, every ending recorded with the right status."""

import json

import nbformat
import pytest
from runservice_fixtures import NOTEBOOKS

from holocron_lib.errors import ParameterError
from holocron_lib.service.registry import get_notebook
from holocron_lib.service.runner import execute_notebook, output_path_for, perform_run, queue_run
from holocron_lib.service.store import RunStatus, Store


@pytest.fixture
def sqlite_store(tmp_path):
    with Store(f"sqlite:///{tmp_path}/runs.sqlite") as s:
        yield s


def _run(store, tmp_path, name, values, **kw):
    run = queue_run(store, NOTEBOOKS, name, values, "alice", timeout=kw.pop("timeout", None))
    return perform_run(store, run, NOTEBOOKS, home=tmp_path, artifacts_dir=tmp_path / "artifacts",
                       default_timeout=60, **kw)


@pytest.mark.slow
def test_a_run_with_parameters_succeeds_and_is_recorded(store, tmp_path):
    out_file = tmp_path / "received.json"
    seen = []
    run = _run(store, tmp_path, "simple_params", {"NAME": "Leia", "COUNT": 3,
                                                  "OUT_FILE": str(out_file)},
               progress=lambda i, n: seen.append((i, n)))
    assert run.status == RunStatus.SUCCEEDED, run.error_message
    received = json.loads(out_file.read_text())
    assert received["NAME"] == "Leia" and received["COUNT"] == 3 and received["MODE"] == "dry_run"
    assert received["HOLOCRON_HOME"] == str(tmp_path)  # the kernel finds the project
    assert run.parameters == {"NAME": "Leia", "COUNT": 3, "MODE": "dry_run",
                              "OUT_FILE": str(out_file)}
    expected = output_path_for(tmp_path / "artifacts", "simple_params", run.id, run.started_at)
    assert run.output_path == str(expected)
    assert expected.parent.name == run.started_at.strftime("%Y-%m-%d")
    nb = nbformat.read(expected, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'NAME = "Leia"' in injected[0].source
    assert "hello, Leia (dry_run)" in json.dumps(nb.cells[-2].outputs)
    meta = nb.metadata.papermill  # names, not paths: the file is served over HTTP as it is
    assert (meta.input_path, meta.output_path) == ("simple_params.py", expected.name)
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]  # code cells, counting the injected one
    assert run.duration_seconds and run.duration_seconds > 0 and run.completed_at


@pytest.mark.slow
def test_a_failing_cell_is_named_and_the_partial_output_kept(sqlite_store, tmp_path):
    run = _run(sqlite_store, tmp_path, "fails_at_cell_3", {"MESSAGE": "kaboom"})
    assert run.status == RunStatus.FAILED
    assert (run.error_cell, run.error_name) == (3, "ValueError")
    assert run.error_message == "ValueError: kaboom at cell 3"
    nb = nbformat.read(run.output_path, as_version=4)
    assert "papermill-error-cell-tag" in nb.cells[0].metadata["tags"]  # the banner
    assert "cell 2 ran" in json.dumps(nb.cells)  # output before the failure is kept
    never = [c for c in nb.cells if "never reached" in c.source]
    assert never and never[0].outputs == []


@pytest.mark.slow
def test_a_secret_in_a_notebook_error_is_not_recorded(sqlite_store, tmp_path, clean_env,
                                                      monkeypatch):
    from conftest import CANARY_PASSWORD

    monkeypatch.setenv("SEED_SQLSERVER_PASSWORD", CANARY_PASSWORD)
    run = _run(sqlite_store, tmp_path, "fails_at_cell_3", {"MESSAGE": f"PWD={CANARY_PASSWORD}"})
    assert run.status == RunStatus.FAILED
    assert CANARY_PASSWORD not in run.error_message
    assert run.error_message == "ValueError: PWD=*** at cell 3"


@pytest.mark.slow
def test_a_run_over_its_time_limit_is_timed_out(sqlite_store, tmp_path):
    run = _run(sqlite_store, tmp_path, "slow", {"SECONDS": 60.0}, timeout=2)
    assert run.status == RunStatus.TIMED_OUT
    assert "time limit of 2 s" in run.error_message
    assert run.output_path is not None and run.duration_seconds < 30


def test_bad_parameters_are_recorded_as_error_and_nothing_runs(sqlite_store, tmp_path):
    with pytest.raises(ParameterError, match="allowed: 'dry_run', 'apply'"):
        _run(sqlite_store, tmp_path, "simple_params", {"MODE": "explode"})
    (run,), total = sqlite_store.list_runs()
    assert total == 1 and run.status == RunStatus.ERROR and run.started_at is None
    assert "MODE" in run.error_message and run.parameters == {"MODE": "explode"}
    assert not (tmp_path / "artifacts").exists()


def test_a_missing_kernel_is_an_error_not_a_failure(sqlite_store, tmp_path):
    run = _run(sqlite_store, tmp_path, "no_parameters", {}, kernel_name="no-such-kernel")
    assert run.status == RunStatus.ERROR and "no-such-kernel" in run.error_message


@pytest.mark.slow
def test_a_notebook_without_parameters_runs(sqlite_store, tmp_path):
    run = _run(sqlite_store, tmp_path, "no_parameters", {})
    assert run.status == RunStatus.SUCCEEDED and run.parameters == {}
    nb = nbformat.read(run.output_path, as_version=4)
    assert not [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]


TRICKY = {
    "quotes-and-escapes": 'a "double" \'single\' """triple""" \'\'\' \\ \\n \\" \\\\ end\\',
    "code-like": '"); import os; os.system("echo pwned"); ("\n__import__("os").remove("x")\n'
                 "#{x} %s $HOME `id` ${PATH}",
    "whitespace-and-unicode": "line1\nline2\r\nline3\rtab\there\x0bnul?\x00 é ☃ \u2028 \U0001f600",
}


@pytest.mark.slow
@pytest.mark.parametrize("value", TRICKY.values(), ids=TRICKY.keys())
def test_string_parameters_arrive_exactly_as_given(sqlite_store, tmp_path, value):
    out_file = tmp_path / "value.txt"
    run = _run(sqlite_store, tmp_path, "string_injection", {"VALUE": value,
                                                             "OUT_FILE": str(out_file)})
    assert run.status == RunStatus.SUCCEEDED, run.error_message
    assert out_file.read_bytes() == value.encode("utf-8")
    assert sqlite_store.get_run(run.id).parameters["VALUE"] == value


def test_execute_notebook_never_raises_for_an_unreadable_source(tmp_path):
    info = get_notebook(NOTEBOOKS, "no_parameters")
    gone = tmp_path / "gone.py"
    from dataclasses import replace

    outcome = execute_notebook(replace(info, path=gone), {}, tmp_path / "o.ipynb", home=tmp_path)
    assert outcome.status == RunStatus.ERROR and "cannot read" in outcome.error_message


@pytest.mark.slow
def test_a_run_leaves_no_kernel_behind(sqlite_store, tmp_path):
    """The process keeps its warm template for the next run, and nothing else."""
    import psutil

    from holocron_lib.execution.environment import kernel_environment
    from holocron_lib.execution.kernels import shared_template

    run = _run(sqlite_store, tmp_path, "no_parameters", {})
    assert run.status == RunStatus.SUCCEEDED
    template = shared_template(kernel_environment(tmp_path))
    assert template.forked >= 1
    assert psutil.Process(template.pid).children() == []
    kernels = [p for p in psutil.Process().children(recursive=True)
               if "ipykernel" in " ".join(p.cmdline()) or p.ppid() == template.pid]
    assert kernels == []
