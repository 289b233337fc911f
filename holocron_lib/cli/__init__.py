"""The `holocron` command: a thin click group; each command group lives in its own module.

Command bodies parse arguments, call the library and print. A `HolocronError` becomes a
clean message and exit status 1, never a traceback.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import sys

import click

from holocron_lib.errors import HolocronError

# module name -> attribute holding the click command or group it contributes
COMMAND_MODULES = {
    "db_cmd": "db",
    "settings_cmd": "settings",
    "notebooks_cmd": "notebooks",
    "runs_cmd": "runs",
    "presets_cmd": "presets",
    "run_cmd": "run",
    "schedules_cmd": "schedules",
    "serve_cmd": "serve",
    "worker_cmd": "worker",
    "book_cmd": "book",
}


class HolocronGroup(click.Group):
    """Turns library errors into one-line user errors."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except HolocronError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=HolocronGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="holocron-notebooks", prog_name="holocron")
def cli() -> None:
    """Holocron Notebooks: build the seeded database, run notebooks, serve the run API."""


def _register() -> None:
    for module, attr in COMMAND_MODULES.items():
        try:
            mod = importlib.import_module(f"{__name__}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{module}":
                continue  # that command group is not part of this build
            raise
        cli.add_command(getattr(mod, attr))


_register()


def main() -> None:
    # Registered first, so it runs after every other exit handler: the objects alive then
    # are left to the process's end instead of being walked by the collector once more,
    # which took half a second after a book build.
    atexit.register(gc.freeze)
    cli(prog_name="holocron")


if __name__ == "__main__":
    sys.exit(main())
