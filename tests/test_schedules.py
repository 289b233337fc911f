"""Schedules: cron in a time zone, once per due time across servers, one run for a missed
window, checked like a run, managed from the command line and over HTTP."""

import re
import shutil
import threading
import time
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from fastapi.testclient import TestClient
from runservice_fixtures import NOTEBOOKS, auth, tokens_setting

from holocron_lib.cli import cli
from holocron_lib.errors import (
    NotebookNotFoundError,
    ParameterError,
    ScheduleError,
    ScheduleExistsError,
    UnknownObjectError,
)
from holocron_lib.service import schedules as sched
from holocron_lib.service.api import create_app
from holocron_lib.service.registry import get_notebook, validate_parameters
from holocron_lib.service.store import RunStatus, Store, executions
from holocron_lib.settings import load_settings

T0 = datetime(2026, 3, 2, 8, 58, 30)  # a Monday, naive UTC like the store


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _every_five(store, root=NOTEBOOKS, **kw):
    return sched.create_schedule(store, root, name=kw.pop("name", "greet"),
                                 notebook=kw.pop("notebook", "simple_params"),
                                 cron=kw.pop("cron", "*/5 * * * *"), owner="alice",
                                 now=kw.pop("now", T0), **kw)


def _scheduled_runs(store):
    runs, _ = store.list_runs(limit=500)
    return sorted((r for r in runs if r.schedule_id is not None), key=lambda r: r.id)


def test_due_times_follow_the_time_zone_across_daylight_saving():
    winter = sched.next_due("0 9 * * *", "Europe/Paris", datetime(2026, 1, 5, 12, 0))
    summer = sched.next_due("0 9 * * *", "Europe/Paris", datetime(2026, 7, 5, 12, 0))
    assert winter == datetime(2026, 1, 6, 8, 0) and summer == datetime(2026, 7, 6, 7, 0)
    assert sched.next_due("*/5 * * * *", "UTC", datetime(2026, 1, 1, 10, 5)) == datetime(
        2026, 1, 1, 10, 10)  # strictly after
    assert sched.latest_due("*/5 * * * *", "UTC", datetime(2026, 1, 1, 10, 5)) == datetime(
        2026, 1, 1, 10, 5)  # at or before


@pytest.mark.parametrize(("kw", "message"), [
    ({"cron": "61 * * * *"}, "'61 * * * *' is not a cron expression"),
    ({"cron": "every day"}, "is not a cron expression"),
    ({"timezone": "Mars/Olympus"}, "time zone 'Mars/Olympus' is not an IANA zone name"),
    ({"name": "../x"}, "a schedule name is letters"),
], ids=["cron-range", "cron-words", "zone", "name"])
def test_a_bad_schedule_is_refused_naming_what_is_wrong(store, kw, message):
    with pytest.raises(ScheduleError, match=re.escape(message)):
        _every_five(store, **kw)
    assert sched.list_schedules(store) == []


def test_bad_parameters_are_refused_with_the_message_a_run_gets(store):
    info = get_notebook(NOTEBOOKS, "simple_params")
    with pytest.raises(ParameterError) as as_run:
        validate_parameters(info, {"COUNT": "9"}, from_strings=True)
    with pytest.raises(ParameterError) as as_schedule:
        _every_five(store, parameters={"COUNT": "9"}, from_strings=True)
    assert str(as_schedule.value) == str(as_run.value)
    with pytest.raises(NotebookNotFoundError):
        _every_five(store, notebook="nope")
    assert sched.list_schedules(store) == []


def test_a_schedule_fires_once_per_due_time_and_once_for_a_missed_window(store):
    made = _every_five(store, parameters={"COUNT": "3"}, from_strings=True)
    assert made.parameters == {"COUNT": 3} and made.next_due_at == datetime(2026, 3, 2, 9, 0)
    with pytest.raises(ScheduleExistsError):
        _every_five(store)
    clock = Clock(T0)
    scheduler = sched.Scheduler(store, NOTEBOOKS, clock=clock)
    assert scheduler.tick() == []  # not due yet
    clock.now = datetime(2026, 3, 2, 9, 0, 0)
    (run,) = scheduler.tick()
    assert (run.status, run.user, run.scheduled_for) == (RunStatus.QUEUED, "alice",
                                                         datetime(2026, 3, 2, 9, 0))
    assert run.parameters == {"NAME": "world", "COUNT": 3, "MODE": "dry_run", "OUT_FILE": ""}
    assert scheduler.tick() == []  # the same due time is not queued twice

    clock.now = datetime(2026, 3, 2, 11, 17)  # two hours of downtime: 24 ticks missed
    (caught_up,) = scheduler.tick()
    assert caught_up.scheduled_for == datetime(2026, 3, 2, 11, 15)
    after = sched.get_schedule(store, "greet")
    assert after.next_due_at == datetime(2026, 3, 2, 11, 20)
    assert after.last_due_at == datetime(2026, 3, 2, 11, 15)
    assert after.last_run_id == caught_up.id
    assert len(_scheduled_runs(store)) == 2


