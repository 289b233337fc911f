"""Stack checks: every outcome is a row with a status and, when not a pass, a remedy."""

import subprocess

from seeded_db import fresh_db_fixture

from holocron_lib.notebook import stackcheck
from holocron_lib.settings import load_settings

db = fresh_db_fixture("module")


def test_database_schema_and_seed_pass_on_the_seeded_database(db):
    assert stackcheck.check_database(db).status == stackcheck.PASS
    objects = stackcheck.check_expected_objects(db, stackcheck.expected_objects())
    assert objects.status == stackcheck.PASS, objects.detail
    assert stackcheck.check_seeded(db).status == stackcheck.PASS
    assert stackcheck.check_schema_version(db).status == stackcheck.PASS


def test_missing_objects_fail_with_their_names(db):
    result = stackcheck.check_expected_objects(db, ["llm.job", "llm.no_such_table"])
    assert result.status == stackcheck.FAIL and "llm.no_such_table" in result.detail and result.remedy


def test_an_empty_table_warns(db):
    assert stackcheck.check_seeded(db, "llm.run", minimum=10**9).status == stackcheck.WARN


def test_a_broken_database_becomes_a_failed_row_without_secrets():
    class Broken:
        backend = "sqlserver"

        def scalar(self, sql):
            raise RuntimeError("login failed")

    row = stackcheck.check_database(Broken())
    assert row.status == stackcheck.FAIL and "login failed" in row.detail and row.remedy


def test_ollama_that_does_not_answer_is_a_warning():
    row = stackcheck.check_ollama("http://127.0.0.1:9")
    assert row.status == stackcheck.WARN and "fall" in row.remedy


def test_docker_compose_states_are_read_from_its_json():
    out = '{"Service": "sql2025", "State": "running"}\n{"Service": "ollama", "State": "exited"}\n'

    def runner(args, **kw):
        assert args[:2] == ["docker", "compose"]
        return subprocess.CompletedProcess(args, 0, out, "")

    import shutil

    if shutil.which("docker") is None:
        row = stackcheck.check_docker(runner=runner)
        assert row.status == stackcheck.WARN and "not installed" in row.detail
    else:
        row = stackcheck.check_docker(runner=runner)
        assert row.status == stackcheck.WARN and "not running: ollama" in row.detail


def test_run_checks_stops_after_a_failed_connection_and_frames_the_rows(db):
    rows = stackcheck.run_checks(db, load_settings(), docker=False)
    assert [r.check for r in rows] == ["database connection", "schema version", "schema objects",
                                       "seed data", "ollama"]
    frame = stackcheck.results_frame(rows)
    assert list(frame.columns) == ["check", "status", "detail", "remedy"]


def test_a_connection_that_fails_is_one_failed_row_with_the_secret_masked():
    def refuse(settings):
        raise RuntimeError("login failed; PWD=hunter2; server=sql2025")

    db, rows = stackcheck.connect_and_check(load_settings(), docker=False, connect=refuse)
    assert db is None and [r.check for r in rows] == ["database connection"]
    assert rows[0].status == stackcheck.FAIL and rows[0].remedy == stackcheck.CONNECT_REMEDY
    assert "login failed" in rows[0].detail and "hunter2" not in rows[0].detail
    assert stackcheck.next_steps(rows) == [f"[fail] database connection: {stackcheck.CONNECT_REMEDY}",
                                           "0 of 1 checks passed"]


def test_a_connection_that_opens_runs_every_check(db):
    opened, rows = stackcheck.connect_and_check(load_settings(), docker=False, connect=lambda s: db)
    assert opened is db and len(rows) == 5
    steps = stackcheck.next_steps(rows)
    assert steps[-1] == f"{sum(r.status == stackcheck.PASS for r in rows)} of 5 checks passed"
    assert len(steps) == 1 + sum(r.status != stackcheck.PASS for r in rows)
