"""The run store on SQLite and PostgreSQL: schema, registry sync, lifecycle, orphans, concurrency."""

import multiprocessing
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime

import pytest
import sqlalchemy as sa
from runservice_fixtures import NOTEBOOKS

from holocron_lib.errors import DatabaseError, RunStateError, UnknownObjectError
from holocron_lib.service.registry import discover_notebooks, get_notebook
from holocron_lib.service.runner import output_file_name, output_path_for
from holocron_lib.service.store import (
    SCHEMA_VERSION,
    RunStatus,
    Store,
    executions,
    metadata,
    utcnow,
)


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


def test_heartbeat_marks_only_the_runs_this_process_executes(store):
    info = get_notebook(NOTEBOOKS, "simple_params")
    store.create_run(info, "alice", {})  # queued: any worker may take it, nobody beats for it
    running = store.create_run(info, "alice", {}, status=RunStatus.RUNNING)
    assert store.heartbeat() == 1
    assert store.get_run(running.id).heartbeat_at is not None


def _set(store, run_id, **values):
    with store.engine.begin() as conn:
        conn.execute(executions.update().where(executions.c.id == run_id).values(**values))


DEAD_PID = 2 ** 22 + 17  # beyond pid_max: no such process


def test_claim_next_takes_the_oldest_queued_run_once(store):
    info = get_notebook(NOTEBOOKS, "simple_params")
    first, second = (store.create_run(info, "alice", {}) for _ in range(2))
    store.create_run(info, "alice", {}, status=RunStatus.ERROR, error_message="bad")
    claimed = store.claim_next()
    assert claimed.id == first.id and claimed.status == RunStatus.RUNNING
    assert claimed.started_at is not None and claimed.runner_pid == os.getpid()
    assert store.claim_next().id == second.id
    assert store.claim_next() is None


def _claim_all(url: str, label: str, out) -> None:
    with Store(url) as s:
        mine = []
        while (run := s.claim_next()) is not None:
            s.finish_run(run.id, RunStatus.SUCCEEDED, error_name=label)
            mine.append(run.id)
    out.put((label, mine))


def test_workers_in_several_processes_claim_each_run_exactly_once(store, store_url):
    info = get_notebook(NOTEBOOKS, "simple_params")
    ids = {store.create_run(info, "alice", {"NAME": str(i)}).id for i in range(40)}
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=_claim_all, args=(store_url, f"w{i}", out)) for i in range(4)]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    claimed = [run_id for mine in results.values() for run_id in mine]
    assert sorted(claimed) == sorted(ids)  # none twice, none left
    runs, _ = store.list_runs(limit=100)
    assert {r.status for r in runs} == {RunStatus.SUCCEEDED}
    assert all(r.error_name == w for w, mine in results.items() for r in runs if r.id in mine)


def test_cancel_a_queued_run_at_once_and_a_running_one_by_request(store):
    info = get_notebook(NOTEBOOKS, "simple_params")
    queued = store.create_run(info, "alice", {})
    done = store.request_cancel(queued.id, "bob")
    assert done.status == RunStatus.CANCELLED and done.completed_at is not None
    assert done.error_message == "cancelled by bob before it started"
    assert store.claim_next() is None  # a cancelled run is never claimed

    running = store.create_run(info, "alice", {}, status=RunStatus.RUNNING)
    asked = store.request_cancel(running.id, "bob")
    assert asked.status == RunStatus.RUNNING and asked.cancel_requested_by == "bob"
    assert store.cancel_requests([running.id, queued.id]) == {running.id: "bob"}
    store.finish_run(running.id, RunStatus.CANCELLED, error_message="cancelled by bob")
    with pytest.raises(RunStateError, match=f"run {running.id}.*status cancelled"):
        store.request_cancel(running.id, "bob")
    with pytest.raises(UnknownObjectError):
        store.request_cancel(999, "bob")


