"""The web page at ``/ui``: the catalog, a run form per notebook, runs with live status, a
run's output, lineage and results, presets and schedules.

Pages are rendered on the server from the JSON API's own answers: each page calls the API
in-process (`call_api`, the same ASGI application, so every role check, validation and
scrubbing of paths is the API's), and the page's script sends its actions through
``/ui/api/...``, which forwards them to the API the same way.

Signing in keeps the token in an HttpOnly cookie rather than in sessionStorage: the pages are
rendered on the server, which needs the token on plain navigations (a link cannot carry an
Authorization header), and a cookie page scripts cannot read is out of reach of anything a
rendered notebook might smuggle in (outputs are shown in a sandboxed frame besides). The
cookie is a session cookie (gone when the browser closes), ``SameSite=Strict``, limited to
``/ui``, ``Secure`` over HTTPS; the script's calls must carry an ``X-Holocron-UI`` header and
form posts a same-origin ``Origin``, so another site cannot act with it. The token travels
only in the sign-in form's POST body and in that cookie, never in a URL, so it never reaches
the access log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import anyio
import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from holocron_lib.service import ui_fields
from holocron_lib.service.api_common import ApiError, identify, manages
from holocron_lib.service.auth import may
from holocron_lib.settings import ApiToken

COOKIE = "holocron_ui_token"
UI_HEADER = "x-holocron-ui"
FORWARDED = ("notebooks", "runs", "schedules")  # what /ui/api/... may reach
STATIC = {"ui.css": "text/css", "ui.js": "text/javascript"}
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; frame-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")
MAX_TOKEN = 16 * 1024

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("holocron_lib.service", "templates"),
    autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.StrictUndefined,
    trim_blocks=True, lstrip_blocks=True)
_templates.filters.update(when=ui_fields.when, local=ui_fields.local, seconds=ui_fields.seconds,
                          value=ui_fields.value_text, rows=ui_fields.rows)


@dataclass(frozen=True)
class Answer:
    """The API's answer to an in-process call."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self):
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None

    def message(self) -> str:
        found = self.json()
        if isinstance(found, dict) and isinstance(found.get("error"), dict):
            return str(found["error"].get("message", ""))
        return f"the service answered {self.status}"


async def call_api(request: Request, method: str, path: str, *, token: str | None,
                   query: str = "", body: bytes = b"") -> Answer:
    """``method path`` on this application, as a client holding ``token`` would send it."""
    headers = [(b"host", request.headers.get("host", "localhost").encode("latin-1")),
               (b"accept", b"application/json"), (b"user-agent", b"holocron-ui")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode("latin-1", "replace")))
    if body:
        headers += [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
             "http_version": "1.1", "method": method, "scheme": request.url.scheme,
             "path": path, "raw_path": quote(path).encode(), "root_path": "",
             "query_string": query.encode(), "headers": headers,
             "client": request.scope.get("client"), "server": request.scope.get("server"),
             "state": dict(request.scope.get("state") or {})}
    pending = {"type": "http.request", "body": body, "more_body": False}
    finished = anyio.Event()
    status, out_headers, chunks = 500, {}, []

    async def receive():
        nonlocal pending
        if pending is not None:
            message, pending = pending, None
            return message
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        nonlocal status, out_headers
        if message["type"] == "http.response.start":
            status = message["status"]
            out_headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                           for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                finished.set()

    try:
        await request.app(scope, receive, send)
    except Exception:
        if not chunks:  # the API answered nothing: the page's own error handling takes it
            raise
    finished.set()
    return Answer(status, out_headers, b"".join(chunks))


