"""Options and helpers shared by the run-service commands."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from holocron_lib.settings import load_settings

ROOT_OPTION = click.option(
    "--root", "notebooks_root", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder of the notebook registry (default: notebooks_py/ in the project).")

GRACE_OPTION = click.option(
    "--grace", type=click.IntRange(0, 3600), default=None, metavar="SECONDS",
    help="Once stopped, seconds the running runs may go on before they are stopped and "
         "recorded interrupted (default: HOLOCRON_STOP_GRACE, 10).")


def context(notebooks_root: Path | None, *, store: bool = True):
    """(settings, registry root, store or None) for a command."""
    settings = load_settings()
    root = (notebooks_root or settings.home / "notebooks_py").resolve()
    if not store:
        return settings, root, None
    # lazy: the store loads SQLAlchemy, which `holocron --help` need not wait for
    from holocron_lib.service.store import Store

    opened = Store(settings.store_url, stale_after=settings.stale_after)
    opened.recover_orphans()
    return settings, root, opened


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def table(headers: list[str], rows: list[list[object]], max_width: int = 60) -> str:
    """A plain, aligned text table; long cells are cut with an ellipsis."""
    def cell(value: object) -> str:
        text = "" if value is None else str(value).replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    body = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
              for r in body]
    return "\n".join(lines)


def when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""