def test_a_dead_runners_retry_safe_run_is_queued_again_until_its_attempts_are_spent(store):
    tally = get_notebook(NOTEBOOKS, "tally")
    assert tally.retry_safe and not get_notebook(NOTEBOOKS, "slow").retry_safe
    run = store.create_run(tally, "alice", {}, max_attempts=2)
    assert store.claim_next().id == run.id
    _set(store, run.id, runner_pid=DEAD_PID)
    assert store.recover_orphans() == [run.id]
    again = store.get_run(run.id)
    assert (again.status, again.attempt, again.max_attempts) == (RunStatus.QUEUED, 2, 2)
    assert again.started_at is None and "attempt 1 of 2 was interrupted" in again.error_message
    (first,) = again.attempt_history
    assert first["attempt"] == 1 and f"process {DEAD_PID}" in first["reason"]

    assert store.claim_next().id == run.id
    _set(store, run.id, runner_pid=DEAD_PID)
    assert store.recover_orphans() == [run.id]
    failed = store.get_run(run.id)
    assert failed.status == RunStatus.FAILED and failed.completed_at is not None
    assert "(attempt 2 of 2)" in failed.error_message and len(failed.attempt_history) == 2


def test_a_run_tried_once_fails_and_a_cancelled_one_is_cancelled_when_its_runner_dies(store):
    info = get_notebook(NOTEBOOKS, "slow")
    once = store.create_run(info, "alice", {}, status=RunStatus.RUNNING)
    asked = store.create_run(info, "alice", {}, status=RunStatus.RUNNING)
    store.request_cancel(asked.id, "bob")
    for run in (once, asked):
        _set(store, run.id, runner_pid=DEAD_PID)
    assert sorted(store.recover_orphans()) == [once.id, asked.id]
    assert store.get_run(once.id).status == RunStatus.FAILED
    assert store.get_run(once.id).error_message.startswith("Interrupted: its runner process")
    assert store.get_run(asked.id).status == RunStatus.CANCELLED
    assert "cancelled by bob" in store.get_run(asked.id).error_message


def test_a_version_1_store_is_upgraded_in_place(store_url):
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:  # the tables as version 1 made them
        metadata.create_all(conn)
        conn.execute(sa.text("DROP INDEX ux_run_schedule_due"))
        conn.execute(sa.text("DROP TABLE schedules"))
        conn.execute(sa.text("DROP TABLE presets"))
        for column in ("attempt", "max_attempts", "attempt_history", "cancel_requested_by",
                       "schedule_id", "scheduled_for", "preset", "lineage", "results"):
            conn.execute(sa.text(f"ALTER TABLE notebook_executions DROP COLUMN {column}"))
        conn.execute(sa.text("INSERT INTO holocron_schema_version (version, applied_at) "
                             "VALUES (1, :t)"), {"t": utcnow()})
        conn.execute(sa.text("INSERT INTO notebook_executions (notebook_name, username, "
                             "input_path, parameters_used, status, queued_at) VALUES ('slow', "
                             "'alice', 'slow.py', '{}', 'succeeded', :t)"), {"t": utcnow()})
    engine.dispose()
    with Store(store_url) as upgraded:
        assert upgraded.schema_version() == SCHEMA_VERSION
        run = upgraded.get_run(1)
        assert (run.status, run.attempt, run.max_attempts) == (RunStatus.SUCCEEDED, 1, 1)
        assert run.attempt_history == () and run.cancel_requested_by is None
        assert run.lineage is None and run.results == {}
        with upgraded.engine.connect() as conn:
            indexes = {i["name"] for i in sa.inspect(conn).get_indexes("notebook_executions")}
            assert "ux_run_schedule_due" in indexes
            assert {"schedules", "presets"} <= set(sa.inspect(conn).get_table_names())


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


def test_the_change_stamp_moves_with_every_commit_of_any_connection(store, store_url,
                                                                   tmp_path):
    if store.dialect != "sqlite":  # nothing exact there: nothing is kept
        assert store.changes.stamp() is None
        return
    info = get_notebook(NOTEBOOKS, "simple_params")
    before = store.changes.stamp()
    store.list_runs()  # reading changes nothing
    assert store.changes.stamp() == before
    store.create_run(info, "alice", {})
    after = store.changes.stamp()
    assert after != before
    with Store(store_url) as other:  # another connection, as another process would write
        other.create_run(info, "bob", {})
    assert store.changes.stamp() not in (before, after)
    # a store file replaced under the server is a change too
    path = store.engine.url.database
    moved = store.changes.stamp()
    os.replace(path, tmp_path / "old.sqlite")
    with Store(store_url):
        pass
    assert store.changes.stamp() != moved
