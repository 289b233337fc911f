"""The HTTP API: routes, auth, one error shape, no paths, traversal refused, real server runs."""

import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from runservice_fixtures import NOTEBOOKS, LiveServer, auth, tokens_setting, wait_for_runs

from holocron_lib.service.api import MAX_BODY_BYTES, create_app
from holocron_lib.service.store import RunStatus, Store
from holocron_lib.settings import load_settings


@pytest.fixture
def home(clean_env):
    return clean_env


@pytest.fixture
def client(home):
    settings = load_settings(env={
        "HOLOCRON_HOME": str(home), "HOLOCRON_STORE_URL": f"sqlite:///{home}/runs.sqlite",
        "HOLOCRON_API_TOKENS": tokens_setting()}, dotenv=False)
    with TestClient(create_app(settings, notebooks_root=NOTEBOOKS, workers=2)) as c:
        yield c


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    return body["error"]


def test_health_is_open(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["store"] == "sqlite" and body["workers"] == 2


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"},
                                     {"Authorization": "Basic dG9rLWFsaWNlOg=="}],
                         ids=["none", "wrong", "not-bearer"])
def test_every_other_route_needs_a_token(client, headers):
    for method, url in [("GET", "/notebooks"), ("GET", "/notebooks/simple_params"),
                        ("POST", "/notebooks/simple_params/runs"), ("GET", "/runs"),
                        ("GET", "/runs/1"), ("GET", "/runs/1/output")]:
        r = client.request(method, url, headers=headers, json={})
        _error(r, 401, "unauthorized")
        assert r.headers["www-authenticate"] == "Bearer"
    assert client.get("/runs", headers={}).status_code == 401


def test_list_and_filter_notebooks(client):
    body = client.get("/notebooks", headers=auth()).json()
    names = [n["name"] for n in body["notebooks"]]
    assert body["total"] == len(names) == 10 and "_draft" not in names
    runbooks = client.get("/notebooks?category=runbooks", headers=auth()).json()["notebooks"]
    assert [n["name"] for n in runbooks] == ["runbooks/echo", "simple_params"]
    tagged = client.get("/notebooks", params={"tag": "ops"}, headers=auth()).json()
    assert [n["name"] for n in tagged["notebooks"]] == ["runbooks/echo"]


def test_the_notebook_listing_is_built_once_per_change_of_the_registry(client, monkeypatch):
    from holocron_lib.service import api_models

    built = []
    make = api_models.notebook_out
    monkeypatch.setattr(api_models, "notebook_out", lambda i: built.append(i.name) or make(i))
    service = client.app.state.service
    first = client.get("/notebooks", headers=auth())
    again = client.get("/notebooks", headers=auth())
    assert first.content == again.content and len(built) == first.json()["total"]
    assert api_models.NotebookList.model_validate_json(first.content).total == 10
    service._checked_at = -1e9  # a second later: the folder is looked at, nothing changed
    client.get("/notebooks", headers=auth())
    assert len(built) == 10
    service.generation += 1  # the registry changed: built again, filters kept apart
    assert client.get("/notebooks?category=runbooks", headers=auth()).json()["total"] == 2
    assert len(built) == 12
    assert client.get("/notebooks", headers=auth()).json()["total"] == 10 and len(built) == 22


def test_show_notebook_with_parameters(client):
    body = client.get("/notebooks/runbooks/echo", headers=auth()).json()
    assert body["title"] == "Echo runbook" and body["owner"] == "platform"
    params = {p["name"]: p for p in body["parameters"]}
    assert params["MODE"]["allowed"] == ["dry_run", "apply"]
    assert params["TARGET"]["required"] and params["TARGET"]["pattern"] == "^[a-z0-9_]+$"
    assert body["command"] == "holocron run runbooks/echo -p TARGET=<str>"
    assert body["links"]["run"] == "/notebooks/runbooks/echo/runs"


