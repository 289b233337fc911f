"""The notebook registry: each notebook's name, metadata and `parameters` cell, read from disk.

Notebooks are known by name only: the path under the registry root without `.py`
(``runbooks/02_single_ingestion_run``). Files or folders starting with ``_`` (templates,
drafts) are not registered. Parameters are parsed by `paramspec`; values are checked by
`validate_parameters`.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from holocron_lib.errors import NotebookNotFoundError, close_matches
from holocron_lib.service.params import (
    Parameter,
    check_values,
    parse_parameters_cell,
    validate_values,
)

__all__ = [
    "NotebookInfo", "Parameter", "discover_notebooks", "get_notebook", "is_valid_name",
    "read_notebook", "validate_parameters",
]

# A name is lower-risk than a path: letters, digits, `_` and `-` in `/`-separated segments,
# each starting with a letter or digit. No dots, so no `..`, no suffix, no absolute path.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:/[A-Za-z0-9][A-Za-z0-9_-]*)*")
_CATEGORIES = {"learning": "learning", "runbook": "runbooks", "runbooks": "runbooks",
               "exploration": "exploration", "debug": "debug", "analytics": "analytics"}
_ROW = re.compile(r"^\|\s*\*\*(?P<key>[^*]+)\*\*\s*\|\s*(?P<value>.*?)\s*\|\s*$")


@dataclass(frozen=True)
class NotebookInfo:
    """One registered notebook. ``path`` is for the runner only, never shown over HTTP."""

    name: str
    path: Path
    title: str
    description: str
    category: str
    tags: tuple[str, ...]
    owner: str | None
    prerequisites: str | None
    last_verified: str | None
    parameters: tuple[Parameter, ...]
    # `**Retry safe** | yes` in the metadata table: a run interrupted by a dead worker may be
    # queued again (the notebook's effects are idempotent)
    retry_safe: bool = False

    @property
    def source_file(self) -> str:
        """The source file relative to the registry root (what the store keeps as input)."""
        return f"{self.name}.py"

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    @property
    def fingerprint(self) -> str:
        """Changes when anything the store keeps about this notebook changes."""
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description, without the filesystem path."""
        return {
            "name": self.name, "title": self.title, "description": self.description,
            "category": self.category, "tags": list(self.tags), "owner": self.owner,
            "prerequisites": self.prerequisites, "last_verified": self.last_verified,
            "parameters": [p.to_dict() for p in self.parameters],
            "retry_safe": self.retry_safe,
        }

    def run_command(self, values: dict[str, Any] | None = None) -> str:
        """The `holocron run` command line; required parameters get a placeholder."""
        parts = ["holocron", "run", self.name]
        for p in self.parameters:
            if values and p.name in values:
                parts += ["-p", _shell_quote(f"{p.name}={p.format_value(values[p.name])}")]
            elif p.required:
                parts += ["-p", f"{p.name}=<{p.type}>"]
        return " ".join(parts)


def _shell_quote(text: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_=.,:/@+-]+", text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


def is_valid_name(name: str) -> bool:
    """True for a well-formed notebook name (it may still be unknown)."""
    return isinstance(name, str) and len(name) <= 200 and bool(_NAME.fullmatch(name))


def _metadata(markdown: str) -> dict[str, Any]:
    """Title, table rows and first paragraph after the table, from the metadata cell."""
    lines = markdown.splitlines()
    title = ""
    rows: dict[str, str] = {}
    paragraph: list[str] = []
    seen_table = False
    for line in lines:
        stripped = line.strip()
        if not title and stripped.startswith("# "):
            title = stripped[2:].strip()
        elif m := _ROW.match(stripped):
            rows[m["key"].strip().lower()] = m["value"].strip()
            seen_table = True
        elif stripped.startswith("|"):
            seen_table = True
        elif stripped and (seen_table or title) and not stripped.startswith("#"):
            paragraph.append(stripped)
        elif not stripped and paragraph:
            break
    return {"title": title, "rows": rows, "description": " ".join(paragraph)}


_PARSED: OrderedDict[tuple[str, str, str], NotebookInfo] = OrderedDict()
_PARSED_LIMIT = 2048
_parsed_lock = threading.Lock()


