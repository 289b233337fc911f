"""`holocron worker`: execute queued runs from the shared store, on this machine."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from holocron_lib.cli._common import GRACE_OPTION, ROOT_OPTION, context


@click.command("worker")
@click.option("--concurrency", type=click.IntRange(1), default=None,
              help="Runs executed at once (default: HOLOCRON_WORKERS).")
@click.option("--quiet", "-q", is_flag=True, help="No line per run.")
@GRACE_OPTION
@ROOT_OPTION
def worker(concurrency: int | None, quiet: bool, grace: int | None,
           notebooks_root: Path | None) -> None:
    """Take queued runs from the run store and execute them, until stopped.

    Start one on every machine that should execute notebooks, all with the same
    HOLOCRON_STORE_URL (PostgreSQL for several machines). Workers heartbeat the runs
    they hold, stop runs that are cancelled, and recover the runs of a worker that died.
    Ctrl-C or SIGTERM: take no new runs, give the running ones the grace, then stop them
    and exit; a second signal stops them at once. A stopped run is queued again if its
    notebook is retry-safe, else recorded interrupted; queued runs stay queued.
    """
    # lazy: imported when the command runs, so `holocron --help` stays quick
    from holocron_lib.service.worker import Worker

    settings, root, store = context(notebooks_root)
    report = None if quiet else (lambda line: click.echo(line, err=True))
    work = Worker(store, root, settings, concurrency=concurrency, report=report, grace=grace)
    asked = threading.Event()

    def on_signal(_signum, _frame):
        if asked.is_set():
            work.hurry()
        else:
            work.drain()  # the grace counts from the signal
            asked.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with store:
            work.start()
            click.echo(f"worker on {root.name}/: {work.concurrency} at once, store "
                       f"{store.dialect}", err=True)
            while not asked.wait(0.5):  # a timed wait, so the signal handler gets to run
                pass
            if work.busy:
                click.echo(f"giving {work.busy} running run(s) {work.grace:g} s to finish; "
                           "stop again to interrupt them now", err=True)
            work.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
