"""`holocron book build` and `holocron book preview`: the site in _build/html, built or live."""

from __future__ import annotations

from pathlib import Path

import click

from holocron_lib.settings import find_project_root


@click.group("book")
def book() -> None:
    """Build the Jupyter Book site, or preview it while you edit."""


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
    from holocron_lib.book.build import build_book  # lazy: keeps `holocron --help` fast

    build_book(find_project_root(Path.cwd()), rebuild_all=rebuild_all, workers=workers,
               notebook_timeout=notebook_timeout, force=force, progress=click.echo)


@book.command("preview")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 to serve the site on (0: any free port).")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Notebooks executed at once (default: one per core).")
def preview(port: int, workers: int | None) -> None:
    """Serve the book on 127.0.0.1 and rebuild it as you edit: a saved notebook, page,
    library module or book configuration re-executes what it affects, rebuilds those pages
    and reloads the open page. A failing notebook shows its error on its page."""
    # lazy: the server and Sphinx load only when the command runs
    from holocron_lib.book.preview import serve

    if port == 0:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    serve(find_project_root(Path.cwd()), port=port, workers=workers)
