"""The run store on SQLite and PostgreSQL: schema, registry sync, lifecycle, orphans, concurrency."""

import multiprocessing
import subprocess
import sys
from dataclasses import replace
from datetime import datetime

import pytest
import sqlalchemy as sa
from runservice_fixtures import NOTEBOOKS

from holocron_lib.errors import DatabaseError, UnknownObjectError
from holocron_lib.service.registry import discover_notebooks, get_notebook
from holocron_lib.service.runner import output_file_name, output_path_for
from holocron_lib.service.store import SCHEMA_VERSION, RunStatus, Store, executions, utcnow


def test_an_output_file_is_named_by_notebook_and_run_under_its_day(tmp_path):
    assert output_file_name("debug/queue_health", 7) == "debug__queue_health-7.ipynb"
    path = output_path_for(tmp_path, "debug/queue_health", 7, datetime(2024, 5, 4, 23, 59))
    assert path == tmp_path / "notebooks" / "2024-05-04" / "debug__queue_health-7.ipynb"


def test_schema_is_versioned_and_opening_twice_changes_nothing(store, store_url):
    assert store.schema_version() == SCHEMA_VERSION
    again = Store(store_url)
    assert again.schema_version() == SCHEMA_VERSION
    with again.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM holocron_schema_version")).scalar() == 1
        tables = set(sa.inspect(conn).get_table_names())
    assert {"notebooks", "notebook_parameters", "notebook_executions"} <= tables
    again.close()


def test_a_newer_schema_is_refused(store, store_url):
    with store.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO holocron_schema_version (version, applied_at) "
                             "VALUES (:v, :t)"), {"v": SCHEMA_VERSION + 1, "t": utcnow()})
    with pytest.raises(DatabaseError, match="newer than this holocron"):
        Store(store_url).close()


def test_sqlite_store_uses_wal(tmp_path):
    with Store(f"sqlite:///{tmp_path}/r.sqlite") as s, s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_sync_is_idempotent_and_keeps_history_of_removed_notebooks(store):
    infos = discover_notebooks(NOTEBOOKS)
    first = store.sync_notebooks(infos)
    assert sorted(first["added"]) == sorted(i.name for i in infos)
    second = store.sync_notebooks(infos)
    assert second["added"] == second["updated"] == second["deactivated"] == []
    assert len(second["unchanged"]) == len(infos)

    slow = next(i for i in infos if i.name == "slow")
    run = store.create_run(slow, "alice", {"SECONDS": 1.0})
    remaining = [i for i in infos if i.name != "slow"]
    assert store.sync_notebooks(remaining)["deactivated"] == ["slow"]
    assert "slow" not in [n["name"] for n in store.list_notebooks()]
    assert [n["active"] for n in store.list_notebooks(include_inactive=True)
            if n["name"] == "slow"] == [False]
    assert store.get_run(run.id).notebook == "slow"  # history kept
    assert store.sync_notebooks(infos)["updated"] == ["slow"]  # back on disk: active again


def test_parameters_are_stored_with_rules(store):
    store.sync_notebooks([get_notebook(NOTEBOOKS, "simple_params")])
    (nb,) = store.list_notebooks()
    params = {p["name"]: p for p in nb["parameters"]}
    assert params["COUNT"] == {"name": "COUNT", "type": "int", "default": 2,
                               "description": "how many greetings", "required": False,
                               "rules": {"min": 1, "max": 5}}
    assert params["MODE"]["rules"] == {"allowed": ["dry_run", "apply"]}
    assert nb["tags"] == ["fixture", "greeting"] and nb["owner"] == "test-team"


def test_a_changed_notebook_is_updated(store):
    info = get_notebook(NOTEBOOKS, "simple_params")
    store.sync_notebooks([info])
    changed = replace(info, title="Renamed", parameters=info.parameters[:1])
    assert store.sync_notebooks([changed])["updated"] == ["simple_params"]
    (nb,) = store.list_notebooks()
    assert nb["title"] == "Renamed" and [p["name"] for p in nb["parameters"]] == ["NAME"]


