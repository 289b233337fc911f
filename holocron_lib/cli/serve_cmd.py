"""`holocron serve`: the HTTP API (OpenAPI docs at /docs)."""

from __future__ import annotations

from pathlib import Path

import click

from holocron_lib.cli._common import ROOT_OPTION


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Notebook runs at once (default: HOLOCRON_WORKERS).")
@ROOT_OPTION
def serve(host: str, port: int, workers: int | None, notebooks_root: Path | None) -> None:
    """Serve the run API: list notebooks, queue runs, read history and outputs."""
    import uvicorn

    from holocron_lib.service.api import create_app
    from holocron_lib.settings import load_settings

    settings = load_settings()
    if not settings.api_tokens:  # checked here: a short or malformed token stops the start
        click.echo("warning: HOLOCRON_API_TOKENS is empty, so every request except /health "
                   "will be refused (401)", err=True)
    root = (notebooks_root or settings.home / "notebooks_py").resolve()
    app = create_app(settings, notebooks_root=root, workers=workers)  # opens the store
    click.echo(f"serving {root.name}/ on http://{host}:{port} (docs at /docs)")
    uvicorn.run(app, host=host, port=port, log_level="info")
