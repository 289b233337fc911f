"""The API's team routes: presets of a notebook and schedules, over the store's tables.

Registered by `service.api.create_app`; the presets' routes before ``/notebooks/{name}``,
which would otherwise take their paths for a notebook name.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query, Response

from holocron_lib.errors import (
    NotebookNotFoundError,
    ParameterError,
    PresetError,
    PresetExistsError,
    ScheduleError,
    ScheduleExistsError,
    UnknownObjectError,
)
from holocron_lib.service import api_models as m
from holocron_lib.service import presets
from holocron_lib.service import schedules as sched
from holocron_lib.service.api_common import (
    ApiError,
    NoNul,
    Runner,
    Viewer,
    check_role_and_values,
    forbidden,
    manages,
    parameter_error,
    utc,
)
from holocron_lib.service.params import check_values
from holocron_lib.service.registry import get_notebook
from holocron_lib.settings import ApiToken


def _schedule_out(s: sched.Schedule) -> m.ScheduleOut:
    base = f"/schedules/{s.name}"
    return m.ScheduleOut(
        name=s.name, notebook=s.notebook, parameters=s.parameters, preset=s.preset,
        cron=s.cron, timezone=s.timezone, owner=s.owner, paused=s.paused,
        next_due_at=utc(s.next_due_at), next_due_local=s.next_due_local().isoformat(),
        last_due_at=utc(s.last_due_at), last_run_id=s.last_run_id,
        links={"self": base, "pause": f"{base}/pause", "resume": f"{base}/resume",
               "runs": f"/runs?notebook={s.notebook}"})


def _preset_out(p: presets.Preset) -> m.PresetOut:
    return m.PresetOut(**p.to_dict(), links={
        "self": f"/notebooks/{p.notebook}/presets/{p.name}",
        "run": f"/notebooks/{p.notebook}/runs"})


def preset_error(exc: PresetError) -> ApiError:
    """An invalid preset is refused as invalid parameters are (422), naming the preset."""
    return ApiError(422, "invalid_preset", str(exc), {"preset": exc.preset})


def add_preset_routes(app: FastAPI, service, notebook_or_404) -> None:
    """``/notebooks/{name}/presets``: list, save, show and delete a notebook's presets."""

    @app.get("/notebooks/{name:path}/presets", response_model=m.PresetList, tags=["presets"])
    def list_presets(name: str, _token: Viewer):
        """The notebook's presets; an invalid one says why."""
        info = fresh(notebook_or_404(name))
        found = [_preset_out(p) for p in presets.list_presets(service.store, info.name)]
        return m.PresetList(presets=found, total=len(found))

    @app.post("/notebooks/{name:path}/presets", status_code=201, response_model=m.PresetOut,
              tags=["presets"], responses={403: {"model": m.ErrorOut},
                                           409: {"model": m.ErrorOut}})
    def create_preset(name: str, body: m.PresetIn, response: Response, token: Runner):
        """Save a named parameter set, checked as a run's values are; it belongs to you."""
        info = notebook_or_404(name)
        try:
            made = presets.create_preset(service.store, service.root, notebook=info.name,
                                         name=body.name, owner=token.user,
                                         parameters=body.parameters,
                                         description=body.description)
        except ParameterError as exc:
            problems = check_values(info.name, info.parameters, body.parameters)[1]
            raise parameter_error(problems or [exc]) from None
        except PresetExistsError as exc:
            raise ApiError(409, "preset_exists", str(exc), {"preset": exc.preset}) from None
        except PresetError as exc:
            raise preset_error(exc) from None
        response.headers["Location"] = f"/notebooks/{info.name}/presets/{made.name}"
        return _preset_out(made)

    def fresh(info):
        """The notebook as on disk now, its presets checked against it (no snapshot lag)."""
        current = get_notebook(service.root, info.name)
        presets.revalidate(service.store, [current])
        return current

    def preset_or_404(info, preset: str) -> presets.Preset:
        try:
            return presets.get_preset(service.store, info.name, preset)
        except UnknownObjectError as exc:
            raise ApiError(404, "preset_not_found", str(exc), {"preset": preset[:100]}) from None

    @app.get("/notebooks/{name:path}/presets/{preset}", response_model=m.PresetOut,
             tags=["presets"])
    def show_preset(name: str, preset: str, _token: Viewer):
        return _preset_out(preset_or_404(fresh(notebook_or_404(name)), preset))

    @app.delete("/notebooks/{name:path}/presets/{preset}", status_code=204, tags=["presets"],
                responses={403: {"model": m.ErrorOut}})
    def delete_preset(name: str, preset: str, token: Runner):
        """Remove one of your presets."""
        info = notebook_or_404(name)
        found = preset_or_404(info, preset)
        if found.owner != token.user:
            raise ApiError(403, "forbidden", f"preset {preset!r} belongs to {found.owner}; "
                           "only its owner may delete it", {"owner": found.owner})
        presets.delete_preset(service.store, info.name, preset, token.user)
        return Response(status_code=204)