@pytest.mark.parametrize("path", [
    "/notebooks/nope", "/notebooks/..%2f..%2fetc%2fpasswd", "/notebooks/%2e%2e%2fsimple_params",
    "/notebooks/%2fetc%2fpasswd", "/notebooks/runbooks%5cecho", "/notebooks/..%5csimple_params",
    "/notebooks/simple_params.py", "/notebooks/_draft", "/notebooks/%252e%252e%252fetc",
])
def test_unknown_and_traversal_names_are_not_found(client, path):
    error = _error(client.get(path, headers=auth()), 404, "notebook_not_found")
    assert "root:" not in json.dumps(error)
    run_path = path + "/runs"
    r = client.post(run_path, headers=auth(), json={"parameters": {}})
    assert r.status_code in (404, 400)
    assert client.get("/runs", headers=auth()).json()["total"] == 0  # nothing recorded


def test_invalid_parameters_are_422_naming_field_and_allowed_values(client):
    r = client.post("/notebooks/simple_params/runs", headers=auth(),
                    json={"parameters": {"MODE": "explode", "COUNT": 99, "COLOR": "red"}})
    error = _error(r, 422, "invalid_parameters")
    problems = {p["field"]: p for p in error["details"]["problems"]}
    assert problems["MODE"]["allowed"] == ["dry_run", "apply"]
    assert problems["COUNT"]["allowed"] == ["a whole number from 1 to 5"]
    assert problems["COLOR"]["allowed"] == ["NAME", "COUNT", "MODE", "OUT_FILE"]
    assert "COLOR" in error["message"] or "MODE" in error["message"]
    missing = client.post("/notebooks/runbooks/echo/runs", headers=auth(), json={})
    assert _error(missing, 422, "invalid_parameters")["details"]["problems"][0]["field"] == (
        "TARGET")


@pytest.mark.parametrize("body", ['{"parameters": [1, 2]}', "not json", '{"params": {}}',
                                  '{"parameters": {}, "timeout": 0}'],
                         ids=["list", "not-json", "unknown-key", "zero-timeout"])
def test_malformed_bodies_get_the_same_error_shape(client, body):
    r = client.post("/notebooks/simple_params/runs", content=body,
                    headers={**auth(), "Content-Type": "application/json"})
    assert _error(r, 422, "invalid_request")["details"]["problems"]


def test_request_bodies_are_limited(client):
    big = json.dumps({"parameters": {"NAME": "x" * (MAX_BODY_BYTES + 10)}})
    _error(client.post("/notebooks/simple_params/runs", content=big,
                       headers={**auth(), "Content-Type": "application/json"}),
           413, "body_too_large")

    def chunks():
        for _ in range(40):
            yield b" " * 4096

    r = client.post("/notebooks/simple_params/runs", content=chunks(),
                    headers={**auth(), "Content-Type": "application/json"})
    _error(r, 413, "body_too_large")


@pytest.mark.slow
def test_run_history_outputs_and_no_paths_anywhere(client, home):
    texts = []
    ok = client.post("/notebooks/simple_params/runs", headers=auth("bob"),
                     json={"parameters": {"NAME": "Rey", "COUNT": 1}})
    assert ok.status_code == 202 and ok.headers["location"] == f"/runs/{ok.json()['id']}"
    bad = client.post("/notebooks/fails_at_cell_3/runs", headers=auth(), json={})
    runs = wait_for_runs(client, [ok.json()["id"], bad.json()["id"]], auth("ada"))
    good, failed = runs[ok.json()["id"]], runs[bad.json()["id"]]
    assert good["status"] == "succeeded" and good["user"] == "bob"
    assert good["parameters"] == {"NAME": "Rey", "COUNT": 1, "MODE": "dry_run", "OUT_FILE": ""}
    assert good["queued_at"].endswith("Z")
    assert failed["status"] == "failed" and failed["error_cell"] == 3
    assert failed["error"] == "ValueError: boom at cell 3"

    mine = client.get(good["links"]["self"], headers=auth()).json()  # bob's run, seen by alice
    assert mine["detail"] == "summary" and mine["parameters"] == {} and "output" not in mine["links"]
    output = client.get(good["links"]["output"], headers=auth("bob"))
    assert output.headers["content-type"] == "application/x-ipynb+json"
    assert "hello, Rey" in output.text and output.json()["nbformat"] == 4
    assert output.headers["content-disposition"] == (
        f'attachment; filename="simple_params-{good["id"]}.ipynb"')
    html = client.get(failed["links"]["output_html"], headers=auth())
    assert html.status_code == 200 and "<html" in html.text and "boom at cell 3" in html.text
    assert "sandbox" in html.headers["content-security-policy"]

    listing = client.get("/runs", params={"user": "bob"}, headers=auth()).json()
    assert listing["total"] == 1 and listing["runs"][0]["id"] == good["id"]
    page = client.get("/runs", params={"limit": 1, "offset": 1}, headers=auth()).json()
    assert page["total"] == 2 and [r["id"] for r in page["runs"]] == [ok.json()["id"]]
    assert client.get("/runs?status=failed", headers=auth()).json()["total"] == 1
    _error(client.get("/runs?status=exploded", headers=auth()), 422, "invalid_request")
    _error(client.get("/runs?limit=0", headers=auth()), 422, "invalid_request")
    _error(client.get("/runs/999", headers=auth()), 404, "run_not_found")

    for url in ["/notebooks", "/notebooks/simple_params", "/runs", good["links"]["self"],
                failed["links"]["self"], good["links"]["output"], failed["links"]["output"]]:
        texts.append(client.get(url, headers=auth("ada")).text)
    for text in texts:
        assert str(home) not in text and str(NOTEBOOKS) not in text


