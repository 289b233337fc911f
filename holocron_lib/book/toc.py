"""The book's table of contents: which files are pages, in reading order."""

from __future__ import annotations

from pathlib import Path

import yaml

__all__ = ["toc_files", "toc_notebooks"]


def toc_files(root: Path) -> list[str]:
    """Every file named in `_toc.yml`, in reading order, without suffix."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(toc)
    return found


def toc_notebooks(root: Path) -> list[str]:
    """The notebooks (under notebooks_py/) that are pages of the book."""
    return [f for f in toc_files(root) if f.startswith("notebooks_py/")]
