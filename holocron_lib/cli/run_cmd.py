"""`holocron run NAME -p key=value`: run one notebook with parameters and record the run."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import click

from holocron_lib.cli._common import ROOT_OPTION, context, current_user, table
from holocron_lib.db.connection import describe_target
from holocron_lib.service.registry import get_notebook, validate_parameters


def pairs(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not of the form NAME=VALUE",
                                     param_hint="-p/--param")
        out[key.strip()] = value
    return out


def _limit_text(limit: int | None) -> str:
    return f"time limit {limit} s" if limit else "no time limit"


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


@click.command("run")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter value (repeatable); text is read as the parameter's type.")
@click.option("--dry-run", is_flag=True, help="Check the parameters and show what would run.")
@click.option("--timeout", type=click.IntRange(1), default=None,
              help="Seconds before the run is stopped (default: HOLOCRON_RUN_TIMEOUT).")
@click.option("--preset", metavar="NAME",
              help="Start from a saved preset of the notebook; -p values override it.")
@click.option("--queue", "queue_only", is_flag=True,
              help="Only queue the run for a worker (holocron worker or serve) and print its id.")
@click.option("--quiet", "-q", is_flag=True, help="No cell progress.")
@ROOT_OPTION
def run(name: str, params: tuple[str, ...], dry_run: bool, timeout: int | None,
        preset: str | None, queue_only: bool, quiet: bool, notebooks_root: Path | None) -> None:
    """Run notebook NAME with parameters; exits 1 unless the run succeeded.

    The run executes in this process, unless --queue hands it to the workers.
    """
    # lazy: the runner and store load papermill and SQLAlchemy; `holocron --help` need not
    from holocron_lib.service.runner import output_file_name
    from holocron_lib.service.store import RunStatus

    values = pairs(params)
    settings, root, store = context(notebooks_root, store=not dry_run or preset is not None)
    limit = timeout or settings.run_timeout
    if dry_run:
        info = get_notebook(root, name)
        base = {}
        if preset is not None:
            from holocron_lib.service.presets import preset_values  # lazy: only with --preset

            with store:
                base = preset_values(store, info, preset)
        checked = validate_parameters(info, {**base, **values}, from_strings=True)
        click.echo(f"would run {info.name} ({info.title}) as {current_user()}, "
                   f"{_limit_text(limit)}, with:")
        rows = [[k, json.dumps(v), "given" if k in values else
                 f"preset {preset}" if k in base else "default"]
                for k, v in checked.items()]
        click.echo(table(["parameter", "value", "source"], rows) if rows else "  (no parameters)")
        click.echo(f"output: {settings.artifacts_dir}/notebooks/<date>/"
                   f"{output_file_name(info.name, '<run id>')}")
        return
    if queue_only:
        from holocron_lib.service.runner import queue_run  # lazy: papermill and friends

        with store:
            queued = queue_run(store, root, name, values, current_user(), from_strings=True,
                               timeout=timeout, attempts=settings.run_attempts, preset=preset)
        click.echo(f"run {queued.id}: {queued.notebook} queued")
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        done = _execute(store, root, name, values, timeout, limit, quiet, settings, preset)
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo(f"status: {done.status.value}"
               + (f" in {done.duration_seconds:.1f} s" if done.duration_seconds else ""))
    if done.output_path:
        click.echo(f"output: {done.output_path}")
    for key, value in done.results.items():
        click.echo(f"recorded: {key} = {json.dumps(value, ensure_ascii=False)}")
    if done.status != RunStatus.SUCCEEDED:
        where = f" at cell {done.error_cell}" if done.error_cell is not None else ""
        raise click.ClickException(f"run {done.id} {done.status.value}{where}: "
                                   f"{done.error_message}")


def _execute(store, root, name, values, timeout, limit, quiet, settings, preset):
    """Record the run as running, execute it here, and close it whatever happens."""
    # lazy: the runner, the store and the worker's watch load papermill and SQLAlchemy
    from holocron_lib.service.runner import perform_run, queue_run
    from holocron_lib.service.store import RunStatus
    from holocron_lib.service.worker import RunWatch  # lazy: as the two above

    with store, RunWatch(store) as watch:
        recorded = queue_run(store, root, name, values, current_user(), from_strings=True,
                             timeout=timeout, status=RunStatus.RUNNING, preset=preset)
        stop = watch.register(recorded.id)  # `holocron runs cancel` reaches it here too
        click.echo(f"run {recorded.id}: {recorded.notebook} ({_limit_text(limit)})")
        click.echo(f"database: {describe_target(settings)}")

        def progress(i: int, n: int) -> None:
            if not quiet:
                click.echo(f"  cell {i}/{n}", err=True)

        try:
            done = perform_run(store, recorded, root, home=settings.home,
                               artifacts_dir=settings.artifacts_dir,
                               default_timeout=settings.run_timeout, progress=progress,
                               stop=stop)
        except KeyboardInterrupt:
            store.finish_run(recorded.id, RunStatus.FAILED,
                             error_message="Interrupted: the runner was stopped (Ctrl-C or "
                                           "SIGTERM)")
            raise click.exceptions.Exit(130) from None
    return done
