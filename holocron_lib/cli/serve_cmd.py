"""`holocron serve`: the HTTP API (OpenAPI docs at /docs) and the web page at /ui."""

from __future__ import annotations

from pathlib import Path

import click

from holocron_lib.cli._common import GRACE_OPTION, ROOT_OPTION
from holocron_lib.settings import load_settings


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Runs the in-process worker executes at once (default: HOLOCRON_WORKERS).")
@click.option("--no-worker", is_flag=True,
              help="Only queue runs; `holocron worker` processes execute them.")
@click.option("--no-scheduler", is_flag=True,
              help="Queue no runs of schedules here (another server does).")
@GRACE_OPTION
@ROOT_OPTION
def serve(host: str, port: int, workers: int | None, no_worker: bool, no_scheduler: bool,
          grace: int | None, notebooks_root: Path | None) -> None:
    """Serve the run API and its web page (/ui): list notebooks, queue runs, read history
    and outputs.

    Runs are queued in the store. Unless --no-worker is given, this process also runs
    a worker, so one machine needs only this command; unless --no-scheduler is given,
    it queues the runs of due schedules. Ctrl-C or SIGTERM: take no more work, give the
    running runs the grace, then stop them (recorded interrupted) and exit; queued runs
    stay queued. A second signal stops them at once.
    """
    import uvicorn

    # lazy: FastAPI and the run service load only to serve
    from holocron_lib.service.api import create_app
    from holocron_lib.service.pool import RunService

    settings = load_settings()
    if not settings.api_tokens:  # checked here: a short or malformed token stops the start
        click.echo("warning: HOLOCRON_API_TOKENS is empty, so every request except /health "
                   "will be refused (401)", err=True)
    root = (notebooks_root or settings.home / "notebooks_py").resolve()
    service = RunService(settings, root, workers=workers, run_worker=not no_worker,
                         run_scheduler=not no_scheduler, grace=grace)  # opens the store
    app = create_app(settings, notebooks_root=root, service=service)
    worker = "no worker" if no_worker else f"a worker of {workers or settings.workers}"
    click.echo(f"serving {root.name}/ on http://{host}:{port} with {worker} "
               "(web page at /ui, docs at /docs)")

    class Server(uvicorn.Server):
        """uvicorn's server, whose signals also reach the run service: the first takes no
        more work (the grace runs from then), a second stops the running runs at once."""

        def handle_exit(self, sig, frame) -> None:
            if self.should_exit:
                service.hurry()  # not uvicorn's force exit: the runs must still be recorded
                return
            service.drain()
            super().handle_exit(sig, frame)

    try:
        Server(uvicorn.Config(app, host=host, port=port, log_level="info")).run()
    finally:
        service.stop()  # done already when the app's shutdown ran; not when start-up failed
