"""`holocron db build`, `info` and `reset`: the seeded embedded database and the working one."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

import click

from holocron_lib.db import workdb
from holocron_lib.db.sidecar import meta_path, read_meta
from holocron_lib.errors import DatabaseBusyError, UnknownObjectError
from holocron_lib.settings import Settings, load_settings, writable_folder


def _shown(path: Path, home: Path) -> str:
    """A path relative to the project when it lies inside it (no build-machine paths)."""
    try:
        return str(Path(path).resolve().relative_to(home))
    except ValueError:
        return str(path)


@click.group("db")
def db() -> None:
    """Build and inspect the seeded embedded DuckDB database; reset the working one."""


@db.command("build")
@click.option("--scale", type=click.IntRange(1), default=None,
              help="Scale factor of the synthetic data (default: HOLOCRON_SEED_SCALE).")
@click.option("--seed-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Load this folder of Holocron seed files (e.g. a real checkout's "
                   "src/db/seeds/data) instead of synthetic data.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Database file to write (default: HOLOCRON_DB_PATH).")
@click.option("--seed", type=int, default=42, show_default=True,
              help="Random seed of the synthetic data.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), default=None,
              help="UTC date the data is 'as of' (default: today); fixes every load timestamp.")
@click.option("--only", "only", multiple=True, metavar="SCHEMAS",
              help="Load only these schemas (comma-separated, e.g. dbo); the others stay empty.")
@click.option("--empty", "empty", multiple=True, metavar="NAMES",
              help="Leave these schemas or tables empty (comma-separated, e.g. llm,ingest or "
                   "llm.run,llm.artifact). Rows that point at them lose the pointer or go too.")
@click.option("--rows", "rows", multiple=True, metavar="TABLE=N",
              help="Keep only the first N seed rows of a table (e.g. llm.job=1).")
@click.option("--if-missing", is_flag=True, help="Do nothing when the database file exists.")
@click.option("--quiet", "-q", is_flag=True,
              help="Print only warnings and the summary line, not each table.")
def build(scale: int | None, seed_dir: Path | None, output: Path | None, seed: int,
          as_of: datetime | None, only: tuple[str, ...], empty: tuple[str, ...],
          rows: tuple[str, ...], if_missing: bool, quiet: bool) -> None:
    """Build the database from seed files into a temp file, then replace the old one.

    Afterwards every declared foreign key and filtered unique index that the data breaks
    is reported as a warning (the embedded database enforces neither).
    """
    settings = load_settings()
    variable = "--output" if output else "HOLOCRON_DB_PATH"
    output = output or settings.db_path
    if if_missing and output.exists():  # before the imports: the book's no-op rebuild path
        click.echo(f"{_shown(output, settings.home)} exists; not rebuilt (--if-missing)")
        return
    # lazy: DuckDB, pyarrow, sqlglot and the generator (2 s): not for --help, --if-missing
    from holocron_lib.db.seeded import build_database
    from holocron_lib.db.subset import Subset, parse_names, parse_row_limits  # lazy, as above
    from holocron_lib.schema.ddl import load_schema_model  # lazy, as above

    try:
        limits = parse_row_limits(rows)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--rows") from None
    try:
        subset = Subset(parse_names(only), parse_names(empty), limits).validate(
            load_schema_model())
    except (UnknownObjectError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="--only/--empty/--rows") from None
    scale = scale or settings.seed_scale  # checked before any work starts
    writable_folder(variable, output.parent, _shown(output.parent, settings.home))

    def say(line: str) -> None:
        if not quiet or line.startswith(("warning", "  ")):
            click.echo(line)

    report = build_database(
        output, scale=scale, seed_dir=seed_dir, seed=seed, as_of=as_of,
        lake_root=settings.lake_root, progress=say, subset=subset,
    )
    click.echo(f"built {_shown(report.path, settings.home)}: {report.rows:,} rows in "
               f"{len(report.tables)} tables, {report.seconds:.1f} s")
    if report.path == settings.db_path.resolve():
        state = workdb.status(settings.work_db_path, settings.db_path)
        if state.behind:
            click.echo("note: " + workdb.behind_message(
                _shown(settings.work_db_path, settings.home), _shown(output, settings.home)))


@db.command("info")
@click.option("--path", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Database file (default: HOLOCRON_DB_PATH).")
def info(db_path: Path | None) -> None:
    """What the seeded database holds, from its build record."""
    settings = load_settings()
    db_path = db_path or settings.db_path
    shown = _shown(db_path, settings.home)
    if not db_path.exists():
        raise click.ClickException(f"{shown} does not exist; run `holocron db build`")
    meta = read_meta(db_path)
    if meta is None:
        raise click.ClickException(f"{shown} has no build record ({meta_path(db_path).name})")
    per_schema: dict[str, int] = defaultdict(int)
    for table, rows in meta.get("row_counts", {}).items():
        per_schema[table.split(".", 1)[0]] += rows
    click.echo(f"path         {shown}")
    click.echo(f"source       {meta.get('source')}  (scale {meta.get('scale')}, "
               f"seed {meta.get('seed')})")
    click.echo(f"as of        {meta.get('as_of')}")
    click.echo(f"built        {meta.get('built_utc')} in {meta.get('seconds')} s")
    click.echo(f"fingerprint  {meta.get('fingerprint')}")
    if meta.get("subset"):
        subset = meta["subset"]
        parts = [f"only {','.join(subset['only'])}" if subset.get("only") else "",
                 f"empty {','.join(subset['empty'])}" if subset.get("empty") else "",
                 ", ".join(f"{t} first {n}" for t, n in (subset.get("rows") or {}).items())]
        click.echo(f"subset       {'; '.join(p for p in parts if p)}")
    for schema, rows in sorted(per_schema.items()):
        click.echo(f"rows {schema:<8}{rows:>10,}")
    _echo_violations(meta)
    if db_path.resolve() == settings.db_path.resolve():
        _echo_working(settings)


def _echo_working(settings: Settings) -> None:
    """The working database beside the seeded one: made when, from what, who writes it."""
    work = settings.work_db_path
    shown = _shown(work, settings.home)
    state = workdb.status(work, settings.db_path)
    if not state.exists:
        click.echo(f"working      {shown} not made yet (the first run or connect() makes it)")
        return
    if state.behind:
        fit = "behind: made from other seed data; `holocron db reset` starts again"
    elif state.made_from is None:
        fit = "origin unknown (no record of the seeded data it was made from)"
    else:
        fit = "made from this seeded data"
    click.echo(f"working      {shown}, {fit} (made {state.created_utc or 'at an unknown time'})")
    if state.writer is not None:
        click.echo(f"writer       {state.writer}, since {state.writer.since}")
    for waiting in workdb.waiters(work):
        click.echo(f"waiting      {waiting}, since {waiting.since}")


@db.command("reset")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def reset(yes: bool) -> None:
    """Restore the working database to the seeded state, discarding every write made to it.

    Runs (`holocron run`, the run service) and connect() in your own notebooks write the
    working database (HOLOCRON_WORK_DB_PATH); the book build and the tests never do. Refuses
    while anyone has it open.
    """
    settings = load_settings()
    seeded, work = settings.db_path, settings.work_db_path
    shown, seeded_shown = _shown(work, settings.home), _shown(seeded, settings.home)
    if settings.backend == "sqlserver":
        raise click.ClickException("the settings name SQL Server, which has no working "
                                   "database of ours to reset")
    if not seeded.is_file():
        raise click.ClickException(f"{seeded_shown} does not exist; run `holocron db build`")
    if not yes:
        click.confirm(f"Replace {shown} with a fresh copy of {seeded_shown}? Every write "
                      "made to it since it was made is lost.", abort=True)
    try:
        workdb.reset(work, seeded, shown=shown)
    except DatabaseBusyError as exc:
        raise click.ClickException(f"not reset: {exc}") from None
    click.echo(f"reset {shown} to the seeded state of {seeded_shown}")


def _echo_violations(meta: dict) -> None:
    """The constraints the data breaks, as the build recorded them."""
    duplicates = meta.get("unique_index_violations")
    references = meta.get("foreign_key_violations")
    if duplicates is None:
        click.echo("constraints  not checked (built before such checks were recorded)")
        return
    if not duplicates and not references:
        click.echo("constraints  every foreign key and filtered unique index holds")
        return
    for item in duplicates:
        keys = "; ".join(f"{_key(s['key'])} ×{s['rows']}" for s in item["sample"])
        click.echo(f"duplicates   {item['name']}: {item['groups']} key(s), {item['rows']} rows "
                   f"in {item['table']} ({', '.join(item['columns'])}); e.g. {keys}")
    for item in references or []:
        click.echo(f"orphans      {item['name']}: {item['orphan_rows']} row(s) of "
                   f"{item['table']} without a parent in {item['ref_table']}")


def _key(value) -> str:
    return "(" + ", ".join(repr(v) for v in value) + ")" if isinstance(value, list) else repr(value)