def read_notebook(path: Path, name: str) -> NotebookInfo:
    """Parse one percent-format notebook into a `NotebookInfo`.

    Parsing (jupytext, the parameters cell) costs milliseconds and reading the bytes
    microseconds, so a parse is kept by the file's content digest: an unchanged file is read
    but never parsed again, and any edit, however quick, is seen.
    """
    text = Path(path).read_text(encoding="utf-8")
    key = (str(path), name, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    with _parsed_lock:
        found = _PARSED.get(key)
        if found is not None:
            _PARSED.move_to_end(key)
            return found
    info = _parse_notebook(text, Path(path), name)
    with _parsed_lock:
        _PARSED[key] = info
        while len(_PARSED) > _PARSED_LIMIT:
            _PARSED.popitem(last=False)
    return info


def _parse_notebook(text: str, path: Path, name: str) -> NotebookInfo:
    import jupytext

    nb = jupytext.reads(text, fmt="py:percent")
    first = nb.cells[0] if nb.cells and nb.cells[0].cell_type == "markdown" else None
    meta = _metadata(first.source) if first is not None else {"title": "", "rows": {},
                                                                  "description": ""}
    rows = meta["rows"]
    folder = name.split("/")[0] if "/" in name else None
    declared = rows.get("category", "").split(",")[0].strip().lower()
    category = folder or _CATEGORIES.get(declared, declared) or "uncategorized"
    tags = tuple(t.strip().strip("`") for t in rows.get("tags", "").split(",") if t.strip())
    params: tuple[Parameter, ...] = ()
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            params = parse_parameters_cell(cell.source, notebook=name)
            break
    return NotebookInfo(
        name=name, path=path, title=meta["title"] or name.rsplit("/", 1)[-1],
        description=meta["description"], category=category, tags=tags,
        owner=rows.get("owner") or None, prerequisites=rows.get("prerequisites") or None,
        last_verified=rows.get("last verified") or None, parameters=params,
        retry_safe=rows.get("retry safe", "").strip().lower() in ("yes", "true"),
    )


def _candidates(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if any(part.startswith(("_", ".")) for part in rel.parts):
            continue
        name = rel.with_suffix("").as_posix()
        if is_valid_name(name):
            found[name] = path
    return found


def discover_notebooks(root: Path | str) -> list[NotebookInfo]:
    """Every registered notebook under ``root``, sorted by name."""
    root = Path(root)
    return [read_notebook(path, name) for name, path in _candidates(root).items()]


def notebook_names(root: Path | str) -> list[str]:
    return list(_candidates(Path(root)))


def get_notebook(root: Path | str, name: str) -> NotebookInfo:
    """The notebook registered as ``name``; `NotebookNotFoundError` with close matches."""
    root = Path(root).resolve()
    if not is_valid_name(name):
        raise NotebookNotFoundError(str(name)[:200])
    path = (root / f"{name}.py").resolve()
    if not path.is_file() or root not in path.parents or any(
            part.startswith(("_", ".")) for part in path.relative_to(root).parts):
        raise NotebookNotFoundError(name, close_matches(name, notebook_names(root)))
    return read_notebook(path, name)


def validate_parameters(
    info: NotebookInfo, values: dict[str, Any], from_strings: bool = False
) -> dict[str, Any]:
    """The complete, checked parameter values for a run of ``info`` (defaults filled in).

    ``from_strings`` reads command-line text (``-p LIMIT=20``) as the declared types.
    """
    return validate_values(info.name, info.parameters, values, from_strings)


def parameter_problems(info: NotebookInfo, values: dict[str, Any]) -> list:
    """Every problem with ``values`` (an API answer lists them all)."""
    return check_values(info.name, info.parameters, values)[1]


def folder_fingerprint(root: Path | str) -> tuple:
    """Cheap change detector for a registry root: names, sizes and modification times."""
    out = []
    for name, path in _candidates(Path(root)).items():
        st = path.stat()
        out.append((name, st.st_size, st.st_mtime_ns))
    return tuple(out)
