"""The HTTP API's request and response shapes (they also make the OpenAPI page at /docs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from holocron_lib.service.registry import NotebookInfo
from holocron_lib.service.values import unstorable

StatusName = Literal["queued", "running", "succeeded", "failed", "error", "timed_out",
                     "cancelled", "interrupted"]


def storable(value: dict[str, Any]) -> dict[str, Any]:
    """Refuse what no store can hold or no client be sent, before anything is recorded."""
    problem = unstorable(value)
    if problem:
        raise ValueError(problem)
    return value


class ErrorBody(BaseModel):
    status: int
    code: str = Field(description="Stable machine-readable code, e.g. notebook_not_found.")
    message: str
    details: dict[str, Any] = {}


class ErrorOut(BaseModel):
    error: ErrorBody


class HealthOut(BaseModel):
    status: str
    store: str = Field(description="Store backend: sqlite or postgresql.")
    store_state: str = Field("ok", description="ok, or why the store cannot be used (then "
                                               "the answer is 503).")
    workers: int = Field(description="Runs this server's own worker executes at once "
                                     "(0: started with --no-worker).")
    running_here: int = Field(description="Runs this server's worker is executing now.")
    queued: int
    running: int


class ParameterOut(BaseModel):
    name: str
    type: str
    default: Any = None
    required: bool
    description: str
    allowed: list[Any] | None = None
    min: float | int | None = None
    max: float | int | None = None
    pattern: str | None = None
    nullable: bool = False
    within: str | None = Field(None, description="Path parameters: the folder the path is "
                                                 "confined to (run, user or project).")
    marks: list[str] = Field([], description="sql, code or writes: setting it needs a "
                                             "higher role (see the security page).")


class NotebookOut(BaseModel):
    name: str
    title: str
    description: str
    category: str
    tags: list[str]
    owner: str | None
    links: dict[str, str]


class NotebookList(BaseModel):
    notebooks: list[NotebookOut]
    total: int


class NotebookDetail(NotebookOut):
    prerequisites: str | None
    last_verified: str | None
    parameters: list[ParameterOut]
    command: str = Field(description="The command line that runs it with its defaults.")


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    parameters: dict[str, Any] = Field(default_factory=dict,
                                       description="Values by parameter name; the rest "
                                                   "keep their defaults.")
    timeout: int | None = Field(None, ge=1, le=86_400,
                                description="Seconds before the run is stopped "
                                            "(default: HOLOCRON_RUN_TIMEOUT).")
    preset: str | None = Field(None, max_length=100,
                               description="Start from this preset's values; `parameters` "
                                           "override them.")

    @field_validator("parameters")
    @classmethod
    def _storable(cls, value: dict[str, Any]) -> dict[str, Any]:
        return storable(value)


class LineageOut(BaseModel):
    """What a run ran, recorded as it started executing; never a path, host or login."""

    code_fingerprint: str | None = Field(None, description="SHA-256 of the notebook's code "
                                         "cells (before parameters are injected).")
    library_version: str | None = None
    library_fingerprint: str | None = Field(None, description="SHA-256 of the library files "
                                            "in the notebook's import closure.")
    data_fingerprint: str | None = Field(None, description="The seed data's fingerprint "
                                         "(embedded database); null for SQL Server.")
    data: str | None = Field(None, description="The data in words.")
    backend: str | None = Field(None, description="duckdb or sqlserver.")
    target: str | None = Field(None, description="The embedded database's file name, or the "
                               "SQL Server database's name.")
    problem: str | None = Field(None, description="Why the lineage could not be taken.")


class RunOut(BaseModel):
    id: int
    notebook: str
    user: str
    status: StatusName
    parameters: dict[str, Any]
    error: str | None
    error_cell: int | None = Field(description="Index of the failing cell in the source "
                                               "notebook, counting from 0.")
    error_name: str | None
    duration_seconds: float | None
    timeout_seconds: int | None
    attempt: int = Field(description="Which attempt this is (a retry-safe run whose worker "
                                     "died is queued again).")
    max_attempts: int
    cancel_requested_by: str | None = Field(description="Who asked to cancel it, if anyone.")
    schedule_id: int | None = Field(None, description="The schedule that queued it, if any.")
    scheduled_for: datetime | None = Field(None, description="The due time it stands for.")
    preset: str | None = Field(None, description="The preset it started from, if any.")
    queued_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    lineage: LineageOut | None = Field(None, description="What it ran: null until it starts "
                                       "(and for runs recorded before lineage existed).")
    results: dict[str, Any] = Field({}, description="What the notebook recorded with "
                                    "record(name, value), by name.")
    detail: Literal["full", "summary"] = Field(
        "full", description="summary: another user's run, shown without its parameters, "
                            "error, results and output (those are for its owner and admins).")
    links: dict[str, str]


class CompareRunOut(BaseModel):
    id: int
    notebook: str
    user: str
    status: StatusName
    detail: Literal["full", "summary"] = Field(description="summary: its parameters and "
                                               "results are hidden (another user's run).")
    links: dict[str, str]


class CompareRowOut(BaseModel):
    section: Literal["run", "parameters", "lineage", "results"]
    name: str
    values: list[Any] = Field(description="One value per run, in the order of `runs`.")
    absent: list[bool] = Field(description="Per run: it has no such value (or hides it).")
    differs: bool = Field(description="The runs whose values are shown do not all agree.")


class CompareOut(BaseModel):
    runs: list[CompareRunOut]
    rows: list[CompareRowOut]
    differing: int = Field(description="How many rows differ.")


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=100,
                      description="Unique name: letters, digits, '_', '-', '.'.")
    notebook: str = Field(max_length=200, description="Registered notebook name.")
    cron: str = Field(max_length=100,
                      description="Five-field cron expression, e.g. '0 6 * * mon-fri'.")
    timezone: str = Field("UTC", max_length=64,
                          description="IANA time zone the cron expression is read in.")
    parameters: dict[str, Any] = Field(default_factory=dict,
                                       description="Values by parameter name, checked as a "
                                                   "run's would be.")
    preset: str | None = Field(None, max_length=100,
                               description="A preset of the notebook to start from.")

    @field_validator("parameters")
    @classmethod
    def _storable(cls, value: dict[str, Any]) -> dict[str, Any]:
        return storable(value)


class PresetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=100, description="Unique per notebook.")
    parameters: dict[str, Any] = Field(default_factory=dict)
    description: str | None = Field(None, max_length=2000, pattern=r"^[^\x00]*$")

    @field_validator("parameters")
    @classmethod
    def _storable(cls, value: dict[str, Any]) -> dict[str, Any]:
        return storable(value)


class PresetOut(BaseModel):
    notebook: str
    name: str
    owner: str
    description: str | None
    parameters: dict[str, Any]
    valid: bool = Field(description="False once the notebook's parameters changed so that "
                                    "these values no longer fit; such a preset is not run.")
    problem: str | None = Field(description="Why it is invalid.")
    links: dict[str, str]


class PresetList(BaseModel):
    presets: list[PresetOut]
    total: int


class ScheduleOut(BaseModel):
    name: str
    notebook: str
    parameters: dict[str, Any]
    preset: str | None
    cron: str
    timezone: str
    owner: str
    paused: bool
    next_due_at: datetime = Field(description="When it next queues a run (UTC).")
    next_due_local: str = Field(description="The same time in the schedule's time zone.")
    last_due_at: datetime | None
    last_run_id: int | None
    links: dict[str, str]


class ScheduleList(BaseModel):
    schedules: list[ScheduleOut]
    total: int


class RunList(BaseModel):
    runs: list[RunOut]
    total: int
    limit: int
    offset: int


def _links(info: NotebookInfo) -> dict[str, str]:
    return {"self": f"/notebooks/{info.name}", "runs": f"/runs?notebook={info.name}",
            "run": f"/notebooks/{info.name}/runs"}


def notebook_out(info: NotebookInfo) -> NotebookOut:
    return NotebookOut(name=info.name, title=info.title, description=info.description,
                       category=info.category, tags=list(info.tags), owner=info.owner,
                       links=_links(info))


def notebook_detail(info: NotebookInfo) -> NotebookDetail:
    return NotebookDetail(
        **notebook_out(info).model_dump(), prerequisites=info.prerequisites,
        last_verified=info.last_verified,
        parameters=[ParameterOut(**p.to_dict()) for p in info.parameters],
        command=info.run_command(),
    )
