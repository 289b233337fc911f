"""`holocron book build`: execute the notebooks and write the site to _build/html."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("book")
def book() -> None:
    """Build the Jupyter Book site."""


@book.command("build")
@click.option("--all", "rebuild_all", is_flag=True, help="Re-read every page, not only changed ones.")
@click.option("--force", is_flag=True,
              help="Re-execute every notebook, even those whose cached outputs are current.")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Notebooks executed at once (default: one per core).")
@click.option("--notebook-timeout", type=click.IntRange(1), default=300, show_default=True,
              help="Seconds a whole notebook may run before its kernel is stopped.")
def build(rebuild_all: bool, force: bool, workers: int | None, notebook_timeout: int) -> None:
    """Execute the notebooks in _toc.yml that need it against the seeded database (each
    executed line says why) and write _build/html."""
    from holocron_lib.book.build import build_book
    from holocron_lib.settings import find_project_root

    build_book(find_project_root(Path.cwd()), rebuild_all=rebuild_all, workers=workers,
               notebook_timeout=notebook_timeout, force=force, progress=click.echo)
