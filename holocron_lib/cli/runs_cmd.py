"""`holocron runs`: the run history."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from holocron_lib.cli._common import ROOT_OPTION, context, current_user, table, when

STATUSES = ["queued", "running", "succeeded", "failed", "error", "timed_out", "cancelled",
            "interrupted"]
MAX_RUN_ID = 2**31 - 1  # the store's id range (service.tables.MAX_ID), without importing it


@click.group("runs")
def runs() -> None:
    """Every recorded notebook run: who, parameters, status, output."""


@runs.command("list")
@click.option("--notebook", help="Only runs of this notebook (registered name).")
@click.option("--status", type=click.Choice(STATUSES), help="Only runs with this status.")
@click.option("--user", help="Only runs by this user.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0, MAX_RUN_ID), default=0)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@ROOT_OPTION
def list_(notebook, status, user, limit, offset, as_json, notebooks_root: Path | None):
    """Runs, newest first."""
    _, _, store = context(notebooks_root)
    with store:
        found, total = store.list_runs(notebook=notebook, status=status, user=user,
                                       limit=limit, offset=offset)
    if as_json:
        click.echo(json.dumps({"runs": [asdict(r) for r in found], "total": total},
                              default=str, indent=2))
        return
    rows = [[r.id, r.notebook, r.user, r.status.value,
             f"{r.duration_seconds:.1f}" if r.duration_seconds is not None else "",
             when(r.queued_at), json.dumps(r.parameters)] for r in found]
    click.echo(table(["id", "notebook", "user", "status", "seconds", "queued (UTC)",
                      "parameters"], rows, max_width=50))
    click.echo(f"\n{len(found)} of {total} run(s)")


@runs.command("show")
@click.argument("run_id", type=click.IntRange(1, MAX_RUN_ID))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@ROOT_OPTION
def show(run_id: int, as_json: bool, notebooks_root: Path | None):
    """One run in full."""
    _, _, store = context(notebooks_root)
    with store:
        r = store.get_run(run_id)
    if as_json:
        click.echo(json.dumps(asdict(r), default=str, indent=2))
        return
    fields = [("run", r.id), ("notebook", r.notebook), ("user", r.user),
              ("status", r.status.value), ("queued", when(r.queued_at)),
              ("started", when(r.started_at)), ("completed", when(r.completed_at)),
              ("seconds", r.duration_seconds), ("time limit", r.timeout_seconds),
              ("attempt", f"{r.attempt} of {r.max_attempts}" if r.max_attempts > 1 else None),
              ("cancelled by", r.cancel_requested_by),
              ("runner", f"{r.runner_host} pid {r.runner_pid}" if r.runner_pid else None),
              ("output", r.output_path), ("failing cell", r.error_cell),
              ("error", r.error_message)]
    for label, value in fields:
        if value is not None and value != "":
            click.echo(f"{label + ':':14}{value}")
    click.echo("parameters:")
    for key, value in r.parameters.items():
        click.echo(f"  {key} = {json.dumps(value)}")
    for earlier in r.attempt_history:
        click.echo(f"attempt {earlier['attempt']}: {earlier['runner']}, ended "
                   f"{earlier['ended_at']}: {earlier['reason']}")


@runs.command("cancel")
@click.argument("run_id", type=click.IntRange(1, MAX_RUN_ID))
@ROOT_OPTION
def cancel(run_id: int, notebooks_root: Path | None):
    """Cancel a run: a queued one at once, a running one by the worker that holds it."""
    _, _, store = context(notebooks_root)
    with store:
        r = store.request_cancel(run_id, current_user())
    if r.status.value == "cancelled":
        click.echo(f"run {r.id} ({r.notebook}) cancelled")
    else:
        click.echo(f"run {r.id} ({r.notebook}) is {r.status.value}: cancel requested; the "
                   "worker holding it stops it within seconds")
