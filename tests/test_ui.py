"""The web page's server side without a browser: sign-in and its cookie, what an unsigned
visitor gets, the forwarder to the API and what it refuses, the form fields drawn from the
parameter contract, and a run page showing lineage and results whatever their keys."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from runservice_fixtures import NOTEBOOKS, TOKENS, tokens_setting

from holocron_lib.service import ui, ui_fields
from holocron_lib.service.api import create_app
from holocron_lib.service.registry import get_notebook
from holocron_lib.settings import load_settings

ALICE = next(t for t, (u, _) in TOKENS.items() if u == "alice")
PAGES = ["/ui", "/ui/notebooks/simple_params", "/ui/runs", "/ui/runs/1", "/ui/schedules"]
FROM_PAGE = {"X-Holocron-UI": "1"}


@pytest.fixture
def client(clean_env):
    settings = load_settings(env={
        "HOLOCRON_HOME": str(clean_env),
        "HOLOCRON_STORE_URL": f"sqlite:///{clean_env}/runs.sqlite",
        "HOLOCRON_API_TOKENS": tokens_setting()}, dotenv=False)
    with TestClient(create_app(settings, notebooks_root=NOTEBOOKS, run_worker=False,
                               run_scheduler=False)) as c:
        yield c


def signed_in(client, token: str = ALICE):
    reply = client.post("/ui/sign-in", data={"token": token, "next": "/ui/runs"},
                        follow_redirects=False)
    assert reply.status_code == 303, reply.text
    return reply


@pytest.mark.parametrize("path", PAGES)
def test_an_unsigned_visitor_gets_the_sign_in_form(client, path):
    reply = client.get(path)
    assert reply.status_code == 401
    assert 'id="sign-in"' in reply.text and 'type="password"' in reply.text
    assert "<nav>" not in reply.text


def test_sign_in_sets_a_strict_httponly_cookie_for_the_ui_only(client):
    reply = signed_in(client)
    assert reply.headers["location"] == "/ui/runs"
    cookie = reply.headers["set-cookie"]
    assert cookie.startswith(f"{ui.COOKIE}=")
    assert {"HttpOnly", "Path=/ui", "SameSite=strict"} <= {p.strip() for p in cookie.split(";")}
    assert "Max-Age" not in cookie and "expires" not in cookie.lower()  # gone with the browser
    page = client.get("/ui/runs")
    assert page.status_code == 200 and "alice" in page.text
    assert client.get("/runs").status_code == 401  # the API itself still wants the header


def test_a_refused_token_is_not_repeated_back(client):
    reply = client.post("/ui/sign-in", data={"token": "guess-0123456789-guess",
                                             "next": "/ui/schedules"})
    assert reply.status_code == 401
    assert "not accepted" in reply.text and "guess-0123456789-guess" not in reply.text
    assert "set-cookie" not in reply.headers
    assert 'name="next" value="/ui/schedules"' in reply.text  # the next try goes there still


def test_a_cookie_whose_token_is_no_longer_accepted_asks_to_sign_in_again(client):
    client.cookies.set(ui.COOKIE, "tok-of-someone-gone-0123", path="/ui")
    reply = client.get("/ui/runs")
    assert reply.status_code == 401 and "no longer accepted" in reply.text


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/ui",
                                    "/runs", "/ui\\..\\x"])
def test_after_sign_in_only_a_page_of_the_ui_is_a_destination(client, target):
    reply = client.post("/ui/sign-in", data={"token": ALICE, "next": target},
                        follow_redirects=False)
    assert reply.headers["location"] == "/ui"


def test_a_sign_in_posted_from_another_site_is_refused(client):
    reply = client.post("/ui/sign-in", data={"token": ALICE},
                        headers={"Origin": "https://elsewhere.example"})
    assert reply.status_code == 403 and "set-cookie" not in reply.headers


def test_pages_forbid_inline_script_and_framing_and_are_not_cached(client):
    signed_in(client)
    for path in ["/ui", "/ui/notebooks/simple_params", "/ui/runs", "/ui/schedules"]:
        reply = client.get(path)
        assert reply.status_code == 200, path
        policy = reply.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert reply.headers["cache-control"] == "no-store"
        assert "<script>" not in reply.text  # only the script file, which the policy allows


def test_the_forwarder_needs_the_page_header_the_cookie_and_this_origin(client):
    assert client.get("/ui/api/runs", headers=FROM_PAGE).status_code == 401
    signed_in(client)
    assert client.get("/ui/api/runs").status_code == 403  # a plain navigation or a form
    other = client.get("/ui/api/runs", headers={**FROM_PAGE, "Origin": "https://x.example"})
    assert other.status_code == 403
    reply = client.get("/ui/api/runs?limit=5", headers=FROM_PAGE)
    assert reply.status_code == 200 and reply.json()["limit"] == 5


@pytest.mark.parametrize("path", ["health", "docs", "openapi.json", "ui", "ui/api/runs"])
def test_the_forwarder_reaches_only_notebooks_runs_and_schedules(client, path):
    signed_in(client)
    reply = client.get(f"/ui/api/{path}", headers=FROM_PAGE)
    assert reply.status_code == 404 and reply.json()["error"]["code"] == "not_found"


def test_the_forwarder_passes_the_apis_answers_through(client):
    signed_in(client)
    bad = client.post("/ui/api/notebooks/simple_params/runs", headers=FROM_PAGE,
                      json={"parameters": {"COUNT": 9, "MODE": "wipe"}})
    assert bad.status_code == 422
    fields = {p["field"] for p in bad.json()["error"]["details"]["problems"]}
    assert fields == {"COUNT", "MODE"}
    made = client.post("/ui/api/notebooks/simple_params/runs", headers=FROM_PAGE,
                       json={"parameters": {"COUNT": 3}})
    assert made.status_code == 202 and made.json()["user"] == "alice"
    page = client.get(f"/ui/runs/{made.json()['id']}")
    assert 'data-status="queued"' in page.text and "data-poll" in page.text


def test_unknown_notebooks_and_runs_get_an_error_page(client):
    signed_in(client)
    reply = client.get("/ui/notebooks/no/such/notebook")
    assert reply.status_code == 404 and "no registered notebook" in reply.text
    assert client.get("/ui/runs/999").status_code == 404
    assert client.get("/ui/runs/abc").status_code == 422


def test_the_static_files_are_served_and_nothing_else(client):
    css, js = client.get("/ui/static/ui.css"), client.get("/ui/static/ui.js")
    assert css.headers["content-type"].startswith("text/css") and ".badge" in css.text
    assert js.headers["content-type"].startswith("text/javascript") and "X-Holocron-UI" in js.text
    assert client.get("/ui/static/ui.html").status_code == 404
    assert client.get("/ui/static/..%2Fui.py").status_code == 404


def test_the_ui_is_not_part_of_the_api_schema(client):
    assert not [p for p in client.get("/openapi.json").json()["paths"] if p.startswith("/ui")]


def _fields(name: str) -> dict[str, ui_fields.FormField]:
    info = get_notebook(NOTEBOOKS, name)
    return {p.name: ui_fields.form_field(p.to_dict()) for p in info.parameters}


def test_each_parameter_type_gets_its_input_and_its_rules():
    simple = _fields("simple_params")
    assert (simple["COUNT"].widget, simple["COUNT"].input_type) == ("input", "number")
    assert simple["COUNT"].data | {"min": "1", "max": "5"} == simple["COUNT"].data
    assert simple["COUNT"].rules == "1 to 5" and simple["COUNT"].value == "2"
    assert simple["MODE"].widget == "select"
    assert simple["MODE"].options == [('"dry_run"', "dry_run"), ('"apply"', "apply")]
    assert simple["MODE"].value == '"dry_run"'
    complex_ = _fields("complex_parameters")
    assert complex_["ENABLED"].widget == "checkbox" and complex_["ENABLED"].value == ""
    assert complex_["TAGS"].widget == "textarea" and complex_["TAGS"].value == '["a", "b"]'
    assert complex_["CODE"].data["pattern"] == "^[A-Z]{2}[0-9]{2}$"
    assert complex_["JOB_ID"].required and complex_["JOB_ID"].data["required"] == "1"
    assert complex_["BATCH"].required and complex_["BATCH"].value == "10"
    assert complex_["MAYBE"].data["nullable"] == "1" and complex_["MAYBE"].value == ""
    assert complex_["RATIO"].data["type"] == "float" and complex_["RATIO"].rules == "0 to 1"
    assert complex_["LABEL"].value == "x # not a comment"


def test_the_run_form_draws_every_parameter_beside_its_error_slot(client):
    signed_in(client)
    page = client.get("/ui/notebooks/complex_parameters").text
    names = [p.name for p in get_notebook(NOTEBOOKS, "complex_parameters").parameters]
    for name in names:
        assert f'id="p-{name}"' in page and f'id="error-{name}"' in page, name
    assert re.search(r'<select id="p-MODE"', client.get("/ui/notebooks/simple_params").text)


RUN = {"id": 7, "notebook": "runbooks/echo", "user": "alice", "status": "succeeded",
       "parameters": {"TARGET": "x"}, "error": None, "error_cell": None, "error_name": None,
       "duration_seconds": 2.5, "timeout_seconds": 60, "attempt": 1, "max_attempts": 1,
       "cancel_requested_by": None, "schedule_id": None, "scheduled_for": None,
       "preset": None, "queued_at": "2026-01-01T10:00:00Z", "started_at": None,
       "completed_at": None, "detail": "full", "links": {"self": "/runs/7"}}


@pytest.mark.parametrize("lineage, results, expected", [
    ({"code_fingerprint": "ab12", "target": "holocron.duckdb"},
     {"rows_ingested": 5, "ok": True},
     [("code_fingerprint", "ab12"), ("target", "holocron.duckdb"), ("rows_ingested", "5"),
      ("ok", "true")]),
    ({"library": {"version": "0.1.0"}}, [{"name": "rows_ingested", "value": 5}],
     [("library", '{"version": "0.1.0"}'), ("rows_ingested", "5")]),
], ids=["mappings", "nested-and-records"])
def test_the_run_page_shows_lineage_and_results_whatever_their_keys(lineage, results,
                                                                      expected):
    html = ui._templates.get_template("run.html").render(
        ui="/ui", me=None, may=lambda _role: False, run={**RUN, "lineage": lineage,
                                                         "results": results, "compared": 3},
        extra={"compared": 3}, terminal=ui_fields.TERMINAL, may_cancel=False, title="Run 7")
    for key, value in expected:
        shown = value.replace('"', "&#34;")
        assert f'<th scope="row">{key}</th><td><code>{shown}</code>' in html, key
    assert 'id="lineage"' in html and 'id="results"' in html and 'id="extra"' in html
    assert "This run has no output." in html
