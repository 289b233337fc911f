"""`holocron presets`: named, checked parameter sets of a notebook."""

from __future__ import annotations

import json
from pathlib import Path

import click

from holocron_lib.cli._common import ROOT_OPTION, context, current_user, table
from holocron_lib.cli.run_cmd import pairs


@click.group("presets")
def presets() -> None:
    """Presets: named parameter sets of a notebook, for runs and schedules.

    A preset is checked when saved and again whenever the notebook's parameters cell
    changes; one that no longer fits is shown invalid and is not run.
    """


@presets.command("create")
@click.argument("notebook")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter value (repeatable), checked as for holocron run.")
@click.option("--description", help="What the preset is for.")
@ROOT_OPTION
def create(notebook: str, name: str, params: tuple[str, ...], description: str | None,
           notebooks_root: Path | None):
    """Save preset NAME of NOTEBOOK (yours: only you may delete it)."""
    # lazy: imported when the command runs, so `holocron --help` stays quick
    from holocron_lib.service.presets import create_preset

    _, root, store = context(notebooks_root)
    with store:
        made = create_preset(store, root, notebook=notebook, name=name, owner=current_user(),
                             parameters=pairs(params), description=description,
                             from_strings=True)
    click.echo(f"preset {made.name} of {made.notebook}: {json.dumps(made.parameters)}")
    click.echo(f"run it: holocron run {made.notebook} --preset {made.name}")


def _checked(store, root, notebook: str | None):
    """Presets as listed, re-checked first against the notebooks as they are on disk."""
    # lazy: imported when the command runs, so `holocron --help` stays quick
    from holocron_lib.service.presets import list_presets, revalidate
    from holocron_lib.service.registry import discover_notebooks

    found = list_presets(store, notebook)
    names = {p.notebook for p in found}
    revalidate(store, [i for i in discover_notebooks(root) if i.name in names])
    return list_presets(store, notebook)


@presets.command("list")
@click.option("--notebook", help="Only presets of this notebook.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@ROOT_OPTION
def list_(notebook: str | None, as_json: bool, notebooks_root: Path | None):
    """Every preset; an invalid one with the reason."""
    _, root, store = context(notebooks_root)
    with store:
        found = _checked(store, root, notebook)
    if as_json:
        click.echo(json.dumps([p.to_dict() for p in found], indent=2))
        return
    rows = [[p.notebook, p.name, p.owner, "valid" if p.valid else f"INVALID: {p.problem}",
             json.dumps(p.parameters)] for p in found]
    click.echo(table(["notebook", "preset", "owner", "state", "parameters"], rows,
                     max_width=70))
    click.echo(f"\n{len(found)} preset(s)")


@presets.command("delete")
@click.argument("notebook")
@click.argument("name")
@ROOT_OPTION
def delete(notebook: str, name: str, notebooks_root: Path | None):
    """Remove one of your presets."""
    # lazy: imported when the command runs, so `holocron --help` stays quick
    from holocron_lib.service.presets import delete_preset

    _, _, store = context(notebooks_root)
    with store:
        delete_preset(store, notebook, name, current_user())
    click.echo(f"preset {name} of {notebook}: deleted")
