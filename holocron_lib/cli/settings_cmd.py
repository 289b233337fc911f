"""`holocron settings`: show the configuration in force (secrets redacted) and `.env.example`."""

from __future__ import annotations

import click

from holocron_lib.settings import SETTINGS, load_settings, render_env_example


@click.group("settings")
def settings() -> None:
    """Show configuration."""


@settings.command("show")
def show_settings() -> None:
    """Print the settings in force; secret values are shown as ***."""
    s = load_settings()
    click.echo(f"backend: {s.backend}")
    click.echo(f"home:    {s.home}")
    for item in SETTINGS:
        value = s.values.get(item.name)
        if value is None:
            shown = "(not set)"
        elif item.secret:
            shown = "***"
        else:
            shown = value
        click.echo(f"{item.name} = {shown}")


@settings.command("env-example")
def env_example() -> None:
    """Print the text of .env.example generated from the settings table."""
    click.echo(render_env_example(), nl=False)
