"""Stopping: a run's whole process tree ends with it (timeout, cancel, the book's executor,
twenty API runs), and SIGTERM to `holocron serve` or `holocron worker` gives running runs a
grace, records them interrupted and leaves queued runs queued."""

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import jupytext
import psutil
import pytest
from runservice_fixtures import (
    NOTEBOOKS,
    auth,
    notebook_path,
    tokens_setting,
    wait_for_runs,
    wait_for_store,
)

from holocron_lib.errors import SettingsError
from holocron_lib.execution.environment import kernel_environment
from holocron_lib.execution.executor import Job, execute_notebooks
from holocron_lib.execution.proctree import MARKER, end_tree, marked_processes
from holocron_lib.service.runner import perform_run, queue_run
from holocron_lib.service.store import RunStatus, Store
from holocron_lib.service.worker import Worker
from holocron_lib.settings import load_settings


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _still_running(pids, wait: float = 10.0) -> list[int]:
    """Those of ``pids`` still running after up to ``wait`` seconds: a killed process needs a
    moment to be gone (its reaper collects it)."""
    deadline = time.monotonic() + wait
    while (left := [p for p in pids if _running(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def _started(pids_file) -> list[int]:
    """The detached processes a `detaches` run wrote down, both alive when it wrote them."""
    pids = [int(x) for x in pids_file.read_text().split()]
    assert len(pids) == 2
    return pids


def _wait_for_pids(pids_file, proc=None) -> list[int]:
    deadline = time.monotonic() + 90
    while not (pids_file.exists() and len(pids_file.read_text().split()) == 2):
        assert proc is None or proc.poll() is None, f"process ended with {proc.returncode}"
        assert time.monotonic() < deadline, "the notebook never started its processes"
        time.sleep(0.1)
    return _started(pids_file)


@pytest.fixture
def sqlite_store(clean_env):
    with Store(f"sqlite:///{clean_env}/runs.sqlite") as store:
        yield store


# --- ending a tree ---------------------------------------------------------------------------

STARTER = r"""
import os, subprocess, sys, time
from holocron_lib.execution import proctree
if sys.argv[1] == "subreaper":
    proctree.become_subreaper()
subprocess.Popen(["sleep", "300"], start_new_session=True)
read_end, write_end = os.pipe()
middle = os.fork()
if middle == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(write_end, b"x")
        time.sleep(300)
    os._exit(0)
os.waitpid(middle, 0)
os.read(read_end, 1)
print("ready", flush=True)
time.sleep(300)
"""


def _starter(mode: str, token: str | None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != MARKER}
    if token:
        env[MARKER] = token
    proc = subprocess.Popen([sys.executable, "-c", STARTER, mode], env=env, text=True,
                            stdout=subprocess.PIPE, start_new_session=True)
    assert proc.stdout.readline() == "ready\n"
    return proc


def _family(proc: subprocess.Popen, token: str | None) -> set[int]:
    """The starter, what is below it and what carries its token."""
    below = {p.pid for p in psutil.Process(proc.pid).children(recursive=True)}
    return {proc.pid, *below, *(marked_processes(token) if token else [])}


def test_a_subreapers_tree_ends_whole_and_nothing_else_is_touched():
    other = os.urandom(8).hex()
    bystander = _starter("plain", other)  # not the run's: in no tree asked for, another token
    try:
        proc = _starter("subreaper", None)
        family = _family(proc, None)
        assert len(family) == 3  # itself, sleep in its own session, the double-forked daemon
        assert end_tree(proc.pid) == 3
        proc.wait(10)
        assert _still_running(family) == []
        assert all(_running(pid) for pid in _family(bystander, other))
    finally:
        end_tree(bystander.pid, other)
        bystander.wait(10)


def test_without_a_subreaper_the_token_finds_what_left_the_tree():
    token = os.urandom(8).hex()
    proc = _starter("plain", token)
    assert len(psutil.Process(proc.pid).children()) == 1  # the daemon is init's, not its
    family = _family(proc, token)
    assert len(family) == 3
    end_tree(proc.pid, token)
    proc.wait(10)
    assert _still_running(family) == []


def test_the_stop_grace_is_a_checked_setting():
    assert load_settings(env={}, dotenv=False).stop_grace == 10
    assert load_settings(env={"HOLOCRON_STOP_GRACE": "0"}, dotenv=False).stop_grace == 0
    with pytest.raises(SettingsError, match="HOLOCRON_STOP_GRACE.*from 0 to 3600"):
        _ = load_settings(env={"HOLOCRON_STOP_GRACE": "-1"}, dotenv=False).stop_grace


# --- the tree of one run ---------------------------------------------------------------------


@pytest.mark.slow
def test_a_timed_out_run_ends_the_children_it_detached(sqlite_store, clean_env, tmp_path):
    marked_before = set(marked_processes())
    pids_file = tmp_path / "pids"
    run = queue_run(sqlite_store, NOTEBOOKS, "detaches", {"PIDS_FILE": str(pids_file)}, "alice",
                    timeout=15)
    done = perform_run(sqlite_store, run, NOTEBOOKS, home=clean_env,
                       artifacts_dir=clean_env / "artifacts", default_timeout=60)
    assert done.status == RunStatus.TIMED_OUT, done.error_message
    pids = _started(pids_file)
    assert _still_running(pids) == []
    assert set(marked_processes()) - marked_before == set()


@pytest.mark.slow
def test_a_cancelled_run_ends_the_children_it_detached(sqlite_store, clean_env, tmp_path):
    settings = load_settings(env={"HOLOCRON_HOME": str(clean_env)}, dotenv=False)
    pids_file = tmp_path / "pids"
    run = queue_run(sqlite_store, NOTEBOOKS, "detaches", {"PIDS_FILE": str(pids_file)}, "alice")
    worker = Worker(sqlite_store, NOTEBOOKS, settings, concurrency=1).start()
    try:
        pids = _wait_for_pids(pids_file)
        assert all(_running(p) for p in pids)
        sqlite_store.request_cancel(run.id, "bob")
        done = wait_for_store(sqlite_store, [run.id])[run.id]
    finally:
        worker.stop()
    assert done.status == RunStatus.CANCELLED
    assert _still_running(pids) == []


@pytest.mark.slow
def test_the_books_executor_ends_what_a_timed_out_notebook_detached(tmp_path):
    """The book runs notebooks through the same executor: its time limit ends the tree too."""
    pids_file = tmp_path / "pids"
    nb = jupytext.read(notebook_path("detaches"), fmt="py:percent")
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    cell.source = f"PIDS_FILE = {str(pids_file)!r}\nSECONDS = 300.0"
    results = []
    execute_notebooks([Job("detaches", nb, tmp_path)], env=kernel_environment(tmp_path),
                      notebook_timeout=5, on_result=results.append)
    (result,) = results
    assert result.failure is not None and result.failure.ename == "Timeout"
    assert _still_running(_started(pids_file)) == []


# --- real server and worker processes --------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args, env, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "holocron_lib", *args, "--root",
                             str(NOTEBOOKS)], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _env(home, store_url) -> dict[str, str]:
    return {**os.environ, "HOLOCRON_HOME": str(home), "HOLOCRON_STORE_URL": store_url,
            "HOLOCRON_API_TOKENS": tokens_setting(), "HOLOCRON_WORKERS": "1",
            "HOLOCRON_MAX_WAITING_PER_USER": "100"}


def _serve(env, log, *extra) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = _start(["serve", "--port", str(port), *extra], env, log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        assert proc.poll() is None, f"the server ended with {proc.returncode}"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(30)


def _wait_for_text(path, text: str, proc) -> None:
    deadline = time.monotonic() + 60
    while text not in path.read_text():
        assert proc.poll() is None, f"process ended with {proc.returncode}"
        assert time.monotonic() < deadline, f"{path.name} never said {text!r}"
        time.sleep(0.1)


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@pytest.mark.slow
def test_twenty_api_runs_leave_no_kernel_and_no_process_they_started(
        clean_env, store_url, tmp_path):
    marked_before = set(marked_processes())
    log = open(tmp_path / "server.log", "ab")  # noqa: SIM115 - closed at the end
    server, url = _serve({**_env(clean_env, store_url), "HOLOCRON_WORKERS": "3"}, log)
    try:
        with httpx.Client(base_url=url, timeout=60) as http:
            ids, pid_files = [], []
            for i in range(20):
                if i % 3 == 0:  # ends normally, leaving detached processes for its kernel's end
                    pid_files.append(tmp_path / f"pids-{i}")
                    body = {"parameters": {"PIDS_FILE": str(pid_files[-1]), "SECONDS": 0}}
                    name = "detaches"
                elif i % 3 == 1:
                    body, name = {"parameters": {"MESSAGE": f"m{i}"}}, "fails_at_cell_3"
                else:
                    body, name = {}, "no_parameters"
                reply = http.post(f"/notebooks/{name}/runs", headers=auth(), json=body)
                assert reply.status_code == 202, reply.text
                ids.append(reply.json()["id"])
            done = wait_for_runs(http, ids, auth(), timeout=300)
        statuses = [done[i]["status"] for i in ids]
        assert statuses == [("succeeded", "failed", "succeeded")[i % 3] for i in range(20)]
        # What the server still has below it is its warm template, with nothing under it.
        left = _descendants(server.pid)
        assert [" ".join(p.cmdline()) for p in left if "execution.template" not in
                " ".join(p.cmdline())] == []
        assert all(_descendants(p.pid) == [] for p in left)
        started = [pid for f in pid_files for pid in _started(f)]
        assert len(started) == 14 and _still_running(started) == []
        assert set(marked_processes()) - marked_before == set()
    finally:
        _stop(server)
        log.close()


@pytest.mark.slow
def test_sigterm_to_serve_interrupts_the_running_run_after_the_grace_and_keeps_the_queue(
        clean_env, store_url, tmp_path):
    log = open(tmp_path / "server.log", "ab")  # noqa: SIM115 - closed at the end
    server, url = _serve(_env(clean_env, store_url), log, "--grace", "2")
    pids_file = tmp_path / "pids"
    try:
        with httpx.Client(base_url=url, timeout=30) as http:
            running = http.post("/notebooks/detaches/runs", headers=auth(), json={
                "parameters": {"PIDS_FILE": str(pids_file)}}).json()["id"]
            pids = _wait_for_pids(pids_file, server)
            queued = http.post("/notebooks/no_parameters/runs", headers=auth(),
                               json={}).json()["id"]
        server.send_signal(signal.SIGTERM)
        code = server.wait(30)  # the run's limit is 600 s; the grace 2 s
    finally:
        _stop(server)
        log.close()
    output = (tmp_path / "server.log").read_text()
    assert code in (0, -signal.SIGTERM), output[-3000:]
    with Store(store_url) as store:
        interrupted, waiting = store.get_run(running), store.get_run(queued)
    assert interrupted.status == RunStatus.INTERRUPTED, output[-3000:]
    assert interrupted.error_message == "Interrupted: its worker was stopped."
    assert (waiting.status, waiting.started_at, waiting.attempt) == (RunStatus.QUEUED, None, 1)
    assert _still_running(pids) == []


@pytest.mark.slow
def test_a_second_sigterm_stops_a_workers_running_run_at_once(clean_env, store_url, tmp_path):
    env = _env(clean_env, store_url)
    pids_file = tmp_path / "pids"
    with Store(store_url) as store:
        running = queue_run(store, NOTEBOOKS, "detaches", {"PIDS_FILE": str(pids_file)},
                            "alice")
        log = open(tmp_path / "worker.log", "ab")  # noqa: SIM115 - closed at the end
        worker = _start(["worker", "--grace", "3600"], env, log)
        try:
            pids = _wait_for_pids(pids_file, worker)
            queued = queue_run(store, NOTEBOOKS, "no_parameters", {}, "alice")
            worker.send_signal(signal.SIGTERM)
            _wait_for_text(tmp_path / "worker.log", "stop again to interrupt them now", worker)
            assert store.get_run(running.id).status == RunStatus.RUNNING  # its grace is long
            worker.send_signal(signal.SIGTERM)
            code = worker.wait(30)  # not the hour of its grace
        finally:
            _stop(worker)
            log.close()
        interrupted, waiting = store.get_run(running.id), store.get_run(queued.id)
    output = (tmp_path / "worker.log").read_text()
    assert code == 0, output[-3000:]
    assert interrupted.status == RunStatus.INTERRUPTED, output[-3000:]
    assert waiting.status == RunStatus.QUEUED and waiting.started_at is None
    assert _still_running(pids) == []
