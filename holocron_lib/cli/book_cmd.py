"""`holocron book build`: execute the notebooks and write the site to _build/html."""

from __future__ import annotations

from pathlib import Path

import click

from holocron_lib.settings import find_project_root


@click.group("book")
def book() -> None:
    """Build the Jupyter Book site."""


@book.command("build")
@click.option("--all", "rebuild_all", is_flag=True, help="Re-read every page, not only changed ones.")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Notebooks executed at once (default: one per core).")
@click.option("--notebook-timeout", type=click.IntRange(1), default=300, show_default=True,
              help="Seconds a whole notebook may run before its kernel is stopped.")
@click.option("--executor", type=click.Choice(["fork", "kernel"]), default="fork",
              show_default=True,
              help="fork: notebooks forked from a process with the imports preloaded; "
                   "kernel: a Jupyter kernel per notebook.")
def build(rebuild_all: bool, workers: int | None, notebook_timeout: int, executor: str) -> None:
    """Execute the notebooks in _toc.yml against the seeded database and write _build/html."""
    from holocron_lib.book.build import build_book  # lazy: keeps `holocron --help` fast

    build_book(find_project_root(Path.cwd()), rebuild_all=rebuild_all, workers=workers,
               notebook_timeout=notebook_timeout, executor=executor, progress=click.echo)
