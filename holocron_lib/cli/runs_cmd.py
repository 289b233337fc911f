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
    if r.lineage:
        click.echo("lineage:")
        for key, value in r.lineage.items():
            click.echo(f"  {key} = {value}")
    if r.results:
        click.echo("results:")
        for key, value in r.results.items():
            click.echo(f"  {key} = {json.dumps(value, ensure_ascii=False)}")
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


@runs.command("compare")
@click.argument("run_ids", nargs=-1, required=True, type=click.IntRange(1, MAX_RUN_ID))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--only-differences", is_flag=True, help="Leave out the rows where the runs "
              "agree.")
@ROOT_OPTION
def compare(run_ids: tuple[int, ...], as_json: bool, only_differences: bool,
            notebooks_root: Path | None):
    """Runs side by side: parameters, lineage and recorded results.

    Rows where the runs differ are marked with *. Fingerprints are shortened to 12
    characters (--json gives them whole)."""
    # lazy: the comparison loads the store's tables, which `holocron --help` need not wait for
    from holocron_lib.service.run_lineage import MAX_COMPARED
    from holocron_lib.service.run_lineage import compare as side_by_side

    wanted = list(dict.fromkeys(run_ids))
    if not 2 <= len(wanted) <= MAX_COMPARED:
        raise click.UsageError(f"compare 2 to {MAX_COMPARED} different runs; "
                               f"{len(wanted)} given")
    _, _, store = context(notebooks_root)
    with store:
        found = [store.get_run(i) for i in wanted]
    rows = side_by_side(found)
    if only_differences:
        rows = [r for r in rows if r.differs]
    if as_json:
        click.echo(json.dumps({"runs": wanted, "rows": [r.to_dict() for r in rows]},
                              indent=2, default=str))
        return
    body = [["*" if row.differs else "", row.section, row.name,
             *(_cell(row.name, v, gone) for v, gone in zip(row.values, row.absent, strict=True))]
            for row in rows]
    click.echo(table(["", "section", "name", *(f"run {i}" for i in wanted)], body,
                     max_width=40))
    differing = sum(r.differs for r in rows)
    click.echo(f"\n{differing} of {len(rows)} row(s) differ (marked *)")


def _cell(name: str, value, absent: bool) -> str:
    if absent:
        return "-"
    if isinstance(value, str):
        return value[:12] if name.endswith("fingerprint") else value
    return json.dumps(value, ensure_ascii=False)