def test_paused_schedules_queue_nothing_and_resume_from_now(store):
    _every_five(store)
    clock = Clock(datetime(2026, 3, 2, 9, 1))
    scheduler = sched.Scheduler(store, NOTEBOOKS, clock=clock)
    assert sched.set_paused(store, "greet", True, now=clock.now).paused
    assert scheduler.tick() == []
    clock.now = datetime(2026, 3, 2, 10, 2)
    resumed = sched.set_paused(store, "greet", False, now=clock.now)
    assert resumed.next_due_at == datetime(2026, 3, 2, 10, 5)  # the pause is not caught up
    assert scheduler.tick() == []
    clock.now = datetime(2026, 3, 2, 10, 5)
    assert len(scheduler.tick()) == 1
    assert sched.delete_schedule(store, "greet").name == "greet"
    with pytest.raises(UnknownObjectError, match="schedule 'greet'"):
        sched.get_schedule(store, "greet")
    assert len(_scheduled_runs(store)) == 1  # its history stays


def test_a_schedule_whose_notebook_changed_records_an_error_run_naming_it(store, tmp_path):
    root = tmp_path / "nb"
    root.mkdir()
    shutil.copy(NOTEBOOKS / "simple_params.py", root / "simple_params.py")
    _every_five(store, root=root, parameters={"COUNT": 4})
    source = (root / "simple_params.py").read_text()
    (root / "simple_params.py").write_text(source.replace("[max: 5]", "[max: 3]"))
    clock = Clock(datetime(2026, 3, 2, 9, 0))
    (run,) = sched.Scheduler(store, root, clock=clock).tick()
    assert run.status == RunStatus.ERROR and run.completed_at is not None
    assert run.error_message.startswith("schedule 'greet': ")
    assert "'COUNT'" in run.error_message and "1 to 3" in run.error_message


def test_the_store_allows_one_run_per_schedule_and_due_time(store):
    made = _every_five(store)
    due = datetime(2026, 3, 2, 9, 0)
    with store.writing() as conn:
        store.insert_run(conn, "simple_params", "alice", {}, schedule_id=made.id,
                         scheduled_for=due)
    with pytest.raises(sa.exc.IntegrityError), store.writing() as conn:
        store.insert_run(conn, "simple_params", "alice", {}, schedule_id=made.id,
                         scheduled_for=due)
    with store.writing() as conn:  # runs of no schedule do not collide
        for _ in range(2):
            store.insert_run(conn, "simple_params", "alice", {})


@pytest.mark.slow
@pytest.mark.postgres
def test_two_scheduler_loops_with_their_own_engines_fire_once_per_due_time(pg_store_url):
    with Store(pg_store_url) as setup:
        for i in range(3):
            _every_five(setup, name=f"s{i}", cron="* * * * *" if i else "*/2 * * * *")
    clock = Clock(datetime(2026, 3, 2, 9, 0, 30))
    stores = [Store(pg_store_url) for _ in range(2)]
    queued: list[list[int]] = [[], []]
    loops = [sched.Scheduler(s, NOTEBOOKS, clock=clock,
                             on_queued=lambda run, mine=mine: mine.append(run.id))
             for s, mine in zip(stores, queued, strict=True)]
    stop = threading.Event()
    threads = [threading.Thread(target=lp.run, args=(stop, 0.005)) for lp in loops]
    for t in threads:
        t.start()
    try:
        for minute in range(1, 31):
            clock.now = datetime(2026, 3, 2, 9, minute, 0)
            deadline = time.monotonic() + 30
            while any(lp.last_tick_at != clock.now for lp in loops):  # each loop saw this time
                assert time.monotonic() < deadline, "a scheduler loop stopped ticking"
                time.sleep(0.002)
            time.sleep(0.01)  # and had the chance to tick at it again
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    with Store(pg_store_url) as check, check.engine.connect() as conn:
        rows = conn.execute(sa.select(executions.c.schedule_id, executions.c.scheduled_for,
                                      executions.c.runner_pid)).all()
        ids = {s.name: s.id for s in sched.list_schedules(check)}
    for store in stores:
        store.close()
    due = {}
    for row in rows:
        due.setdefault(row.schedule_id, []).append(row.scheduled_for.minute)
    # due from 9:00 (s1, s2 since 8:59, caught up once at 9:00:30); each due time once
    assert sorted(due[ids["s0"]]) == list(range(0, 31, 2))
    assert sorted(due[ids["s1"]]) == sorted(due[ids["s2"]]) == list(range(0, 31))
    assert len(rows) == 16 + 31 + 31
    assert sorted(queued[0] + queued[1]) == sorted(set(queued[0] + queued[1]))  # no run twice
    assert len(queued[0]) + len(queued[1]) == len(rows)


