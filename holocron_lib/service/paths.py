"""Path parameters: a parameter that names a file is confined to one folder.

A parameter declared with ``[within: FOLDER]`` takes a relative path inside that folder:

- ``run`` (the default): the run's own working folder, ``artifacts/runs/<run id>/``;
- ``user``: the requesting user's folder, ``artifacts/users/<user>/``, kept across their runs;
- ``project``: the project folder, for files a notebook only reads.

The value is checked when the run is requested (no absolute path, no ``..``, no part starting
with a dot, no backslash) and resolved when it starts: the notebook receives the absolute
path (its folder made, in a run or user folder), and a symbolic link that leads out of the
folder is refused, naming the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from holocron_lib.errors import ParameterError

FOLDERS = ("run", "user", "project")
MAX_LENGTH = 255
_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+-]*")
_SHOWN = {"run": "the run's own folder", "user": "your own folder",
          "project": "the project folder"}


def describe(within: str) -> str:
    """What a valid value looks like, for error messages and docs."""
    return (f"a relative path inside {_SHOWN[within]} (parts of letters, digits and _ . @ + -, "
            "none starting with a dot)")


def path_problem(value: str) -> str | None:
    """Why ``value`` is not an acceptable relative path, or None; empty means 'not given'."""
    if value == "":
        return None
    if len(value) > MAX_LENGTH:
        return f"is longer than {MAX_LENGTH} characters"
    if value.startswith(("/", "~")) or re.match(r"[A-Za-z]:", value):
        return "is an absolute path; give a path relative to its folder"
    if "\\" in value:
        return "holds a backslash; separate folders with /"
    parts = value.split("/")
    if ".." in parts:
        return "leads out of its folder (..)"
    for part in parts:
        if not part:
            return "has an empty part (// or a trailing /)"
        if not _PART.fullmatch(part):
            return f"has a part {part[:40]!r} that is not allowed"
    return None


def user_folder_name(user: str) -> str:
    """A user name as one safe folder name."""
    name = re.sub(r"[^A-Za-z0-9_.@-]", "_", user).lstrip(".")
    return name[:100] or "_"


def folder_for(within: str, *, home: Path, artifacts_dir: Path, run_id: int, user: str) -> Path:
    """The folder a ``within`` path lives in; run and user folders are created."""
    if within == "project":
        return Path(home)
    folder = (Path(artifacts_dir) / "runs" / str(run_id) if within == "run"
              else Path(artifacts_dir) / "users" / user_folder_name(user))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def confine(notebook: str, params, values: Mapping[str, Any], *, home: Path,
            artifacts_dir: Path, run_id: int, user: str) -> dict[str, Any]:
    """``values`` with every path parameter replaced by its absolute path inside its folder.

    Raises `ParameterError` naming the parameter when the path is malformed or, once symbolic
    links are followed, ends outside its folder or in a hidden file.
    """
    out = dict(values)
    for p in params:
        if p.type != "path" or not out.get(p.name):
            continue
        value = out[p.name]
        problem = path_problem(value) if isinstance(value, str) else "is not a string"
        if problem is None:
            box = folder_for(p.within, home=home, artifacts_dir=artifacts_dir, run_id=run_id,
                             user=user).resolve()
            target = (box / PurePosixPath(value)).resolve()
            if target != box and box not in target.parents:
                problem = "leads out of its folder through a symbolic link"
            elif any(part.startswith(".") for part in target.relative_to(box).parts):
                problem = "leads to a hidden file through a symbolic link"
        if problem is not None:
            raise ParameterError(notebook, p.name, f"{problem}", [describe(p.within)])
        if p.within != "project":
            target.parent.mkdir(parents=True, exist_ok=True)  # inside the box: safe to make
        out[p.name] = str(target)
    return out
