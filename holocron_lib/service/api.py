"""The HTTP API: registered notebooks by name, runs with parameters, run history and outputs.

Notebooks are addressed only by registered name, and no answer holds a filesystem path:
outputs are links under ``/runs/{id}/``, and executed notebooks and error texts are sent
with paths relative to the project (`service.scrub`). Every route but ``/health`` and the
docs needs a bearer token from HOLOCRON_API_TOKENS or, with single sign-on, an OpenID Connect
access token (`service.api_common`), whose role (`service.auth`) decides what it may do. The
presets' and schedules' routes live in `service.api_team`, the web page at ``/ui`` in
`service.ui`. Every error has one JSON shape:
``{"error": {"status": 404, "code": "notebook_not_found", "message": "...", "details": {}}}``.
"""

from __future__ import annotations

import gc
import json
import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from holocron_lib.errors import (
    HolocronError,
    NotebookNotFoundError,
    ParameterError,
    PresetError,
    QueueFullError,
    RunStateError,
    StoreUnavailableError,
    UnknownObjectError,
    WaitingLimitError,
)
from holocron_lib.service import api_models as m
from holocron_lib.service import auth, scrub
from holocron_lib.service.access_log import QueryTokenFilter
from holocron_lib.service.api_common import (  # noqa: F401 - MAX_BODY_BYTES: part of this surface
    MAX_BODY_BYTES,
    ApiError,
    BodyLimit,
    NoNul,
    Runner,
    Viewer,
    check_role_and_values,
    error_response,
    forbidden,
    manages,
    parameter_error,
    sees_all_of,
    utc,
)
from holocron_lib.service.api_team import add_preset_routes, add_schedule_routes, preset_error
from holocron_lib.service.oidc import OidcVerifier
from holocron_lib.service.pool import RunService
from holocron_lib.service.registry import is_valid_name
from holocron_lib.service.run_lineage import MAX_COMPARED, compare
from holocron_lib.service.runner import output_file_name
from holocron_lib.service.store import MAX_ID, Run
from holocron_lib.service.ui import add_ui_routes
from holocron_lib.settings import ApiToken, Settings, load_settings

RunId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="A run's id.")]