def test_schedules_commands(run_env):
    def invoke(*args):
        result = CliRunner().invoke(cli, [*args, "--root", str(NOTEBOOKS)])
        return result

    made = invoke("schedules", "create", "nightly", "simple_params", "--cron", "0 2 * * *",
                  "--tz", "Europe/Paris", "-p", "COUNT=2")
    assert made.exit_code == 0, made.output
    assert "schedule nightly: simple_params at '0 2 * * *' (Europe/Paris), next due" in (
        made.output)
    assert " CET" in made.output or " CEST" in made.output
    bad = invoke("schedules", "create", "x", "simple_params", "--cron", "0 2 * *")
    assert bad.exit_code == 1 and "'0 2 * *' is not a cron expression" in bad.output
    listed = invoke("schedules", "list").output
    assert "nightly" in listed and "active" in listed and "1 schedule(s)" in listed
    assert "paused" in invoke("schedules", "pause", "nightly").output
    assert "paused" in invoke("schedules", "list").output
    assert "active, next due" in invoke("schedules", "resume", "nightly").output
    assert "deleted" in invoke("schedules", "delete", "nightly").output
    gone = invoke("schedules", "delete", "nightly")
    assert gone.exit_code == 1 and "schedule 'nightly'" in gone.output


def test_schedules_over_http(clean_env):
    settings = load_settings(env={
        "HOLOCRON_HOME": str(clean_env),
        "HOLOCRON_STORE_URL": f"sqlite:///{clean_env}/runs.sqlite",
        "HOLOCRON_API_TOKENS": tokens_setting()}, dotenv=False)
    app = create_app(settings, notebooks_root=NOTEBOOKS, run_worker=False, run_scheduler=False)
    with TestClient(app) as c:
        body = {"name": "hourly", "notebook": "simple_params", "cron": "0 * * * *",
                "timezone": "America/New_York", "parameters": {"COUNT": 2}}
        r = c.post("/schedules", headers=auth(), json=body)
        assert r.status_code == 201, r.text
        out = r.json()
        assert out["owner"] == "alice" and out["paused"] is False
        assert out["next_due_local"].endswith(("-05:00", "-04:00"))
        assert r.headers["location"] == "/schedules/hourly"
        assert c.post("/schedules", headers=auth(), json=body).status_code == 409
        bad = c.post("/schedules", headers=auth(), json={**body, "name": "b",
                                                           "parameters": {"COUNT": 9}})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_parameters"
        assert "'COUNT'" in bad.json()["error"]["message"]
        cron = c.post("/schedules", headers=auth(), json={**body, "name": "c", "cron": "x"})
        assert cron.status_code == 422 and cron.json()["error"]["code"] == "invalid_schedule"
        assert c.post("/schedules", json=body).status_code == 401
        listing = c.get("/schedules", headers=auth("bob")).json()
        assert listing["total"] == 1 and listing["schedules"][0]["name"] == "hourly"
        assert c.post("/schedules", headers=auth("vera"), json={**body, "name": "v"}
                      ).status_code == 403  # a viewer schedules nothing
        assert c.post("/schedules/hourly/pause", headers=auth("bob")).status_code == 403
        assert c.post("/schedules/hourly/pause", headers=auth()).json()["paused"] is True
        assert c.post("/schedules/hourly/resume", headers=auth()).json()["paused"] is False
        assert c.delete("/schedules/hourly", headers=auth()).status_code == 204
        missing = c.get("/schedules/hourly", headers=auth())
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "schedule_not_found"


@pytest.mark.slow
def test_a_server_queues_due_runs_and_its_worker_runs_them(clean_env, tmp_path):
    """The loop inside `holocron serve`: a schedule due now is queued and executed."""
    settings = load_settings(env={
        "HOLOCRON_HOME": str(clean_env),
        "HOLOCRON_STORE_URL": f"sqlite:///{clean_env}/runs.sqlite",
        "HOLOCRON_SCHEDULER_POLL": "1"}, dotenv=False)
    with Store(settings.store_url) as store:
        # due a minute ago: the server's first pass queues it
        sched.create_schedule(store, NOTEBOOKS, name="now", notebook="no_parameters",
                              cron="* * * * *", owner="alice",
                              now=datetime.now().replace(microsecond=0) - timedelta(hours=30))
    with TestClient(create_app(settings, notebooks_root=NOTEBOOKS, workers=1)):
        with Store(settings.store_url) as store:
            deadline = time.monotonic() + 120
            while not [r for r in _scheduled_runs(store) if r.status.terminal]:
                assert time.monotonic() < deadline, "the due run was not queued and run"
                time.sleep(0.2)
            (run,) = _scheduled_runs(store)
    assert run.status == RunStatus.SUCCEEDED and run.user == "alice"
