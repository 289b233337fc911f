"""Client mistakes are 4xx in the one error shape on both stores, and nothing is recorded;
a bad row in the store never breaks a listing; the store's state is reported by /health."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from runservice_fixtures import NOTEBOOKS, auth, wait_for_runs

from holocron_lib.service.api import create_app
from holocron_lib.service.store import MAX_ID, Store, utcnow
from holocron_lib.settings import load_settings


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert set(body["error"]) == {"status", "code", "message", "details"}
    return body["error"]


def _client(run_settings, **kw):
    return TestClient(create_app(run_settings, notebooks_root=NOTEBOOKS, workers=1, **kw))


BAD_BODIES = {
    "lone-surrogate": '{"parameters": {"NAME": "x\\ud800"}}',
    "lone-surrogate-key": '{"parameters": {"N\\udfffAME": "x"}}',
    "nested-surrogate": '{"parameters": {"NAME": ["a", {"b": "\\udc80"}]}}',
    "nan": '{"parameters": {"COUNT": NaN}}',
    "infinity": '{"parameters": {"NAME": Infinity}}',
    "minus-infinity": '{"parameters": {"NAME": [-Infinity]}}',
    "deep": '{"parameters": {"NAME": ' + "[" * 40 + "]" * 40 + "}}",
}


@pytest.mark.slow
def test_unstorable_values_are_refused_before_anything_is_recorded(run_settings):
    with _client(run_settings) as client:
        for name, body in BAD_BODIES.items():
            reply = client.post("/notebooks/simple_params/runs", content=body,
                                headers={**auth(), "Content-Type": "application/json"})
            error = _error(reply, 422, "invalid_request")
            assert error["details"]["problems"][0]["location"][:2] == ["body", "parameters"], name
        listing = client.get("/runs", headers=auth())
        assert listing.status_code == 200 and listing.json()["total"] == 0
        # a NUL is data like any other: JSON escapes it, both stores keep it
        kept = client.post("/notebooks/simple_params/runs", headers=auth(),
                           json={"parameters": {"NAME": "a\x00b"}})
        assert kept.status_code == 202, kept.text
        (run,) = wait_for_runs(client, [kept.json()["id"]], auth()).values()
        assert run["parameters"]["NAME"] == "a\x00b" and run["status"] == "succeeded"


def test_the_runner_refuses_them_too_without_recording(run_settings, store_url):
    import pytest

    from holocron_lib.errors import ParameterError
    from holocron_lib.service.runner import queue_run

    with Store(store_url) as store:
        for value in ("x\ud800", float("nan"), [float("inf")]):
            with pytest.raises(ParameterError) as info:
                queue_run(store, NOTEBOOKS, "simple_params", {"NAME": value}, "alice")
            assert info.value.parameter == "NAME"
        assert store.list_runs()[1] == 0


def test_ids_and_paging_beyond_the_store_range_are_422(run_settings):
    with _client(run_settings) as client:
        for run_id in ("9223372036854775808", "2147483648", str(MAX_ID + 1), "0", "-1", "1e3"):
            for suffix in ("", "/output", "/output.html"):
                _error(client.get(f"/runs/{run_id}{suffix}", headers=auth()), 422,
                       "invalid_request")
        _error(client.get(f"/runs/{MAX_ID}", headers=auth()), 404, "run_not_found")
        for query in ("offset=2147483648", "offset=9223372036854775808", "user=%00",
                      "notebook=a%00b", "limit=100000000000000000000"):
            _error(client.get(f"/runs?{query}", headers=auth()), 422, "invalid_request")


def _insert_bad_row(store: Store) -> int:
    """A row no client could have written: unknown status, a lone surrogate in its JSON."""
    with store.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO notebook_executions (notebook_name, username, input_path, "
            "parameters_used, status, queued_at) VALUES ('simple_params', 'alice', "
            "'simple_params.py', :params, 'exploded', :now)"),
            {"params": '{"NAME": "x\\ud800", "LIST": ["\\udc80"]}', "now": utcnow()})
        if store.dialect == "sqlite":  # SQLite keeps whatever it is given
            conn.execute(sa.text(
                "INSERT INTO notebook_executions (notebook_name, username, input_path, "
                "parameters_used, status, queued_at, error_cell, execution_time_seconds) "
                "VALUES ('simple_params', 'bob', 'x.py', 'not json', 'failed', 'yesterday', "
                "'cell three', 'slow')"))
        return conn.execute(sa.text("SELECT MIN(id) FROM notebook_executions")).scalar()


@pytest.mark.slow
def test_a_bad_stored_row_never_breaks_a_listing(run_settings, store_url):
    with Store(store_url) as store:
        bad_id = _insert_bad_row(store)
        runs, total = store.list_runs()
    assert total == len(runs) >= 1
    with _client(run_settings) as client:
        listing = client.get("/runs", headers=auth("ada"))
        assert listing.status_code == 200, listing.text
        assert listing.json()["total"] == total
        one = client.get(f"/runs/{bad_id}", headers=auth("ada")).json()
        assert one["status"] == "error" and "unknown status 'exploded'" in one["error"]
        assert one["parameters"] == {"NAME": "x\ufffd", "LIST": ["\ufffd"]}
        # and the service still works for everyone
        ok = client.post("/notebooks/no_parameters/runs", headers=auth(), json={})
        (run,) = wait_for_runs(client, [ok.json()["id"]], auth()).values()
        assert run["status"] == "succeeded"
        assert client.get("/runs", headers=auth()).json()["total"] == total + 1


def test_the_cli_lists_a_bad_row_too(run_env, store_url):
    from click.testing import CliRunner

    from holocron_lib.cli import cli

    with Store(store_url) as store:
        _insert_bad_row(store)
    result = CliRunner().invoke(cli, ["runs", "list"])
    assert result.exit_code == 0, result.output
    assert "error" in result.output and "Traceback" not in result.output


def test_health_reports_a_store_that_cannot_be_used(clean_env):
    settings = load_settings(env={
        "HOLOCRON_HOME": str(clean_env), "HOLOCRON_STORE_URL": f"sqlite:///{clean_env}/r.sqlite",
        "HOLOCRON_API_TOKENS": "tok-alice-0123456789=alice"}, dotenv=False)
    with TestClient(create_app(settings, notebooks_root=NOTEBOOKS, workers=1)) as client:
        health = client.get("/health")
        assert health.status_code == 200 and health.json()["store_state"] == "ok"
        (clean_env / "r.sqlite").write_bytes(b"not a database at all " * 500)
        for journal in ("r.sqlite-wal", "r.sqlite-shm"):  # or SQLite would repair page 1
            (clean_env / journal).unlink(missing_ok=True)
        error = _error(client.get("/health"), 503, "store_unavailable")
        assert error["details"] == {"store": "sqlite"}
        assert "file is not a database" in error["message"]
        assert str(clean_env) not in error["message"]
        for url in ("/runs", "/runs/1"):
            reply = client.get(url, headers=auth())
            assert reply.status_code == 503, reply.text
            assert reply.json()["error"]["code"] == "store_unavailable"
