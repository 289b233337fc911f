"""`holocron worker`: execute queued runs from the shared store, on this machine."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from holocron_lib.cli._common import ROOT_OPTION, context


@click.command("worker")
@click.option("--concurrency", type=click.IntRange(1), default=None,
              help="Runs executed at once (default: HOLOCRON_WORKERS).")
@click.option("--quiet", "-q", is_flag=True, help="No line per run.")
@ROOT_OPTION
def worker(concurrency: int | None, quiet: bool, notebooks_root: Path | None) -> None:
    """Take queued runs from the run store and execute them, until stopped.

    Start one on every machine that should execute notebooks, all with the same
    HOLOCRON_STORE_URL (PostgreSQL for several machines). Workers heartbeat the runs
    they hold, stop runs that are cancelled, and recover the runs of a worker that died.
    Ctrl-C or SIGTERM: finish the running runs and stop; a second time: stop them now
    (each is then queued again if its notebook is retry-safe, else recorded failed).
    """
    # lazy: imported when the command runs, so `holocron --help` stays quick
    from holocron_lib.service.worker import Worker

    settings, root, store = context(notebooks_root)
    report = None if quiet else (lambda line: click.echo(line, err=True))
    work = Worker(store, root, settings, concurrency=concurrency, report=report)
    asked = threading.Event()
    hurry = threading.Event()

    def on_signal(_signum, _frame):
        if asked.is_set():
            hurry.set()
        asked.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with store:
            work.start()
            click.echo(f"worker on {root.name}/: {work.concurrency} at once, store "
                       f"{store.dialect}", err=True)
            asked.wait()
            if work.busy:
                click.echo(f"finishing {work.busy} running run(s); stop again to interrupt "
                           "them", err=True)
            stopper = threading.Thread(target=work.stop, daemon=True)
            stopper.start()
            while stopper.is_alive():
                if hurry.wait(0.2):
                    work.watch.stop_all()
                    stopper.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