def _base(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/") + "/ui"


def render(request: Request, template: str, me: ApiToken | None, *, status: int = 200,
           **context) -> HTMLResponse:
    html = _templates.get_template(template).render(
        ui=_base(request), me=me, may=(lambda role: me is not None and may(me.role, role)),
        **context)
    return HTMLResponse(html, status_code=status, headers={
        "Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store",
        "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff"})


def _next_path(request: Request, given: str | None) -> str:
    """Where to go after signing in: a page of the UI, never another site."""
    base = _base(request)
    if given and given.startswith(base) and not given.startswith("//") and "\\" not in given:
        return given
    return base


def _same_origin(request: Request) -> bool:
    """No Origin (a same-origin GET), or one naming this host: the scheme and port are left
    out, as a proxy in front that ends TLS changes them."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    try:
        theirs = urlsplit(origin).hostname
        ours = urlsplit("//" + request.headers.get("host", "")).hostname
    except ValueError:
        return False
    return theirs is not None and theirs == ours


async def _signed_in(request: Request) -> tuple[str, ApiToken] | None:
    token = request.cookies.get(COOKIE)
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        return token, await identify(request.app.state, token)
    except ApiError:
        return None


def sign_in_page(request: Request, *, message: str | None = None, status: int = 401,
                 target: str | None = None):
    """The sign-in form, which comes back to ``target`` (by default the page asked for)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if message is None and request.cookies.get(COOKIE):
        message = "the token you signed in with is no longer accepted: sign in again"
    return render(request, "sign_in.html", None, status=status, message=message,
                  next=_next_path(request, target or here), title="Sign in",
                  single_sign_on=getattr(request.app.state, "oidc", None) is not None)


def error_page(request: Request, me: ApiToken, answer: Answer, what: str) -> HTMLResponse:
    return render(request, "error.html", me, status=answer.status, title=what,
                  message=answer.message())


def add_ui_routes(app: FastAPI) -> None:
    """Register the pages under ``/ui`` (left out of the OpenAPI schema)."""

    def page(path: str, **kwargs):
        return app.get(path, response_class=HTMLResponse, include_in_schema=False, **kwargs)

    static = {name: (resources.files("holocron_lib.service") / "static" / name).read_bytes()
              for name in STATIC}

    @app.get("/ui/static/{name}", include_in_schema=False)
    async def ui_static(name: str):
        if name not in static:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(static[name], media_type=STATIC[name],
                        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})

    @page("/ui/sign-in")
    async def ui_sign_in_form(request: Request):
        return sign_in_page(request, status=200)

    @app.post("/ui/sign-in", include_in_schema=False)
    async def ui_sign_in(request: Request):
        if not _same_origin(request):
            return sign_in_page(request, message="sign in from this site's own page", status=403)
        form = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=5)
        token = (form.get("token") or [""])[0].strip()
        target = _next_path(request, (form.get("next") or [""])[0])
        if not token or len(token) > MAX_TOKEN:
            return sign_in_page(request, message="give a token", target=target)
        try:
            await identify(request.app.state, token)
        except ApiError as exc:
            return sign_in_page(request, message=f"this token is not accepted: {exc.message}",
                                target=target)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, token, path=_base(request), httponly=True,
                            samesite="strict", secure=request.url.scheme == "https")
        return response

    @app.post("/ui/sign-out", include_in_schema=False)
    async def ui_sign_out(request: Request):
        response = RedirectResponse(_base(request) + "/sign-in", status_code=303)
        if _same_origin(request):
            response.delete_cookie(COOKIE, path=_base(request), httponly=True,
                                   samesite="strict")
        return response

    @page("/ui")
    async def ui_catalog(request: Request):
        """The catalog: every registered notebook, by category."""
        if (who := await _signed_in(request)) is None:
            return sign_in_page(request)
        token, me = who
        answer = await call_api(request, "GET", "/notebooks", token=token)
        if not answer.ok:
            return error_page(request, me, answer, "Notebooks")
        by_category: dict[str, list] = {}
        for nb in answer.json()["notebooks"]:
            by_category.setdefault(nb["category"], []).append(nb)
        return render(request, "catalog.html", me, title="Notebooks",
                      categories=sorted(by_category.items()))

    @page("/ui/notebooks/{name:path}")
    async def ui_notebook(name: str, request: Request):
        """One notebook: its metadata, the run form from its parameters, its presets."""
        if (who := await _signed_in(request)) is None:
            return sign_in_page(request)
        token, me = who
        answer = await call_api(request, "GET", f"/notebooks/{name}", token=token)
        if not answer.ok:
            return error_page(request, me, answer, "Notebook")
        nb = answer.json()
        found = await call_api(request, "GET", f"/notebooks/{name}/presets", token=token)
        presets = found.json()["presets"] if found.ok else []
        return render(request, "notebook.html", me, title=nb["title"], nb=nb,
                      fields=[ui_fields.form_field(p) for p in nb["parameters"]],
                      presets=presets)

    @page("/ui/runs")
    async def ui_runs(request: Request):
        """The run history with live status, filtered as the API filters it."""
        if (who := await _signed_in(request)) is None:
            return sign_in_page(request)
        token, me = who
        wanted = {k: v for k, v in request.query_params.items()
                  if k in ("notebook", "status", "user", "offset") and v}
        query = urlencode({**wanted, "limit": 50})
        answer = await call_api(request, "GET", "/runs", token=token, query=query)
        if not answer.ok:
            return error_page(request, me, answer, "Runs")
        listing = answer.json()
        offset = int(wanted.get("offset", 0) or 0)
        older = (urlencode({**wanted, "offset": offset + 50})
                 if offset + 50 < listing["total"] else None)
        return render(request, "runs.html", me, title="Runs", listing=listing, query=query,
                      filters=wanted, older=older, terminal=ui_fields.TERMINAL,
                      statuses=("queued", "running", *ui_fields.TERMINAL))

    @page("/ui/runs/{run_id}")
    async def ui_run(run_id: str, request: Request):
        """One run: outcome, parameters, lineage, recorded results and its rendered output."""
        if (who := await _signed_in(request)) is None:
            return sign_in_page(request)
        token, me = who
        answer = await call_api(request, "GET", f"/runs/{run_id}", token=token)
        if not answer.ok:
            return error_page(request, me, answer, f"Run {run_id}")
        run = answer.json()
        shown = {"id", "notebook", "user", "status", "parameters", "error", "error_cell",
                 "error_name", "duration_seconds", "timeout_seconds", "attempt",
                 "max_attempts", "cancel_requested_by", "schedule_id", "scheduled_for",
                 "preset", "queued_at", "started_at", "completed_at", "detail", "links",
                 "lineage", "results"}
        extra = {k: v for k, v in run.items() if k not in shown and v not in (None, {}, [])}
        return render(request, "run.html", me, title=f"Run {run['id']}", run=run,
                      extra=extra, terminal=ui_fields.TERMINAL,
                      may_cancel=("cancel" in run["links"] and may(me.role, "runner")
                                  and manages(me, run["user"])))

    @app.get("/ui/runs/{run_id}/output", include_in_schema=False)
    async def ui_run_output(run_id: str, request: Request):
        """The rendered output, for the run page's sandboxed frame."""
        return await _forward_output(request, f"/runs/{run_id}/output.html")

    @app.get("/ui/runs/{run_id}/output.ipynb", include_in_schema=False)
    async def ui_run_notebook(run_id: str, request: Request):
        return await _forward_output(request, f"/runs/{run_id}/output")

    async def _forward_output(request: Request, path: str) -> Response:
        if (who := await _signed_in(request)) is None:
            return sign_in_page(request)
        answer = await call_api(request, "GET", path, token=who[0])
        if not answer.ok:
            return error_page(request, who[1], answer, "Output")
        keep = {k: v for k, v in answer.headers.items()
                if k in ("content-type", "content-disposition", "content-security-policy")}
        return Response(answer.body, status_code=answer.status, headers={
            **keep, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})

    @page("/ui/schedules")
    async def ui_schedules(request: Request):
        """Every schedule with its next due time; create, pause, resume, delete."""
        if (who := await _signed_in(request)) is None:
            return sign_in_page(request)
        token, me = who
        answer = await call_api(request, "GET", "/schedules", token=token)
        if not answer.ok:
            return error_page(request, me, answer, "Schedules")
        names = await call_api(request, "GET", "/notebooks", token=token)
        notebooks = [n["name"] for n in names.json()["notebooks"]] if names.ok else []
        schedules = [dict(s, managed=manages(me, s["owner"]) and may(me.role, "runner"))
                     for s in answer.json()["schedules"]]
        return render(request, "schedules.html", me, title="Schedules", schedules=schedules,
                      notebooks=notebooks)

    @app.api_route("/ui/api/{path:path}", methods=["GET", "POST", "DELETE"],
                   include_in_schema=False)
    async def ui_forward(path: str, request: Request):
        """The page script's calls, sent on to the API with the signed-in token."""
        def refused(status: int, code: str, message: str) -> Response:
            body = {"error": {"status": status, "code": code, "message": message,
                              "details": {}}}
            return Response(json.dumps(body), status_code=status,
                            media_type="application/json")

        if request.headers.get(UI_HEADER) != "1" or not _same_origin(request):
            return refused(403, "forbidden", "only the page's own script may call this")
        token = request.cookies.get(COOKIE)
        if not token or len(token) > MAX_TOKEN:
            return refused(401, "unauthorized", "sign in first")
        if path.split("/", 1)[0] not in FORWARDED:
            return refused(404, "not_found", "no such route")
        answer = await call_api(request, request.method, f"/{path}", token=token,
                                query=request.url.query, body=await request.body())
        return Response(answer.body, status_code=answer.status, headers={
            "content-type": answer.headers.get("content-type", "application/json"),
            "Cache-Control": "no-store"})