def test_lifecycle_queued_running_finished_once(store):
    info = get_notebook(NOTEBOOKS, "simple_params")
    run = store.create_run(info, "alice", {"NAME": "x"}, timeout=30)
    assert (run.status, run.user, run.timeout_seconds) == (RunStatus.QUEUED, "alice", 30)
    assert run.input_path == "simple_params.py" and run.started_at is None
    assert store.claim_run(run.id) is True
    assert store.claim_run(run.id) is False  # only one claimant wins
    done = store.finish_run(run.id, RunStatus.FAILED, error_message="ValueError: x",
                            error_cell=3, error_name="ValueError", output_path="/o.ipynb")
    assert (done.status, done.error_cell, done.output_path) == (RunStatus.FAILED, 3, "/o.ipynb")
    assert done.completed_at is not None and done.duration_seconds is not None
    again = store.finish_run(run.id, RunStatus.SUCCEEDED)
    assert again.status == RunStatus.FAILED  # a closed run stays closed


def test_unknown_run_is_named(store):
    with pytest.raises(UnknownObjectError, match="run '999'"):
        store.get_run(999)


def test_listing_filters_and_pages(store):
    a = get_notebook(NOTEBOOKS, "simple_params")
    b = get_notebook(NOTEBOOKS, "no_parameters")
    for i in range(5):
        store.create_run(a if i % 2 else b, "alice" if i < 3 else "bob", {})
    store.create_run(a, "bob", {}, status=RunStatus.ERROR, error_message="bad")
    runs, total = store.list_runs(limit=2)
    assert total == 6 and [r.id for r in runs] == [6, 5]  # newest first
    assert [r.id for r in store.list_runs(limit=2, offset=4)[0]] == [2, 1]
    assert store.list_runs(notebook="simple_params")[1] == 3
    assert store.list_runs(user="bob")[1] == 3
    assert store.list_runs(status="error", user="bob")[1] == 1
    with pytest.raises(ValueError):
        store.list_runs(status="exploded")


def test_a_run_whose_runner_died_is_closed_as_failed(store):
    info = get_notebook(NOTEBOOKS, "slow")
    run = store.create_run(info, "alice", {}, status=RunStatus.RUNNING)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with store.engine.begin() as conn:
        conn.execute(executions.update().where(executions.c.id == run.id)
                     .values(runner_pid=dead.pid))
    mine = store.create_run(info, "alice", {}, status=RunStatus.RUNNING)
    assert store.recover_orphans() == [run.id]
    closed = store.get_run(run.id)
    assert closed.status == RunStatus.FAILED and f"process {dead.pid}" in closed.error_message
    assert store.get_run(mine.id).status == RunStatus.RUNNING  # this process is alive
    assert store.recover_orphans() == []


def test_a_silent_runner_on_another_host_is_closed(store):
    info = get_notebook(NOTEBOOKS, "slow")
    run = store.create_run(info, "alice", {}, status=RunStatus.RUNNING)
    with store.engine.begin() as conn:
        conn.execute(executions.update().where(executions.c.id == run.id).values(
            runner_host="elsewhere", heartbeat_at=utcnow().replace(year=2000)))
    assert store.recover_orphans() == [run.id]
    assert "no heartbeat" in store.get_run(run.id).error_message


def test_heartbeat_and_adoption_of_queued_runs(store):
    info = get_notebook(NOTEBOOKS, "simple_params")
    run = store.create_run(info, "alice", {})
    assert store.heartbeat() == 1
    assert store.adopt_queued() == []  # its owner (this process) is alive
    with store.engine.begin() as conn:
        conn.execute(executions.update().where(executions.c.id == run.id)
                     .values(runner_pid=2 ** 22 + 17))  # beyond pid_max: no such process
    assert store.adopt_queued() == [run.id]
    assert store.get_run(run.id).status == RunStatus.QUEUED


def _create_many(url: str, count: int, user: str) -> None:
    with Store(url) as s:
        info = get_notebook(NOTEBOOKS, "simple_params")
        for _ in range(count):
            s.create_run(info, user, {"NAME": user})


def test_several_processes_write_without_losing_rows(store, store_url):
    ctx = multiprocessing.get_context("fork")  # quick to start; children open their own engine
    procs = [ctx.Process(target=_create_many, args=(store_url, 15, f"u{i}")) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    runs, total = store.list_runs(limit=500)
    assert total == 60 and len({r.id for r in runs}) == 60
    assert {r.user for r in runs} == {"u0", "u1", "u2", "u3"}
