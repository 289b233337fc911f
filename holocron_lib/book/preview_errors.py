"""The preview's record of failing notebooks, and the page a failing notebook gets.

Read by the Sphinx extension inside the preview's builds, so it imports nothing of the
book's build: the extension must not pull in the builder that runs it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = ["ERRORS_FILE", "ERRORS_VARIABLE", "failed_page_source", "read_errors"]

ERRORS_FILE = Path(".holocron") / "preview-errors.json"
ERRORS_VARIABLE = "HOLOCRON_PREVIEW_ERRORS"  # set for the preview's Sphinx builds only


def failed_page_source(text: str, message: str) -> str:
    """The percent-format source of a page whose notebook failed: not executed by the book
    (MyST-NB's per-notebook `execution_mode: off`), the error in a box under the title."""
    import jupytext
    import nbformat

    nb = jupytext.reads(text, fmt="py:percent")
    nb.metadata["mystnb"] = {"execution_mode": "off"}
    nb.metadata.setdefault("jupytext", {})["notebook_metadata_filter"] = "mystnb,kernelspec,-all"
    # One paragraph of plain text: Markdown's special characters escaped.
    shown = re.sub(r"([\\`*_{}\[\]<>#|:~$])", r"\\\1", " ".join(message.split()))
    box = nbformat.v4.new_markdown_cell(
        ":::{error}\n**This notebook failed in the preview**, so this page shows its code "
        f"without outputs. Save a fix and the page comes back with its outputs.\n\n{shown}\n:::")
    at = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
    nb.cells.insert(at, box)
    return jupytext.writes(nb, fmt="py:percent")


def read_errors(path: Path) -> dict:
    """The preview's error file: {"errors": {page: message}, "reread": [page, ...]}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"errors": {}, "reread": []}
    return {"errors": dict(data.get("errors") or {}), "reread": list(data.get("reread") or [])}
