"""The book's command-line reference, rendered from the `holocron` click commands themselves.

`book/command-line.md` holds the rendered text between two markers, and a test checks that it
equals `render_cli_reference()`, so the page cannot drift from the code. Help is formatted at
a fixed width, so the text does not depend on the terminal it is generated in.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from holocron_lib.cli import cli

HELP_WIDTH = 76
START_MARKER = "<!-- cli-reference:start -->"
END_MARKER = "<!-- cli-reference:end -->"


def iter_commands(
    command: click.Command | None = None, ctx: click.Context | None = None
) -> Iterator[tuple[str, click.Command, click.Context]]:
    """Every command and group, depth first, as (full name, command, its context)."""
    if command is None:
        command = cli
    if ctx is None:
        ctx = command.make_context("holocron", [], resilient_parsing=True,
                                   terminal_width=HELP_WIDTH, max_content_width=HELP_WIDTH)
    yield ctx.command_path, command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            child = command.get_command(ctx, name)
            if child is None or child.hidden:
                continue
            child_ctx = child.make_context(name, [], parent=ctx, resilient_parsing=True)
            yield from iter_commands(child, child_ctx)


def command_names() -> list[str]:
    """Full names of every command, e.g. ``holocron db build``."""
    return [name for name, _, _ in iter_commands()]


def render_cli_reference() -> str:
    """One section per command: its one-line summary and its full ``--help`` text."""
    parts: list[str] = []
    for name, command, ctx in iter_commands():
        summary = command.get_short_help_str(limit=1000)
        parts.append(f"## {name}\n\n{summary}\n\n```text\n{command.get_help(ctx)}\n```\n")
    return "\n".join(parts)


def update_page(path: Path) -> bool:
    """Rewrite the marked region of ``path`` with the current reference; True if it changed."""
    text = path.read_text(encoding="utf-8")
    start = text.index(START_MARKER) + len(START_MARKER)
    end = text.index(END_MARKER)
    new = text[:start] + "\n" + render_cli_reference() + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def marked_region(text: str) -> str:
    """The text between the markers of a page, without the newline after the start marker."""
    start = text.index(START_MARKER) + len(START_MARKER)
    return text[start:text.index(END_MARKER)].removeprefix("\n")


if __name__ == "__main__":
    # python -m holocron_lib.cli.reference_page [book/command-line.md]
    page = Path(sys.argv[1] if len(sys.argv) > 1 else "book/command-line.md")
    print(f"{page}: {'updated' if update_page(page) else 'already current'}")
