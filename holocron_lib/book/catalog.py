"""The book's runbook catalog page, generated from the registry so it never drifts from the code.

It lists every runbook (category ``runbooks``) and then every other notebook that has
parameters, since any registered notebook can be run with `holocron run`. Each entry shows
the parameter table and the exact command; notebooks that are pages of the book link there.
"""

from __future__ import annotations

import json
from pathlib import Path

from holocron_lib.book.toc import toc_files
from holocron_lib.service.registry import NotebookInfo, discover_notebooks

PAGE_TITLE = "Runbook catalog"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _parameter_table(info: NotebookInfo) -> list[str]:
    if not info.parameters:
        return ["This notebook has no parameters.", ""]
    lines = ["| parameter | type | default | allowed values | description |",
             "|---|---|---|---|---|"]
    for p in info.parameters:
        if not p.has_default:
            default = "*required*"
        else:
            default = f"`{json.dumps(p.to_dict()['default'])}`"
            if p.required:
                default += " (must be given)"
        allowed = "; ".join(p.allowed_text())
        lines.append(f"| `{p.name}` | {p.type} | {_cell(default)} | {_cell(allowed)} | "
                     f"{_cell(p.description)} |")
    return lines + [""]


def _pages(root: Path) -> set[str]:
    toc = root.parent / "_toc.yml"
    if not toc.is_file():
        return set()
    return set(toc_files(root.parent))


def _entry(info: NotebookInfo, pages: set[str], root: Path) -> list[str]:
    lines = [f"### {info.title}", ""]
    page = f"{root.name}/{info.name}"
    name = f"`{info.name}`"
    if page in pages:
        name += f" ({{doc}}`read it in the book </{page}>`)"
    facts = [f"**Name:** {name}"]
    if info.tags:
        facts.append("**Tags:** " + ", ".join(info.tags))
    if info.owner:
        facts.append(f"**Owner:** {info.owner}")
    lines += [" · ".join(facts), ""]
    if info.description:
        lines += [info.description, ""]
    lines += _parameter_table(info)
    lines += ["```bash", info.run_command(), "```", ""]
    return lines


def render_runbook_catalog(root: Path | str) -> str:
    """Markdown for the catalog of the notebooks under ``root`` (the notebooks folder)."""
    root = Path(root)
    infos = discover_notebooks(root)
    runbooks = [i for i in infos if i.category == "runbooks"]
    others = [i for i in infos if i.category != "runbooks" and i.parameters]
    pages = _pages(root)
    lines = [
        f"# {PAGE_TITLE}", "",
        "Every notebook that can be run with parameters, generated from the notebooks' own "
        "`parameters` cells. Run one from the project folder with `holocron run NAME -p "
        "PARAM=value`; each run is recorded (`holocron runs list`) and its executed notebook "
        "is saved under `artifacts/notebooks/`. The same runs can be requested over HTTP "
        "(`holocron serve`, then `POST /notebooks/NAME/runs`).", "",
        "## Runbooks", "",
    ]
    if not runbooks:
        lines += ["No runbooks are registered yet.", ""]
    for info in runbooks:
        lines += _entry(info, pages, root)
    if others:
        lines += ["## Other notebooks with parameters", ""]
        for info in others:
            lines += _entry(info, pages, root)
    return "\n".join(lines).rstrip() + "\n"
