"""Read LLM run files from the lake safely: bounded size, no path escapes, secrets redacted.

`llm.artifact.lake_uri` is a path relative to LAKE_ROOT (`YYYY/MM/DD/<run_id>/request.json`).
Since migration 0035 the same text is also stored in SQL (`llm.artifact.content`), so a
missing lake falls back to that copy.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from holocron_lib.errors import LakePathError

DEFAULT_MAX_BYTES = 256_000
REDACTED = "***redacted***"
SECRET_KEY_PATTERN = re.compile(
    r"(pass(word)?|pwd|secret|token|api[_-]?key|authorization|auth|credential|conn(ection)?_?str)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LakeFile:
    lake_uri: str
    source: str  # 'lake' or 'sql' or 'missing'
    text: str
    byte_count: int
    truncated: bool
    sha256_matches: bool | None

    def json(self) -> Any:
        """The content parsed as JSON, or None when it is not JSON (or was cut short)."""
        try:
            return json.loads(self.text)
        except ValueError:
            return None


def resolve_lake_path(lake_root: Path, lake_uri: str) -> Path:
    """The file a lake_uri names, refusing absolute paths and `..` segments."""
    posix = PurePosixPath(lake_uri.replace("\\", "/"))
    if posix.is_absolute() or re.match(r"^[A-Za-z]:", lake_uri):
        raise LakePathError(lake_uri, "must be relative to the lake root")
    if any(part == ".." for part in posix.parts):
        raise LakePathError(lake_uri, "must not contain '..'")
    root = Path(lake_root).resolve()
    path = (root / Path(*posix.parts)).resolve()
    if root != path and root not in path.parents:
        raise LakePathError(lake_uri, "resolves outside the lake root")
    return path


def read_lake_file(
    lake_root: Path,
    lake_uri: str | None,
    *,
    sql_content: str | None = None,
    expected_sha256: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LakeFile:
    """Read one artifact: from the lake when the file exists, else from its SQL copy."""
    data: bytes | None = None
    source = "missing"
    if lake_uri:
        path = resolve_lake_path(lake_root, lake_uri)
        if path.is_file():
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
            size = path.stat().st_size
            source = "lake"
    if data is None and sql_content is not None:
        data = sql_content.encode("utf-8")
        size = len(data)
        source = "sql"
    if data is None:
        return LakeFile(lake_uri or "", "missing", "", 0, False, None)
    truncated = size > max_bytes
    body = data[:max_bytes]
    matches = None
    if expected_sha256 and not truncated:
        matches = hashlib.sha256(body).hexdigest() == expected_sha256.lower()
    text = body.decode("utf-8", errors="replace")
    return LakeFile(lake_uri or "", source, text, size, truncated, matches)


def redact(value: Any, max_string: int = 2000) -> Any:
    """A copy of a JSON value with secret-looking keys masked and very long strings cut."""
    if isinstance(value, dict):
        return {
            k: (REDACTED if SECRET_KEY_PATTERN.search(str(k)) and v not in (None, "") else
                redact(v, max_string))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v, max_string) for v in value]
    if isinstance(value, str) and len(value) > max_string:
        return value[:max_string] + f"… ({len(value) - max_string:,} more characters)"
    return value


def list_directory(lake_root: Path, lake_dir: str, max_entries: int = 50):
    """Files under one lake directory (relative to the root): path, bytes; bounded and safe."""
    import pandas as pd

    root = resolve_lake_path(lake_root, lake_dir)
    rows = []
    if root.is_dir():
        base = Path(lake_root).resolve()
        for path in sorted(p for p in root.rglob("*") if p.is_file())[: int(max_entries)]:
            rows.append({"lake_uri": path.relative_to(base).as_posix(), "bytes": path.stat().st_size})
    return pd.DataFrame(rows, columns=["lake_uri", "bytes"])


def run_directory(lake_uri: str) -> str:
    """The run directory part of an artifact's lake_uri (``YYYY/MM/DD/<run_id>``)."""
    return PurePosixPath(lake_uri.replace("\\", "/")).parent.as_posix()


def run_files(lake_root: Path, artifacts, max_entries: int = 50):
    """Files in the lake directory of a run, found from its artifact rows' ``lake_uri``.

    Empty (same columns as `list_directory`) when no artifact has a lake copy.
    """
    uris = [u for u in artifacts["lake_uri"] if isinstance(u, str) and u]
    if not uris:
        import pandas as pd

        return pd.DataFrame(columns=["lake_uri", "bytes"])
    return list_directory(lake_root, run_directory(uris[0]), max_entries=max_entries)


def artifact_view(lake_root: Path, artifact, sql_content: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, Any]:
    """A title and a redacted value to display for one artifact row (lake file, else SQL copy)."""
    if not isinstance(sql_content, str):
        sql_content = None  # NULL in SQL arrives as None or NaN
    uri = artifact["lake_uri"] if isinstance(artifact["lake_uri"], str) else None
    f = read_lake_file(lake_root, uri, sql_content=sql_content,
                       expected_sha256=artifact["content_sha256"] if isinstance(
                           artifact["content_sha256"], str) else None, max_bytes=max_bytes)
    parsed = f.json()
    check = {True: "sha256 ok", False: "sha256 MISMATCH", None: "sha256 not checked"}[f.sha256_matches]
    cut = ", cut at the size limit" if f.truncated else ""
    title = f"{artifact['artifact_type']} — from {f.source}, {f.byte_count:,} bytes, {check}{cut}"
    return title, redact(parsed) if parsed is not None else f.text
