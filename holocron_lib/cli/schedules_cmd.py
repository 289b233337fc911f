"""`holocron schedules`: run notebooks on cron expressions (queued by a server's scheduler)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from holocron_lib.cli._common import ROOT_OPTION, context, current_user, table, when
from holocron_lib.cli.run_cmd import pairs


@click.group("schedules")
def schedules() -> None:
    """Schedules: a notebook with parameters, run on a cron expression in a time zone.

    A running `holocron serve` queues each due run (once, however many servers share the
    store); after downtime a schedule runs once for the missed window.
    """


@schedules.command("create")
@click.argument("name")
@click.argument("notebook")
@click.option("--cron", required=True, metavar="EXPR",
              help="Five fields: minute hour day-of-month month day-of-week, e.g. '0 6 * * 1-5'.")
@click.option("--tz", "timezone", default="UTC", show_default=True,
              help="IANA time zone the expression is read in, e.g. Europe/Paris.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter value (repeatable), checked as for holocron run.")
@click.option("--preset", metavar="NAME", help="Run with this preset's values (-p overrides).")
@ROOT_OPTION
def create(name: str, notebook: str, cron: str, timezone: str, params: tuple[str, ...],
           preset: str | None, notebooks_root: Path | None):
    """Create schedule NAME for NOTEBOOK; prints when it is next due."""
    # lazy: imported when the command runs, so `holocron --help` stays quick
    from holocron_lib.service.schedules import create_schedule

    _, root, store = context(notebooks_root)
    with store:
        made = create_schedule(store, root, name=name, notebook=notebook, cron=cron,
                               owner=current_user(), timezone=timezone,
                               parameters=pairs(params), preset=preset, from_strings=True)
    click.echo(f"schedule {made.name}: {made.notebook} at '{made.cron}' ({made.timezone}), "
               f"next due {_local(made)}")


def _local(s) -> str:
    return s.next_due_local().strftime("%Y-%m-%d %H:%M %Z")


@schedules.command("list")
@click.option("--notebook", help="Only schedules of this notebook.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@ROOT_OPTION
def list_(notebook: str | None, as_json: bool, notebooks_root: Path | None):
    """Every schedule with its next due time (in its own time zone) and last run."""
    # lazy: imported when the command runs, so `holocron --help` stays quick
    from holocron_lib.service.schedules import list_schedules

    _, _, store = context(notebooks_root)
    with store:
        found = list_schedules(store, notebook)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in found], indent=2))
        return
    rows = [[s.name, s.notebook, s.cron, s.timezone, "paused" if s.paused else "active",
             "" if s.paused else _local(s), when(s.last_due_at), s.last_run_id,
             s.preset or json.dumps(s.parameters)] for s in found]
    click.echo(table(["name", "notebook", "cron", "time zone", "state", "next due",
                      "last due (UTC)", "last run", "parameters"], rows, max_width=40))
    click.echo(f"\n{len(found)} schedule(s)")


@schedules.command("pause")
@click.argument("name")
@ROOT_OPTION
def pause(name: str, notebooks_root: Path | None):
    """Queue no runs of NAME until it is resumed."""
    # lazy: imported when the command runs, so `holocron --help` stays quick
    from holocron_lib.service.schedules import set_paused

    _, _, store = context(notebooks_root)
    with store:
        set_paused(store, name, True)
    click.echo(f"schedule {name}: paused")


@schedules.command("resume")
@click.argument("name")
@ROOT_OPTION
def resume(name: str, notebooks_root: Path | None):
    """Queue runs of NAME again, from its next tick after now."""
    # lazy: imported when the command runs, so `holocron --help` stays quick
    from holocron_lib.service.schedules import set_paused

    _, _, store = context(notebooks_root)
    with store:
        s = set_paused(store, name, False)
    click.echo(f"schedule {name}: active, next due {_local(s)}")


@schedules.command("delete")
@click.argument("name")
@ROOT_OPTION
def delete(name: str, notebooks_root: Path | None):
    """Remove schedule NAME; the runs it queued stay in the history."""
    # lazy: imported when the command runs, so `holocron --help` stays quick
    from holocron_lib.service.schedules import delete_schedule

    _, _, store = context(notebooks_root)
    with store:
        delete_schedule(store, name)
    click.echo(f"schedule {name}: deleted")
