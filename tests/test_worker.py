"""Workers: the store as the queue, cancellation, interrupted attempts, several machines' worth
of worker processes on one PostgreSQL store surviving `kill -9` of one of them."""

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from click.testing import CliRunner
from runservice_fixtures import (
    NOTEBOOKS,
    auth,
    tokens_setting,
    wait_for_file,
    wait_for_store,
)

from holocron_lib.cli import cli
from holocron_lib.service.runner import queue_run
from holocron_lib.service.store import RunStatus, Store
from holocron_lib.service.worker import Worker
from holocron_lib.settings import load_settings


@pytest.fixture
def sqlite_store(clean_env):
    with Store(f"sqlite:///{clean_env}/runs.sqlite") as store:
        yield store


@pytest.fixture
def settings(clean_env):
    return load_settings(env={"HOLOCRON_HOME": str(clean_env), "HOLOCRON_RUN_TIMEOUT": "120",
                              "HOLOCRON_RECOVERY_SECONDS": "1"}, dotenv=False)


def _tally(tmp_path, key: str) -> list[str]:
    path = tmp_path / f"{key}.log"
    return path.read_text().split() if path.exists() else []


@pytest.mark.slow
def test_a_worker_executes_queued_runs_once_each(sqlite_store, settings, tmp_path):
    ids = [queue_run(sqlite_store, NOTEBOOKS, "tally", {"TALLY_DIR": str(tmp_path),
                                                        "KEY": f"k{i}"}, "alice").id
           for i in range(4)]
    worker = Worker(sqlite_store, NOTEBOOKS, settings, concurrency=2).start()
    try:
        runs = wait_for_store(sqlite_store, ids)
    finally:
        worker.stop()
    assert {r.status for r in runs.values()} == {RunStatus.SUCCEEDED}
    assert [_tally(tmp_path, f"k{i}") for i in range(4)] == [[str(os.getpid())]] * 4
    assert all(r.attempt == 1 and r.runner_pid == os.getpid() for r in runs.values())


@pytest.mark.slow
def test_cancelling_a_running_run_stops_it_and_a_queued_one_never_starts(
        sqlite_store, settings, tmp_path):
    ready = tmp_path / "ready"
    running = queue_run(sqlite_store, NOTEBOOKS, "slow",
                        {"SECONDS": 120, "READY_FILE": str(ready)}, "alice")
    worker = Worker(sqlite_store, NOTEBOOKS, settings, concurrency=1).start()
    try:
        wait_for_file(ready)
        queued = queue_run(sqlite_store, NOTEBOOKS, "tally",
                           {"TALLY_DIR": str(tmp_path), "KEY": "never"}, "alice")
        assert sqlite_store.request_cancel(queued.id, "bob").status == RunStatus.CANCELLED
        asked = sqlite_store.request_cancel(running.id, "bob")
        assert asked.status == RunStatus.RUNNING and asked.cancel_requested_by == "bob"
        done = wait_for_store(sqlite_store, [running.id])[running.id]
    finally:
        worker.stop()
    assert done.status == RunStatus.CANCELLED
    assert done.error_message == "cancelled by bob while running"
    assert done.output_path and os.path.exists(done.output_path)  # the partial output is kept
    assert _tally(tmp_path, "never") == []
    assert sqlite_store.get_run(queued.id).started_at is None


@pytest.mark.slow
def test_a_worker_stopped_at_once_requeues_retry_safe_runs_and_interrupts_the_rest(
        sqlite_store, settings, tmp_path):
    ready_a, ready_b = tmp_path / "a", tmp_path / "b"
    safe = queue_run(sqlite_store, NOTEBOOKS, "tally",
                     {"TALLY_DIR": str(tmp_path), "KEY": "safe", "SECONDS": 120,
                      "READY_FILE": str(ready_a)}, "alice", attempts=3)
    once = queue_run(sqlite_store, NOTEBOOKS, "slow",
                     {"SECONDS": 120, "READY_FILE": str(ready_b)}, "alice", attempts=3)
    assert (safe.max_attempts, once.max_attempts) == (3, 1)
    worker = Worker(sqlite_store, NOTEBOOKS, settings, concurrency=2).start()
    wait_for_file(ready_a)
    wait_for_file(ready_b)
    worker.stop(now=True)
    again, failed = sqlite_store.get_run(safe.id), sqlite_store.get_run(once.id)
    assert (again.status, again.attempt) == (RunStatus.QUEUED, 2)
    assert again.attempt_history[0]["reason"] == "its worker was stopped"
    assert failed.status == RunStatus.INTERRUPTED
    assert failed.error_message == "Interrupted: its worker was stopped."