def test_output_of_a_run_without_one_is_404(client):
    r = client.post("/notebooks/simple_params/runs", headers=auth(),
                    json={"parameters": {"COUNT": 0}})
    assert r.status_code == 422
    (run,) = client.get("/runs", headers=auth()).json()["runs"]
    assert run["status"] == "error" and "output" not in run["links"]
    _error(client.get(f"/runs/{run['id']}/output", headers=auth()), 404, "output_not_found")


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/health", "/notebooks", "/notebooks/{name}", "/notebooks/{name}/runs", "/runs",
            "/runs/{run_id}", "/runs/{run_id}/output", "/runs/{run_id}/output.html"} <= set(paths)


def _header() -> str:
    return "Authorization: " + auth()["Authorization"]


def _raw_get(port: int, target: str) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n{_header()}\r\n"
                     "Connection: close\r\n\r\n".encode())
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_real_server_register_run_history_and_traversal(run_settings, store_url):
    app = create_app(run_settings, notebooks_root=NOTEBOOKS, workers=2)
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        with Store(store_url) as store:  # registered on start
            assert {n["name"] for n in store.list_notebooks()} >= {"simple_params", "slow"}
        r = http.post("/notebooks/simple_params/runs", headers=auth(),
                      json={"parameters": {"NAME": "Finn", "MODE": "apply"}})
        assert r.status_code == 202
        (run,) = wait_for_runs(http, [r.json()["id"]], auth()).values()
        assert run["status"] == "succeeded"
        history = http.get("/runs", params={"notebook": "simple_params"}, headers=auth()).json()
        assert history["total"] == 1
        assert history["runs"][0]["parameters"]["NAME"] == "Finn"
        assert history["runs"][0]["parameters"]["MODE"] == "apply"
        for target in ["/notebooks/../../../../etc/passwd", "/notebooks/..%2F..%2Fetc%2Fpasswd",
                       "/notebooks/%2e%2e/%2e%2e/etc/passwd", "/notebooks//etc/passwd",
                       "/notebooks/..\\..\\etc\\passwd", "/notebooks/runbooks/../simple_params"]:
            reply = _raw_get(server.port, target)
            status = int(reply.split(" ", 2)[1])
            assert status in (400, 404), (target, reply[:200])
            assert "root:" not in reply and "# %%" not in reply


@pytest.mark.slow
def test_real_server_twenty_concurrent_runs_none_lost_or_doubled(run_settings, store_url):
    app = create_app(run_settings, notebooks_root=NOTEBOOKS, workers=3)
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        def request(i: int) -> httpx.Response:
            with httpx.Client(base_url=server.url, timeout=60) as own:
                return own.post("/notebooks/no_parameters/runs" if i % 2 else
                                "/notebooks/simple_params/runs", headers=auth(),
                                json={"parameters": {} if i % 2 else {"NAME": f"n{i}"}})

        started = time.monotonic()
        with ThreadPoolExecutor(20) as pool:
            replies = list(pool.map(request, range(20)))
        assert [r.status_code for r in replies] == [202] * 20
        ids = [r.json()["id"] for r in replies]
        assert len(set(ids)) == 20
        done = wait_for_runs(http, ids, auth(), timeout=180 + (time.monotonic() - started))
        assert {r["status"] for r in done.values()} == {"succeeded"}
        listing = http.get("/runs", params={"limit": 100}, headers=auth()).json()
        assert listing["total"] == 20 and sorted(r["id"] for r in listing["runs"]) == sorted(ids)
        names = {r["parameters"].get("NAME") for r in done.values()} - {None}
        assert names == {f"n{i}" for i in range(0, 20, 2)}