def add_schedule_routes(app: FastAPI, service, notebook_or_404) -> None:
    """``/schedules``: list, create, show, pause, resume and delete schedules."""

    # ------------------------------------------------------------ schedules

    def schedule_or_404(name: str) -> sched.Schedule:
        try:
            return sched.get_schedule(service.store, name)
        except UnknownObjectError as exc:
            raise ApiError(404, "schedule_not_found", str(exc), {"name": name[:100]}) from None

    def managed_schedule(name: str, token: ApiToken, what: str) -> sched.Schedule:
        found = schedule_or_404(name)
        if not manages(token, found.owner):
            raise forbidden(token, "operator", f"{what} schedule {found.name}, which belongs "
                            f"to {found.owner},")
        return found

    @app.get("/schedules", response_model=m.ScheduleList, tags=["schedules"])
    def list_schedules(_token: Viewer,
                       notebook: Annotated[str | None, Query(max_length=200,
                                                             pattern=NoNul)] = None):
        """Every schedule, with its next due time."""
        found = [_schedule_out(s) for s in sched.list_schedules(service.store, notebook)]
        return m.ScheduleList(schedules=found, total=len(found))

    @app.post("/schedules", status_code=201, response_model=m.ScheduleOut, tags=["schedules"],
              responses={403: {"model": m.ErrorOut}, 409: {"model": m.ErrorOut}})
    def create_schedule(body: m.ScheduleIn, response: Response, token: Runner):
        """Run a notebook on a cron expression in a time zone; values are checked now, and
        so is the role its runs need (they run as you)."""
        info = notebook_or_404(body.notebook)
        who = token.user
        problems = check_role_and_values(service.store, info, token, body.parameters,
                                         body.preset, "scheduling")
        try:
            made = sched.create_schedule(service.store, service.root, name=body.name,
                                         notebook=info.name, cron=body.cron, owner=who,
                                         timezone=body.timezone, parameters=body.parameters,
                                         preset=body.preset)
        except ParameterError as exc:
            raise parameter_error(problems or [exc]) from None
        except PresetError as exc:
            raise preset_error(exc) from None
        except NotebookNotFoundError:
            raise
        except UnknownObjectError as exc:  # the preset
            raise ApiError(404, "preset_not_found", str(exc), {"preset": body.preset}) from None
        except ScheduleExistsError as exc:
            raise ApiError(409, "schedule_exists", str(exc), {"name": exc.schedule}) from None
        except ScheduleError as exc:
            raise ApiError(422, "invalid_schedule", str(exc), {"name": exc.schedule}) from None
        response.headers["Location"] = f"/schedules/{made.name}"
        return _schedule_out(made)

    @app.get("/schedules/{name}", response_model=m.ScheduleOut, tags=["schedules"])
    def show_schedule(name: str, _token: Viewer):
        return _schedule_out(schedule_or_404(name))

    @app.post("/schedules/{name}/pause", response_model=m.ScheduleOut, tags=["schedules"])
    def pause_schedule(name: str, token: Runner):
        """Queue no runs until resumed (its owner, or an operator)."""
        managed_schedule(name, token, "pausing")
        return _schedule_out(sched.set_paused(service.store, name, True))

    @app.post("/schedules/{name}/resume", response_model=m.ScheduleOut, tags=["schedules"])
    def resume_schedule(name: str, token: Runner):
        """Queue runs again, from the next tick after now (a pause is not caught up)."""
        managed_schedule(name, token, "resuming")
        return _schedule_out(sched.set_paused(service.store, name, False))

    @app.delete("/schedules/{name}", status_code=204, tags=["schedules"])
    def delete_schedule(name: str, token: Runner):
        """Remove a schedule; the runs it queued stay in the history."""
        managed_schedule(name, token, "deleting")
        sched.delete_schedule(service.store, name)
        return Response(status_code=204)