@pytest.mark.slow
def test_runs_cancel_command(run_env, tmp_path):
    from holocron_lib.settings import load_settings as load

    with Store(load(dotenv=False).store_url) as store:
        run = queue_run(store, NOTEBOOKS, "simple_params", {}, "alice")
    result = CliRunner().invoke(cli, ["runs", "cancel", str(run.id)])
    assert result.exit_code == 0 and f"run {run.id} (simple_params) cancelled" in result.output
    again = CliRunner().invoke(cli, ["runs", "cancel", str(run.id)])
    assert again.exit_code == 1
    assert f"cannot cancel run {run.id}: it has already ended (status cancelled)" in again.output
    shown = CliRunner().invoke(cli, ["runs", "show", str(run.id)]).output
    assert "status:       cancelled" in shown and "cancelled by:" in shown


# --- several worker processes on one PostgreSQL store ------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args, env, log):
    return subprocess.Popen([sys.executable, "-m", "holocron_lib", *args, "--root",
                             str(NOTEBOOKS)], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


@pytest.mark.slow
@pytest.mark.postgres
def test_three_workers_and_a_server_run_sixty_runs_once_each_surviving_kill_9(
        pg_store_url, clean_env, tmp_path):
    env = {**os.environ, "HOLOCRON_HOME": str(clean_env), "HOLOCRON_STORE_URL": pg_store_url,
           "HOLOCRON_API_TOKENS": tokens_setting(),
           "HOLOCRON_RECOVERY_SECONDS": "1", "HOLOCRON_WORKERS": "1",
           "HOLOCRON_RUN_ATTEMPTS": "3", "HOLOCRON_MAX_WAITING_PER_USER": "100"}
    tally = tmp_path / "tally"
    tally.mkdir()
    ready_once, ready_safe = tmp_path / "ready-once", tmp_path / "ready-safe"
    log = open(tmp_path / "processes.log", "ab")  # noqa: SIM115 - closed at the end
    procs: list[subprocess.Popen] = []
    store = Store(pg_store_url)
    try:
        # The victim takes the two long runs queued first: one tried once, one retry-safe.
        once = queue_run(store, NOTEBOOKS, "slow", {"SECONDS": 30,
                                                    "READY_FILE": str(ready_once)}, "alice",
                         attempts=3)
        safe = queue_run(store, NOTEBOOKS, "tally", {"TALLY_DIR": str(tally), "KEY": "safe",
                                                     "SECONDS": 10,
                                                     "READY_FILE": str(ready_safe)}, "alice",
                         attempts=3)
        victim = _start(["worker", "--concurrency", "2"], env, log)
        procs.append(victim)
        wait_for_file(ready_once, victim)
        wait_for_file(ready_safe, victim)
        assert {store.get_run(i).runner_pid for i in (once.id, safe.id)} == {victim.pid}

        port = _free_port()
        server = _start(["serve", "--port", str(port)], env, log)
        workers = [_start(["worker"], env, log) for _ in range(2)]
        procs += [server, *workers]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if http.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
            ids = []
            for i in range(60):
                r = http.post("/notebooks/tally/runs", headers=auth(), json={
                    "parameters": {"TALLY_DIR": str(tally), "KEY": f"r{i}"}})
                assert r.status_code == 202, r.text
                ids.append(r.json()["id"])
                if i == 5:
                    os.kill(victim.pid, signal.SIGKILL)  # mid-run: both of its runs are open
                    victim.wait(30)
            runs = wait_for_store(store, [once.id, safe.id, *ids], timeout=600)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        codes = [proc.wait(120) for proc in procs]
        log.close()
        store.close()
    survivors = {str(p.pid) for p in procs[1:]}
    # uvicorn ends by re-raising the SIGTERM it handled; a worker exits 0 once drained
    assert codes[1] in (0, -signal.SIGTERM) and codes[2:] == [0, 0], (
        codes, (tmp_path / "processes.log").read_text()[-3000:])

    # The sixty: each succeeded once, on one of the survivors, and the work was shared.
    assert {runs[i].status for i in ids} == {RunStatus.SUCCEEDED}
    assert all(runs[i].attempt == 1 and not runs[i].attempt_history for i in ids)
    lines = [_tally(tally, f"r{i}") for i in range(60)]
    assert [len(x) for x in lines] == [1] * 60
    executed_by = {x[0] for x in lines}
    assert executed_by <= survivors and len(executed_by) >= 2

    # The victim's runs: the one tried once failed naming it; the retry-safe one ran again.
    failed = runs[once.id]
    assert failed.status == RunStatus.FAILED and failed.attempt == 1
    assert f"runner process {victim.pid}" in failed.error_message
    retried = runs[safe.id]
    assert retried.status == RunStatus.SUCCEEDED and retried.attempt == 2
    assert f"process {victim.pid}" in retried.attempt_history[0]["reason"]
    first, second = _tally(tally, "safe")
    assert first == str(victim.pid) and second in survivors