def test_cancel_a_queued_run_then_409_once_it_has_ended(home):
    settings = load_settings(env={
        "HOLOCRON_HOME": str(home), "HOLOCRON_STORE_URL": f"sqlite:///{home}/runs.sqlite",
        "HOLOCRON_API_TOKENS": tokens_setting()}, dotenv=False)
    with TestClient(create_app(settings, notebooks_root=NOTEBOOKS, run_worker=False)) as c:
        assert c.get("/health").json()["workers"] == 0
        queued = c.post("/notebooks/simple_params/runs", headers=auth(), json={}).json()
        assert queued["status"] == "queued" and queued["links"]["cancel"] == (
            f"/runs/{queued['id']}/cancel")
        _error(c.post(f"/runs/{queued['id']}/cancel"), 401, "unauthorized")
        other = _error(c.post(f"/runs/{queued['id']}/cancel", headers=auth("bob")), 403,
                       "forbidden")  # another runner's run
        assert other["details"] == {"needed_role": "operator", "role": "runner"}
        _error(c.post(f"/runs/{queued['id']}/cancel", headers=auth("vera")), 403, "forbidden")
        r = c.post(f"/runs/{queued['id']}/cancel", headers=auth("otto"))  # an operator may
        assert r.status_code == 202, r.text
        body = r.json()
        assert body["status"] == "cancelled" and body["cancel_requested_by"] == "otto"
        assert body["error"] is None  # otto sees alice's run as a summary
        mine = c.get(f"/runs/{queued['id']}", headers=auth()).json()
        assert mine["error"] == "cancelled by otto before it started"
        assert "cancel" not in body["links"]
        again = _error(c.post(f"/runs/{queued['id']}/cancel", headers=auth()), 409,
                       "run_finished")
        assert "status cancelled" in again["message"]
        assert again["details"] == {"status": "cancelled"}
        _error(c.post("/runs/999/cancel", headers=auth()), 404, "run_not_found")
        _error(c.delete(f"/runs/{queued['id']}", headers=auth()), 405, "method_not_allowed")


def test_a_run_listing_is_kept_until_the_store_changes_and_never_with_open_runs(home):
    settings = load_settings(env={
        "HOLOCRON_HOME": str(home), "HOLOCRON_STORE_URL": f"sqlite:///{home}/runs.sqlite",
        "HOLOCRON_API_TOKENS": tokens_setting()}, dotenv=False)
    with TestClient(create_app(settings, notebooks_root=NOTEBOOKS, run_worker=False,
                               run_scheduler=False)) as c:
        store = c.app.state.service.store
        queries = []
        real = store.list_runs
        store.list_runs = lambda **kw: queries.append(kw) or real(**kw)
        run_id = c.post("/notebooks/simple_params/runs", headers=auth(), json={}).json()["id"]
        for _ in range(2):  # an open run: every listing asks the store
            assert c.get("/runs", headers=auth()).json()["runs"][0]["status"] == "queued"
        assert len(queries) == 2
        c.post(f"/runs/{run_id}/cancel", headers=auth())
        first = c.get("/runs", headers=auth())
        assert first.json()["runs"][0]["status"] == "cancelled" and len(queries) == 3
        assert c.get("/runs", headers=auth()).content == first.content and len(queries) == 3
        bob = c.get("/runs", headers=auth("bob")).json()["runs"][0]  # kept apart per viewer
        assert bob["detail"] == "summary" and len(queries) == 4
        with Store(settings.store_url) as other:  # a write by another process's connection
            info = c.app.state.service.notebook("no_parameters")
            other.create_run(info, "carol", {}, status=RunStatus.ERROR)
        listing = c.get("/runs", headers=auth()).json()
        assert len(queries) == 5 and listing["total"] == 2
        assert listing["runs"][0]["notebook"] == "no_parameters"
