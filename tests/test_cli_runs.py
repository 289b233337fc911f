"""The run-service commands, and a runner killed mid-run being closed on the next start."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner
from runservice_fixtures import NOTEBOOKS

from holocron_lib.cli import cli
from holocron_lib.service.store import RunStatus, Store

ROOT = ["--root", str(NOTEBOOKS)]


@pytest.fixture
def sqlite_env(clean_env, monkeypatch):
    monkeypatch.setenv("HOLOCRON_STORE_URL", f"sqlite:///{clean_env}/runs.sqlite")
    return clean_env


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_notebooks_list_and_filters(sqlite_env):
    out = invoke("notebooks", "list", *ROOT).output
    assert "runbooks/echo" in out and "simple_params" in out and "_draft" not in out
    assert "10 notebook(s)" in out
    only = invoke("notebooks", "list", "--category", "debug", *ROOT).output
    assert "slow" in only and "simple_params" not in only
    tagged = json.loads(invoke("notebooks", "list", "--tag", "ops", "--json", *ROOT).output)
    assert [n["name"] for n in tagged] == ["runbooks/echo"]


def test_notebooks_show_parameters_and_command(sqlite_env):
    out = invoke("notebooks", "show", "simple_params", *ROOT).output
    assert "Simple parameters" in out and "owner:         test-team" in out
    assert "COUNT" in out and "a whole number from 1 to 5" in out and "dry_run | apply" in out
    assert "holocron run simple_params" in out


def test_unknown_notebook_is_a_clean_error(sqlite_env):
    result = CliRunner().invoke(cli, ["run", "simple_param", *ROOT])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Unknown notebook 'simple_param'; did you mean 'simple_params'" in result.output


@pytest.mark.slow
def test_run_succeeds_prints_id_status_output_and_progress(sqlite_env):
    result = CliRunner().invoke(cli, ["run", "simple_params", "-p", "NAME=Poe", "-p", "COUNT=2",
                                      *ROOT])
    assert result.exit_code == 0, result.output
    assert "run 1: simple_params" in result.output and "status: succeeded" in result.output
    assert "cell 4/4" in result.output  # progress (on stderr, mixed in by CliRunner)
    output = Path(result.output.split("output: ")[1].split()[0])
    assert output.is_file() and output.name == "simple_params-1.ipynb"
    with Store(os.environ["HOLOCRON_STORE_URL"]) as store:
        run = store.get_run(1)
    assert run.parameters["NAME"] == "Poe" and run.parameters["COUNT"] == 2


def test_a_dry_run_names_the_output_file_it_would_write(sqlite_env):
    result = invoke("run", "simple_params", "--dry-run", "-p", "NAME=Poe", *ROOT)
    assert result.exit_code == 0
    assert "/notebooks/<date>/simple_params-<run id>.ipynb" in result.output
    assert not (sqlite_env / "runs.sqlite").exists(), "a dry run records nothing"


@pytest.mark.slow
def test_failed_run_exits_non_zero_naming_the_cell(sqlite_env):
    result = CliRunner().invoke(cli, ["run", "fails_at_cell_3", "-q", *ROOT])
    assert result.exit_code == 1
    assert "run 1 failed at cell 3: ValueError: boom at cell 3" in result.output
    assert "status: failed" in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_timeout_option(sqlite_env):
    result = CliRunner().invoke(cli, ["run", "slow", "-p", "SECONDS=30", "--timeout", "2",
                                      "-q", *ROOT])
    assert result.exit_code == 1 and "timed_out" in result.output


def test_bad_parameter_exits_1_and_is_recorded(sqlite_env):
    result = CliRunner().invoke(cli, ["run", "simple_params", "-p", "MODE=explode", *ROOT])
    assert result.exit_code == 1 and "allowed: 'dry_run', 'apply'" in result.output
    bad_form = CliRunner().invoke(cli, ["run", "simple_params", "-p", "MODE", *ROOT])
    assert bad_form.exit_code == 2 and "NAME=VALUE" in bad_form.output
    listing = invoke("runs", "list", "--status", "error")
    assert "1 of 1 run(s)" in listing.output


def test_dry_run_checks_and_records_nothing(sqlite_env):
    out = invoke("run", "runbooks/echo", "-p", "TARGET=db_1", "--dry-run", *ROOT).output
    assert "would run runbooks/echo" in out and '"db_1"' in out and "runbooks__echo-" in out
    assert "0 of 0 run(s)" in invoke("runs", "list").output
    bad = CliRunner().invoke(cli, ["run", "runbooks/echo", "--dry-run", *ROOT])
    assert bad.exit_code == 1 and "'TARGET': is required" in bad.output


@pytest.mark.slow
def test_runs_list_and_show(sqlite_env):
    invoke("run", "no_parameters", "-q", *ROOT)
    CliRunner().invoke(cli, ["run", "simple_params", "-p", "COUNT=9", *ROOT])
    out = invoke("runs", "list", "--notebook", "no_parameters").output
    assert "succeeded" in out and "1 of 1 run(s)" in out
    assert "2 of 2 run(s)" in invoke("runs", "list", "--limit", "5").output
    shown = invoke("runs", "show", "1").output
    assert "status:       succeeded" in shown and "output:" in shown
    as_json = json.loads(invoke("runs", "show", "2", "--json").output)
    assert as_json["status"] == "error" and as_json["parameters"] == {"COUNT": "9"}
    missing = CliRunner().invoke(cli, ["runs", "show", "42"])
    assert missing.exit_code == 1 and "Unknown run '42'" in missing.output


@pytest.mark.slow
def test_a_killed_runner_is_recorded_as_failed_on_the_next_start(run_env, store_url, tmp_path):
    ready = tmp_path / "ready"
    env = {**os.environ, **run_env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "holocron_lib", "run", "slow", "-p", "SECONDS=120",
         "-p", f"READY_FILE={ready}", "-q", *ROOT],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert proc.poll() is None, proc.stdout.read().decode()
        assert time.monotonic() < deadline, "the slow notebook never started"
        time.sleep(0.1)
    with Store(store_url) as store:
        (run,), _ = store.list_runs()
        assert run.status == RunStatus.RUNNING and run.runner_pid == proc.pid
        os.killpg(proc.pid, signal.SIGKILL)  # the runner and anything in its session
        proc.wait(30)
        proc.stdout.close()
        # The kernel leads a session of its own, so the kill did not reach it: it ends when
        # it sees its template gone.
        deadline = time.monotonic() + 30
        while _kernels_of(env["HOLOCRON_HOME"]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _kernels_of(env["HOLOCRON_HOME"]) == []
        assert store.get_run(run.id).status == RunStatus.RUNNING  # nobody has looked yet

        result = subprocess.run([sys.executable, "-m", "holocron_lib", "runs", "show",
                                 str(run.id)], env=env, capture_output=True, text=True,
                                timeout=60)
        assert "status:       failed" in result.stdout, result.stdout + result.stderr
        closed = store.get_run(run.id)
    assert closed.status == RunStatus.FAILED and closed.completed_at is not None
    assert f"runner process {proc.pid}" in closed.error_message
    assert "Interrupted" in closed.error_message


def _kernels_of(home: str) -> list[int]:
    """Our processes other than this one started for the project at ``home``: a forked
    kernel's command line is its template's, whose environment names the project."""
    found = []
    for proc in psutil.process_iter():
        try:
            if (proc.pid != os.getpid() and "holocron_lib" in " ".join(proc.cmdline())
                    and proc.environ().get("HOLOCRON_HOME") == home):
                found.append(proc.pid)
        except psutil.Error:
            pass
    return found


@pytest.mark.slow
def test_a_terminated_runner_closes_its_own_run(sqlite_env, tmp_path):
    ready = tmp_path / "ready"
    proc = subprocess.Popen(
        [sys.executable, "-m", "holocron_lib", "run", "slow", "-p", "SECONDS=120",
         "-p", f"READY_FILE={ready}", "-q", *ROOT],
        env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 130
    with Store(os.environ["HOLOCRON_STORE_URL"]) as store:
        (run,), _ = store.list_runs()
    assert run.status == RunStatus.FAILED and "runner was stopped" in run.error_message


def _one_line_error(result, *needles):
    """A refused command: exit status 1 or 2, one 'Error:' line, no traceback."""
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(
        result.exception, SystemExit)
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, result.output
    for needle in needles:
        assert needle in errors[0], result.output
    return errors[0]


def test_run_ids_beyond_the_store_range_are_a_usage_error(sqlite_env):
    for value in ("9223372036854775808", "2147483648", "0"):
        result = CliRunner().invoke(cli, ["runs", "show", value])
        _one_line_error(result, "RUN_ID")
    assert _one_line_error(CliRunner().invoke(cli, ["runs", "list", "--offset", "2147483648"]),
                           "--offset")


def _corrupt(path: Path) -> None:
    path.write_bytes(b"this is not a database " * 200)


def test_a_corrupt_store_is_one_line_naming_it(sqlite_env):
    store_file = sqlite_env / "runs.sqlite"
    _corrupt(store_file)
    for args in (["runs", "list"], ["runs", "show", "1"], ["notebooks", "sync", *ROOT],
                 ["run", "no_parameters", "-q", *ROOT], ["serve", *ROOT]):
        line = _one_line_error(CliRunner().invoke(cli, args), str(store_file),
                               "file is not a database", "move the file aside")
        assert len(line) < 400


def test_an_unreachable_postgresql_store_hides_its_password(clean_env, monkeypatch):
    monkeypatch.setenv("HOLOCRON_STORE_URL",
                       "postgresql+psycopg://holocron:Canary-Pa55word-7f3e@127.0.0.1:1/x"
                       "?password=Canary-Pa55word-7f3e")
    result = CliRunner().invoke(cli, ["runs", "list"])
    line = _one_line_error(result, "postgresql+psycopg://holocron:***@127.0.0.1:1/x",
                           "Connection refused", "check that the server runs")
    assert "Canary" not in result.output and "?" not in line.split(" cannot be used")[0]


@pytest.mark.parametrize("variable, value, args, expected", [
    ("HOLOCRON_SEED_SCALE", "0", ["db", "build", "-q"], "HOLOCRON_SEED_SCALE: must be at least 1"),
    ("HOLOCRON_STORE_URL", "not-a-url", ["runs", "list"], "HOLOCRON_STORE_URL: is not a URL"),
    ("HOLOCRON_STORE_URL", "mysql://root:pw@db/x", ["runs", "list"],
     "HOLOCRON_STORE_URL: must start with sqlite:// or postgresql://"),
    ("HOLOCRON_RUN_TIMEOUT", "0", ["run", "no_parameters", *ROOT], "HOLOCRON_RUN_TIMEOUT"),
    ("HOLOCRON_WORKERS", "0", ["serve", *ROOT], "HOLOCRON_WORKERS: must be from 1 to 64"),
    ("HOLOCRON_API_TOKENS", "tok-short=ana", ["serve", *ROOT],
     "entry 1 (user ana): the token is shorter than 16 characters"),
    ("HOLOCRON_API_TOKENS", "garbage", ["serve", *ROOT],
     "is not of the form token=user or token=user:role"),
])
def test_bad_settings_are_one_line_naming_the_variable(sqlite_env, monkeypatch, variable, value,
                                                       args, expected):
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(cli, args)
    line = _one_line_error(result, expected)
    if variable in ("HOLOCRON_STORE_URL", "HOLOCRON_API_TOKENS"):  # secret: never the value
        assert value not in line and "pw@" not in line and "tok-short" not in line
    with Store(os.environ["HOLOCRON_STORE_URL"]) if variable != "HOLOCRON_STORE_URL" else (
            _nothing()) as store:
        if store is not None:
            assert store.list_runs()[1] == 0  # refused before anything was recorded


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def test_an_unwritable_store_folder_is_one_line(clean_env, monkeypatch):
    blocker = clean_env / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("HOLOCRON_STORE_URL", f"sqlite:///{blocker}/runs.sqlite")
    _one_line_error(CliRunner().invoke(cli, ["runs", "list"]), "its folder cannot be created",
                    "HOLOCRON_STORE_URL")


def test_a_missing_home_is_refused_and_not_created(clean_env, monkeypatch):
    missing = clean_env / "nonexistent"
    monkeypatch.setenv("HOLOCRON_HOME", str(missing))
    _one_line_error(CliRunner().invoke(cli, ["runs", "list"]), "HOLOCRON_HOME", "does not exist")
    assert not missing.exists()


def test_no_time_limit_is_said_as_such(sqlite_env, monkeypatch):
    monkeypatch.setenv("HOLOCRON_RUN_TIMEOUT", "none")
    out = invoke("run", "no_parameters", "--dry-run", *ROOT).output
    assert "no time limit" in out


def test_an_unwritable_database_folder_is_one_line(clean_env, monkeypatch):
    blocker = clean_env / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("HOLOCRON_DB_PATH", str(blocker / "holocron.duckdb"))
    _one_line_error(CliRunner().invoke(cli, ["db", "build", "-q"]),
                    "Setting HOLOCRON_DB_PATH: the folder a-file cannot be written")
