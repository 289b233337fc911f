"""The working database: made from the seeded file, kept across connections and runs, one
writer at a time (the next waits, naming who writes, or gives up saying so), reset on request,
reported behind when the seeded data changes, and never touched by the book.

Other processes are real ones: a Python process holding the working database open, runs of
the runner on real kernels, the book's own execution path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from seeded_db import seeded_path

from holocron_lib.cli import cli
from holocron_lib.db import sidecar, workdb
from holocron_lib.db.connection import connect, describe_target
from holocron_lib.errors import DatabaseBusyError, WorkingDatabaseBehind
from holocron_lib.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 120  # seconds a test waits for another process to reach a point, before failing

HOLD = """
import sys
from holocron_lib import connect
db = connect()
db.connection.execute("CREATE TABLE IF NOT EXISTS main.scratch (label VARCHAR)")
db.connection.execute("INSERT INTO main.scratch VALUES (?)", [sys.argv[1]])
print("holding", flush=True)
sys.stdin.readline()
db.close()
"""


@pytest.fixture
def project(tmp_path, tmp_path_factory, monkeypatch):
    """A project home in work mode, its seeded file a copy of the session's (with sidecar)."""
    seeded = tmp_path / ".holocron" / "holocron.duckdb"
    seeded.parent.mkdir()
    source = seeded_path(tmp_path_factory)
    shutil.copyfile(source, seeded)
    shutil.copyfile(sidecar.meta_path(source), sidecar.meta_path(seeded))
    for key in [k for k in os.environ if k.startswith(("HOLOCRON_", "SEED_SQLSERVER_"))]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("HOLOCRON_HOME", str(tmp_path))
    monkeypatch.setenv("HOLOCRON_DB_MODE", "work")
    return tmp_path


def work_of(project: Path) -> Path:
    return project / ".holocron" / "work.duckdb"


def scratch(db) -> list[str]:
    return [r[0] for r in db.connection.execute(
        "SELECT label FROM main.scratch ORDER BY label").fetchall()]


def jobs(db) -> int:
    return db.scalar("SELECT COUNT(*) FROM llm.job")


