"""`holocron notebooks`: list, show, sync the registry, and pair the .ipynb copies."""

from __future__ import annotations

import json
from pathlib import Path

import click

from holocron_lib.cli._common import ROOT_OPTION, context, table
from holocron_lib.service.registry import discover_notebooks, get_notebook


@click.group("notebooks")
def notebooks() -> None:
    """The notebook registry: what can be run, with which parameters."""


@notebooks.command("list")
@click.option("--category", help="Only this category (learning, runbooks, exploration, ...).")
@click.option("--tag", help="Only notebooks with this tag.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@ROOT_OPTION
def list_(category: str | None, tag: str | None, as_json: bool, notebooks_root: Path | None):
    """Registered notebooks as a table."""
    _, root, _ = context(notebooks_root, store=False)
    found = [i for i in discover_notebooks(root)
             if (not category or i.category == category) and (not tag or tag in i.tags)]
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in found], indent=2))
        return
    click.echo(table(["name", "category", "parameters", "title"],
                     [[i.name, i.category, len(i.parameters), i.title] for i in found]))
    click.echo(f"\n{len(found)} notebook(s)")


def parameter_rows(info) -> list[list[object]]:
    rows = []
    for p in info.parameters:
        default = "(required)" if not p.has_default else json.dumps(p.to_dict()["default"])
        if p.has_default and p.required:
            default += " (must be given)"
        allowed = " | ".join(p.allowed_text())
        rows.append([p.name, p.type, default, allowed, p.description])
    return rows


@notebooks.command("show")
@click.argument("name")
@ROOT_OPTION
def show(name: str, notebooks_root: Path | None):
    """One notebook: metadata, parameter table and the command that runs it."""
    _, root, _ = context(notebooks_root, store=False)
    info = get_notebook(root, name)
    click.echo(f"{info.title}\n{'=' * len(info.title)}")
    for label, value in (("name", info.name), ("category", info.category),
                         ("tags", ", ".join(info.tags)), ("owner", info.owner),
                         ("prerequisites", info.prerequisites),
                         ("last verified", info.last_verified)):
        if value:
            click.echo(f"{label + ':':15}{value}")
    if info.description:
        click.echo(f"\n{info.description}")
    click.echo("\nParameters:")
    if info.parameters:
        click.echo(table(["name", "type", "default", "allowed", "description"],
                         parameter_rows(info)))
    else:
        click.echo("  (none)")
    click.echo(f"\nRun it:\n  {info.run_command()}")


@notebooks.command("sync")
@ROOT_OPTION
def sync(notebooks_root: Path | None):
    """Record the registry in the run store (notebooks gone from disk become inactive)."""
    # lazy: the store's tables load SQLAlchemy; `holocron --help` need not
    from holocron_lib.service.presets import revalidate

    _, root, store = context(notebooks_root)
    with store:
        infos = discover_notebooks(root)
        report = store.sync_notebooks(infos)
        rechecked = revalidate(store, infos)
    for key in ("added", "updated", "deactivated"):
        for name in report[key]:
            click.echo(f"{key:12}{name}")
    for p in rechecked:
        state = "valid" if p.valid else f"INVALID: {p.problem}"
        click.echo(f"{'preset':12}{p.notebook} {p.name}: {state}")
    click.echo(f"{len(report['added'])} added, {len(report['updated'])} updated, "
               f"{len(report['unchanged'])} unchanged, {len(report['deactivated'])} deactivated")


@notebooks.command("pair")
@ROOT_OPTION
def pair(notebooks_root: Path | None):
    """Write or update the paired .ipynb copy of every notebook (jupytext --sync)."""
    from jupytext.cli import jupytext as jupytext_cli

    settings, root, _ = context(notebooks_root, store=False)
    sources = sorted(str(p) for p in root.rglob("*.py") if ".ipynb_checkpoints" not in p.parts)
    if not sources:
        raise click.ClickException(f"no notebooks under {root}")
    jupytext_cli(["--sync", "--quiet", *sources])
    click.echo(f"paired {len(sources)} notebook(s)")
