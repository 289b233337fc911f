"""`holocron db build` and `holocron db info`: the seeded embedded database."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

import click


def _shown(path: Path, home: Path) -> str:
    """A path relative to the project when it lies inside it (no build-machine paths)."""
    try:
        return str(Path(path).resolve().relative_to(home))
    except ValueError:
        return str(path)


@click.group("db")
def db() -> None:
    """Build and inspect the seeded embedded DuckDB database."""


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
@click.option("--if-missing", is_flag=True, help="Do nothing when the database file exists.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line, not each table.")
def build(scale: int | None, seed_dir: Path | None, output: Path | None, seed: int,
          as_of: datetime | None, if_missing: bool, quiet: bool) -> None:
    """Build the database from seed files into a temp file, then replace the old one."""
    from holocron_lib.settings import load_settings

    settings = load_settings()
    output = output or settings.db_path
    if if_missing and output.exists():
        click.echo(f"{_shown(output, settings.home)} exists; not rebuilt (--if-missing)")
        return
    from holocron_lib.db.seeded import build_database  # lazy: heavy, only when building

    report = build_database(
        output, scale=scale or settings.seed_scale, seed_dir=seed_dir, seed=seed, as_of=as_of,
        lake_root=settings.lake_root, progress=None if quiet else click.echo,
    )
    click.echo(f"built {_shown(report.path, settings.home)}: {report.rows:,} rows in "
               f"{len(report.tables)} tables, {report.seconds:.1f} s")


@db.command("info")
@click.option("--path", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Database file (default: HOLOCRON_DB_PATH).")
def info(db_path: Path | None) -> None:
    """What the seeded database holds, from its build record."""
    from holocron_lib.db.seeded import read_meta
    from holocron_lib.settings import load_settings

    settings = load_settings()
    db_path = db_path or settings.db_path
    shown = _shown(db_path, settings.home)
    if not db_path.exists():
        raise click.ClickException(f"{shown} does not exist; run `holocron db build`")
    meta = read_meta(db_path)
    if meta is None:
        raise click.ClickException(f"{shown} has no build record ({db_path.name}.meta.json)")
    per_schema: dict[str, int] = defaultdict(int)
    for table, rows in meta.get("row_counts", {}).items():
        per_schema[table.split(".", 1)[0]] += rows
    click.echo(f"path         {shown}")
    click.echo(f"source       {meta.get('source')}  (scale {meta.get('scale')}, "
               f"seed {meta.get('seed')})")
    click.echo(f"as of        {meta.get('as_of')}")
    click.echo(f"built        {meta.get('built_utc')} in {meta.get('seconds')} s")
    click.echo(f"fingerprint  {meta.get('fingerprint')}")
    for schema, rows in sorted(per_schema.items()):
        click.echo(f"rows {schema:<8}{rows:>10,}")