class Holder:
    """Another process holding the working database open to write, as run ``run_id``."""

    def __init__(self, label: str, run_id: int | None = None):
        env = dict(os.environ)
        if run_id is not None:
            env[workdb.RUN_VARIABLE] = str(run_id)
        self.process = subprocess.Popen([sys.executable, "-c", HOLD, label], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout.readline().strip() == "holding"

    def release(self) -> None:
        self.process.communicate("\n", timeout=DEADLINE)
        assert self.process.returncode == 0


def until(check, what: str):
    """Wait for ``check()`` to give something true (another process reaching a point)."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def test_the_working_database_is_made_once_and_keeps_what_was_written(project):
    seeded = project / ".holocron" / "holocron.duckdb"
    seeded_bytes = seeded.read_bytes()
    with connect() as db:
        assert str(db.describe_target()) == "work.duckdb (working database)"
        assert "/" not in json.dumps(db.describe_target().to_dict())
        before = jobs(db)
        db.execute("INSERT INTO llm.job (job_id, interrogation_key, input_json, dedupe_key) "
                   "VALUES (NEWID(), 'manual', '{}', 'manual:1')")
        with connect() as same_process:  # shares the process's instance and session rules
            assert jobs(same_process) == before + 1
            assert same_process.scalar("SELECT CASE WHEN 'A' = 'a' THEN 7 / 2 END") == 3
            for sql in ("SELECT * FROM read_text('/etc/hostname')",
                        "SET enable_external_access = true"):  # the notebooks' sandbox holds
                with pytest.raises(duckdb.Error, match="disabled by configuration|locked"):
                    same_process.connection.execute(sql)
    with connect() as db:
        assert jobs(db) == before + 1
    assert seeded.read_bytes() == seeded_bytes
    origin = json.loads(workdb.origin_path(work_of(project)).read_text())
    assert origin["fingerprint"] == sidecar.read_meta(seeded)["fingerprint"]
    assert str(describe_target()) == "work.duckdb (working database)"
    working = describe_target()  # a run's lineage: the seed data it was made from
    assert (working.kind, working.data_fingerprint) == ("working", "seed:" + origin["fingerprint"])
    assert working.data.endswith(", with the writes kept since")
    copy_mode = load_settings(env={"HOLOCRON_HOME": str(project), "HOLOCRON_DB_MODE": "copy"})
    assert str(describe_target(copy_mode)) == "holocron.duckdb (private copy)"
    with connect(copy_mode) as private:
        assert jobs(private) == before
        assert str(private.describe_target()) == "holocron.duckdb (private copy)"


@pytest.mark.slow  # another process holds the working database
def test_a_second_writer_is_refused_or_waits_naming_the_run_that_writes(project, monkeypatch,
                                                                          capfd):
    with connect() as db:
        db.connection.execute("CREATE TABLE main.scratch (label VARCHAR)")
    holder = Holder("first", run_id=41)
    try:
        assert str(workdb.holder(work_of(project))).startswith("run 41 (process ")
        monkeypatch.setenv("HOLOCRON_DB_WAIT", "0")
        with pytest.raises(DatabaseBusyError, match=r"\.holocron/work\.duckdb is being written "
                                                    r"by run 41 \(process \d+ on "):
            connect()
        monkeypatch.setenv("HOLOCRON_DB_WAIT", "600")
        opened: list = []
        waiting = threading.Thread(target=lambda: opened.append(connect()))
        waiting.start()
        me = until(lambda: [w for w in workdb.waiters(work_of(project))
                            if w.pid == os.getpid()], "this process to wait")
        assert me and not opened
    finally:
        holder.release()
    waiting.join(DEADLINE)
    db = opened[0]
    try:
        assert scratch(db) == ["first"]  # it waited, then saw the first writer's row
    finally:
        db.close()
    assert "waiting for run 41 (process " in capfd.readouterr().err
    assert workdb.waiters(work_of(project)) == []


@pytest.mark.slow  # another process holds the working database
def test_db_reset_restores_the_seeded_state_and_refuses_while_someone_writes(project):
    seeded = project / ".holocron" / "holocron.duckdb"
    with connect(path=seeded) as db:
        seeded_jobs = jobs(db)
    with connect() as db:
        db.execute("DELETE FROM llm.job")
        assert jobs(db) == 0
    runner = CliRunner()
    declined = runner.invoke(cli, ["db", "reset"], input="n\n")
    assert declined.exit_code == 1 and "Every write made to it" in declined.output
    with connect() as db:
        assert jobs(db) == 0
    holder = Holder("busy", run_id=7)
    try:
        refused = runner.invoke(cli, ["db", "reset", "--yes"])
        assert refused.exit_code == 1
        assert "not reset: the working database .holocron/work.duckdb is being written by " \
               "run 7 (process" in refused.output
        info = runner.invoke(cli, ["db", "info"])
        assert "writer       run 7 (process" in info.output
    finally:
        holder.release()
    done = runner.invoke(cli, ["db", "reset", "--yes"])
    assert done.exit_code == 0, done.output
    assert "reset .holocron/work.duckdb to the seeded state" in done.output
    with connect() as db:
        assert jobs(db) == seeded_jobs
        assert db.connection.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'scratch'").fetchone() == (0,)


@pytest.mark.slow  # builds a seeded database
def test_a_rebuilt_seeded_database_leaves_the_working_one_behind_and_says_how_to_reset(project):
    seeded = project / ".holocron" / "holocron.duckdb"
    with connect() as db:
        db.execute("DELETE FROM llm.job")
    rebuilt = CliRunner().invoke(cli, ["db", "build", "--seed", "7", "-q"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "note: the working database .holocron/work.duckdb was made from other seed data" \
        in rebuilt.output and "holocron db reset" in rebuilt.output
    with pytest.warns(WorkingDatabaseBehind, match="holocron db reset") as caught, \
            connect() as db:
        assert jobs(db) == 0  # the user's writes are kept, not silently discarded
    assert ".holocron/work.duckdb" in str(caught[0].message)
    info = CliRunner().invoke(cli, ["db", "info"])
    assert "behind: made from other seed data; `holocron db reset` starts again" in info.output
    assert CliRunner().invoke(cli, ["db", "reset", "-y"]).exit_code == 0
    assert not workdb.status(work_of(project), seeded).behind


WRITER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Writer
#
# | | |
# |---|---|
# | **Category** | Runbook |
# | **Prerequisites** | none |
# | **Last verified** | 2026-01-01 |
#
# Writes a row to the working database, then holds it until RELEASE_FILE exists.

# %% tags=["parameters"]
LABEL: str = "a"  # the row written
RELEASE_FILE: str = ""  # held open until this file exists (empty: not held)

# %%
import os
import time
from holocron_lib import connect

db = connect()
db.connection.execute("CREATE TABLE IF NOT EXISTS main.scratch (label VARCHAR)")
db.connection.execute("INSERT INTO main.scratch VALUES (?)", [LABEL])
while RELEASE_FILE and not os.path.exists(RELEASE_FILE):
    time.sleep(0.05)
print("rows seen:", sorted(r[0] for r in db.connection.execute("SELECT label FROM main.scratch").fetchall()))
print("ran against", db.describe_target())
db.close()
"""


@pytest.mark.slow  # two runs on real kernels
def test_two_runs_writing_at_once_are_serialised_and_the_second_says_for_whom(project):
    from holocron_lib.service.runner import perform_run, queue_run
    from holocron_lib.service.store import RunStatus, Store

    notebooks = project / "nb"
    notebooks.mkdir()
    (notebooks / "writer.py").write_text(WRITER)
    release = project / "release"
    store = Store(f"sqlite:///{project}/runs.sqlite")
    first = queue_run(store, notebooks, "writer", {"LABEL": "a", "RELEASE_FILE": str(release)},
                      "alice")
    second = queue_run(store, notebooks, "writer", {"LABEL": "b"}, "bob")
    done: dict[int, object] = {}

    def execute(run):
        done[run.id] = perform_run(store, run, notebooks, home=project,
                                   artifacts_dir=project / "artifacts", default_timeout=300)

    threads = [threading.Thread(target=execute, args=(first,))]
    threads[0].start()
    try:
        until(lambda: (h := workdb.holder(work_of(project))) and h.run == first.id,
              f"run {first.id} to hold the working database")
        threads.append(threading.Thread(target=execute, args=(second,)))
        threads[1].start()
        until(lambda: [w for w in workdb.waiters(work_of(project)) if w.run == second.id],
              f"run {second.id} to wait")
    finally:
        release.touch()
        for thread in threads:
            thread.join(DEADLINE)
    a, b = done[first.id], done[second.id]
    assert (a.status, b.status) == (RunStatus.SUCCEEDED, RunStatus.SUCCEEDED), \
        (a.error_message, b.error_message)
    second_output = Path(b.output_path).read_text()
    assert f"waiting for run {first.id} (process " in second_output
    assert "rows seen: ['a', 'b']" in second_output  # after the first's write, not beside it
    assert "ran against work.duckdb (working database)" in second_output
    with connect() as db:
        assert scratch(db) == ["a", "b"]
    store.close()


BOOK_NOTEBOOK = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Writes
#
# A notebook that writes, executed as the book executes it.

# %%
import os
from pathlib import Path
from holocron_lib import connect

db = connect()
db.execute("DELETE FROM llm.job")
Path(os.environ["HOLOCRON_HOME"], "target.txt").write_text(str(db.describe_target()))
db.close()
"""


@pytest.mark.slow  # executes a notebook on a real kernel
def test_the_book_executes_on_a_throwaway_copy_and_never_touches_the_working_database(project):
    from holocron_lib.book.preview import execute_notebooks

    (project / "book").mkdir()
    (project / "notebooks_py" / "demo").mkdir(parents=True)
    (project / "notebooks_py" / "demo" / "writes.py").write_text(BOOK_NOTEBOOK)
    (project / "_config.yml").write_text("execute:\n  timeout: 120\n")
    with connect() as db:  # the working database exists, with its own state
        before = jobs(db)
    stamp = work_of(project).stat().st_mtime_ns
    assert execute_notebooks(project, ["notebooks_py/demo/writes"], workers=1,
                             progress=lambda _line: None) == {}
    assert (project / "target.txt").read_text() == "holocron.duckdb (private copy)"
    assert work_of(project).stat().st_mtime_ns == stamp
    with connect() as db:
        assert jobs(db) == before > 0