def create_app(settings: Settings | None = None, *, notebooks_root: Path | str | None = None,
               service: RunService | None = None, workers: int | None = None,
               run_worker: bool = True, run_scheduler: bool = True) -> FastAPI:
    """The FastAPI application; the run service (and its worker) starts and stops with it."""
    settings = settings or load_settings()
    tokens = settings.api_tokens  # checked now, so a bad entry stops the start
    service = service or RunService(settings, Path(notebooks_root or settings.home
                                                   / "notebooks_py"), workers=workers,
                                    run_worker=run_worker, run_scheduler=run_scheduler)
    access_filter = QueryTokenFilter(settings.redact)

    @asynccontextmanager
    async def lifespan(_app):
        access_log = logging.getLogger("uvicorn.access")
        access_log.addFilter(access_filter)
        try:
            await run_in_threadpool(service.start)
            # What start-up made lives as long as the server: kept out of the collector's
            # full passes, which would otherwise stop every request while they walk it.
            gc.freeze()
            yield
        finally:
            await run_in_threadpool(service.stop)
            access_log.removeFilter(access_filter)

    app = FastAPI(
        title="Holocron run service",
        description="Run the book's notebooks with parameters and read the run history. "
                    "Notebooks are addressed by registered name.",
        version="1", lifespan=lifespan,
        responses={401: {"model": m.ErrorOut}, 403: {"model": m.ErrorOut},
                   404: {"model": m.ErrorOut}, 422: {"model": m.ErrorOut},
                   503: {"model": m.ErrorOut}},
    )
    app.state.service = service
    app.state.settings = settings
    app.state.tokens = tokens
    app.state.oidc = OidcVerifier.from_settings(settings)
    app.add_middleware(BodyLimit)
    prefixes = scrub.path_prefixes(settings.home, settings.artifacts_dir,
                                   [(service.root, service.root.name)])

    def shown(text: str | None) -> str | None:
        """Error text without local paths or secrets (it came from a notebook or the runner)."""
        return None if text is None else settings.redact(scrub.relative_text(text, prefixes))

    def has_output(run: Run) -> Path | None:
        path = Path(run.output_path).resolve() if run.output_path else None
        artifacts = settings.artifacts_dir.resolve()
        if path is None or artifacts not in path.parents or not path.is_file():
            return None
        return path

    def run_out(run: Run, token: ApiToken) -> m.RunOut:
        full = sees_all_of(token, run)
        links = {"self": f"/runs/{run.id}", "notebook": f"/notebooks/{run.notebook}"}
        if not run.status.terminal:
            links["cancel"] = f"/runs/{run.id}/cancel"
        if full and has_output(run):
            links.update(output=f"/runs/{run.id}/output",
                         output_html=f"/runs/{run.id}/output.html")
        return m.RunOut(
            id=run.id, notebook=run.notebook, user=run.user, status=run.status.value,
            parameters=run.parameters if full else {},
            error=shown(run.error_message) if full else None,
            error_cell=run.error_cell if full else None,
            error_name=run.error_name if full else None,
            duration_seconds=run.duration_seconds, timeout_seconds=run.timeout_seconds,
            attempt=run.attempt, max_attempts=run.max_attempts,
            cancel_requested_by=run.cancel_requested_by, schedule_id=run.schedule_id,
            scheduled_for=utc(run.scheduled_for), preset=run.preset,
            queued_at=utc(run.queued_at), started_at=utc(run.started_at),
            completed_at=utc(run.completed_at), detail="full" if full else "summary",
            lineage=lineage_out(run), results=run.results if full else {}, links=links,
        )

    def lineage_out(run: Run) -> m.LineageOut | None:
        if run.lineage is None:
            return None
        known = {k: v if isinstance(v, str) or v is None else str(v)
                 for k, v in run.lineage.items() if k in m.LineageOut.model_fields}
        return m.LineageOut(**{**known, "problem": shown(known.get("problem"))})

    def notebook_or_404(name: str):
        info = service.notebook(name) if is_valid_name(name) else None
        if info is None:
            raise ApiError(404, "notebook_not_found", "no registered notebook has this name "
                           "(names look like runbooks/02_single_ingestion_run)",
                           {"name": name[:200]})
        return info

    def run_or_404(run_id: int) -> Run:
        try:
            return service.store.get_run(run_id)
        except UnknownObjectError:
            raise ApiError(404, "run_not_found", f"no run has id {run_id}",
                           {"id": run_id}) from None

    def own_run_or_403(run_id: int, token: ApiToken) -> Run:
        run = run_or_404(run_id)
        if not sees_all_of(token, run):
            raise forbidden(token, "admin", f"reading the output of run {run.id}, which "
                            f"belongs to another user,")
        return run

    # ------------------------------------------------------------ errors

    @app.exception_handler(ApiError)
    async def _api_error(_request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request, exc: RequestValidationError):
        problems = [{"location": [str(x) for x in e.get("loc", ())], "message": e.get("msg")}
                    for e in exc.errors()]
        return error_response(422, "invalid_request", "the request is not valid",
                               {"problems": problems})

    @app.exception_handler(StoreUnavailableError)
    async def _store_down(_request, exc: StoreUnavailableError):
        return error_response(503, "store_unavailable", f"the run store ({exc.backend}) "
                               f"cannot be used: {shown(exc.reason)}; its operator must repair "
                               "it", {"store": exc.backend}, headers={"Retry-After": "30"})

    @app.exception_handler(HolocronError)
    async def _library_error(_request, exc: HolocronError):
        return error_response(500, "internal_error", shown(str(exc)))

    @app.exception_handler(Exception)
    async def _unexpected(_request, exc: Exception):
        return error_response(500, "internal_error", f"unexpected {type(exc).__name__}")

    # ------------------------------------------------------------ routes

    @app.get("/health", response_model=m.HealthOut, tags=["service"],
             responses={503: {"model": m.ErrorOut}})
    def health():
        """Liveness, the store's state and queue depth; needs no token. 503: the store is down."""
        service.store.ping()
        return m.HealthOut(status="ok", store=service.store.dialect, **service.status())

    listings: dict[tuple, bytes] = {}  # (registry generation, category, tag) -> the answer

    @app.get("/notebooks", response_model=m.NotebookList, tags=["notebooks"])
    async def list_notebooks(_token: Viewer,
                             category: Annotated[str | None, Query(max_length=50)] = None,
                             tag: Annotated[str | None, Query(max_length=100)] = None):
        """Registered notebooks, optionally of one category or with one tag."""
        # The listing changes only with the registry, so its JSON is built once per change;
        # only the once-a-second look at the folder leaves the event loop.
        if service.refresh_due():
            await run_in_threadpool(service.refresh)
        key = (service.generation, category, tag)
        body = listings.get(key)
        if body is None:
            items = [m.notebook_out(i) for i in service.notebooks(category, tag, refresh=False)]
            body = m.NotebookList(notebooks=items, total=len(items)).model_dump_json().encode()
            if len(listings) >= 256 or any(k[0] != key[0] for k in listings):
                listings.clear()
            listings[key] = body
        return Response(body, media_type="application/json")

    @app.post("/notebooks/{name:path}/runs", status_code=202, response_model=m.RunOut,
              tags=["runs"], responses={403: {"model": m.ErrorOut}, 413: {"model": m.ErrorOut},
                                        429: {"model": m.ErrorOut}, 503: {"model": m.ErrorOut}})
    def request_run(name: str, body: m.RunRequest, response: Response, token: Runner):
        """Queue a run with parameters; answers at once with the run's id and links."""
        info = notebook_or_404(name)
        problems = check_role_and_values(service.store, info, token, body.parameters,
                                         body.preset, "running")
        try:
            run = service.request_run(info.name, body.parameters, token.user,
                                      timeout=body.timeout, preset=body.preset)
        except ParameterError as exc:
            raise parameter_error(problems or [exc]) from None
        except PresetError as exc:
            raise preset_error(exc) from None
        except NotebookNotFoundError:
            raise ApiError(404, "notebook_not_found", f"no registered notebook is named "
                           f"{name!r}") from None
        except UnknownObjectError as exc:  # the preset
            raise ApiError(404, "preset_not_found", str(exc), {"preset": body.preset}) from None
        except QueueFullError as exc:
            raise ApiError(503, "queue_full", str(exc)) from None
        except WaitingLimitError as exc:
            raise ApiError(429, "too_many_waiting", str(exc), {"limit": exc.limit},
                           headers={"Retry-After": "30"}) from None
        response.headers["Location"] = f"/runs/{run.id}"
        return run_out(run, token)

    add_preset_routes(app, service, notebook_or_404)  # before /notebooks/{name}

    @app.get("/notebooks/{name:path}", response_model=m.NotebookDetail, tags=["notebooks"])
    def show_notebook(name: str, _token: Viewer):
        """One notebook: metadata, parameters, and how to run it."""
        info = notebook_or_404(name)
        return m.notebook_detail(info)

    run_pages: dict[tuple, bytes] = {}  # (store stamp, who, filters, page) -> the answer

    @app.get("/runs", response_model=m.RunList, tags=["runs"])
    async def list_runs(token: Viewer,
                        notebook: Annotated[str | None, Query(max_length=200,
                                                              pattern=NoNul)] = None,
                        status: m.StatusName | None = None,
                        user_name: Annotated[str | None, Query(alias="user", max_length=100,
                                                               pattern=NoNul)] = None,
                        limit: Annotated[int, Query(ge=1, le=500)] = 50,
                        offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0):
        """Run history, newest first, with filters and paging; others' runs as summaries."""
        # An answer of ended runs is kept until anything is committed to the store (its
        # stamp, read before the query, changes); one with open runs is built every time.
        # The stamp reads SQLite's WAL index, cheaper than the thread a query needs.
        stamp = service.store.changes.stamp()
        key = (stamp, token.user, auth.may(token.role, "admin"), notebook, status, user_name,
               limit, offset)
        if stamp is not None and (body := run_pages.get(key)) is not None:
            return Response(body, media_type="application/json")

        def build() -> bytes:
            runs, total = service.store.list_runs(notebook=notebook, status=status,
                                                  user=user_name, limit=limit, offset=offset)
            listing = m.RunList(runs=[run_out(r, token) for r in runs], total=total,
                                limit=limit, offset=offset)
            # built and checked once: sent as is rather than validated again on the way out
            body = listing.model_dump_json().encode()
            if stamp is not None and all(r.status.terminal for r in runs):
                if len(run_pages) >= 256 or any(k[0] != stamp for k in run_pages):
                    run_pages.clear()
                run_pages[key] = body
            return body

        return Response(await run_in_threadpool(build), media_type="application/json")

    @app.get("/runs/compare", response_model=m.CompareOut, tags=["runs"])
    def compare_runs(token: Viewer, ids: Annotated[str, Query(
            max_length=400, pattern=r"^[0-9]+(,[0-9]+)*$",
            description=f"Run ids, comma-separated (2 to {MAX_COMPARED}), e.g. 1,2,3.")]):
        """Runs side by side: parameters, lineage and recorded results, each row marked when
        the runs differ. Other users' runs show their lineage only, as their summaries do."""
        wanted = list(dict.fromkeys(int(i) for i in ids.split(",")))
        if not 2 <= len(wanted) <= MAX_COMPARED:
            raise ApiError(422, "invalid_request", f"compare 2 to {MAX_COMPARED} different "
                           f"runs; {len(wanted)} given", {"ids": wanted[:MAX_COMPARED + 1]})
        runs = [run_or_404(i) for i in wanted]
        full = [sees_all_of(token, r) for r in runs]
        rows = [m.CompareRowOut(**r.to_dict()) for r in compare(runs, visible=full)]
        return m.CompareOut(
            runs=[m.CompareRunOut(id=r.id, notebook=r.notebook, user=r.user,
                                  status=r.status.value, detail="full" if f else "summary",
                                  links={"self": f"/runs/{r.id}"})
                  for r, f in zip(runs, full, strict=True)],
            rows=rows, differing=sum(r.differs for r in rows))

    @app.get("/runs/{run_id}", response_model=m.RunOut, tags=["runs"])
    def show_run(run_id: RunId, token: Viewer):
        """One run: status, parameters, timing, error and output links."""
        return run_out(run_or_404(run_id), token)

    @app.post("/runs/{run_id}/cancel", status_code=202, response_model=m.RunOut,
              tags=["runs"], responses={403: {"model": m.ErrorOut}, 409: {"model": m.ErrorOut}})
    def cancel_run(run_id: RunId, token: Runner):
        """Cancel a run: a queued one at once; a running one is stopped by its worker.

        Your own runs; an operator may cancel anyone's."""
        run = run_or_404(run_id)
        if not manages(token, run.user):
            raise forbidden(token, "operator", f"cancelling run {run.id}, which belongs to "
                            "another user,")
        try:
            run = service.store.request_cancel(run_id, token.user)
        except RunStateError as exc:
            raise ApiError(409, "run_finished", str(exc), {"status": exc.status}) from None
        return run_out(run, token)

    add_schedule_routes(app, service, notebook_or_404)
    add_ui_routes(app)  # the web page at /ui, a client of these routes

    def output_notebook(run: Run) -> dict:
        """The run's executed notebook as a client may see it (relative paths, no secrets)."""
        path = has_output(run)
        if path is None:
            raise ApiError(404, "output_not_found", f"run {run.id} has no output "
                           f"(status {run.status.value})")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ApiError(404, "output_not_found", f"the output of run {run.id} cannot be "
                           "read (it may still be being written)") from None
        return scrub.scrub_value(data, prefixes, settings.redact)

    @app.get("/runs/{run_id}/output", tags=["runs"],
             responses={200: {"content": {"application/x-ipynb+json": {}}},
                        403: {"model": m.ErrorOut}})
    def run_output(run_id: RunId, token: Viewer):
        """The executed notebook (.ipynb), partial while running or after a failure."""
        run = own_run_or_403(run_id, token)
        data = output_notebook(run)
        filename = output_file_name(run.notebook, run.id)
        return Response(json.dumps(data), media_type="application/x-ipynb+json",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @app.get("/runs/{run_id}/output.html", response_class=HTMLResponse, tags=["runs"],
             responses={403: {"model": m.ErrorOut}})
    def run_output_html(run_id: RunId, token: Viewer):
        """The executed notebook rendered as HTML."""
        import nbformat
        from nbconvert import HTMLExporter

        run = own_run_or_403(run_id, token)
        nb = nbformat.reads(json.dumps(output_notebook(run)), as_version=4)
        html, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
        return HTMLResponse(html, headers={
            "Content-Security-Policy": "sandbox; default-src 'none'; img-src data:; "
                                       "style-src 'unsafe-inline'"})

    return app

