"""Fingerprints of files: one SHA-256 over their names and bytes, for caches and build records.

Every cache key and build record of the project (the seeded file's sidecar, the translated
schema cache, the book's execution salt, the site stamp) is made here, the same way: files
in name order, each as its name, its size and its bytes, after a text naming the rest of
what the result depends on. A file is named by its path below ``base`` (so moving the
checkout changes nothing), else by its bare name.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["LIBRARY", "library_fingerprint", "source_files", "text_fingerprint",
           "tree_fingerprint"]

LIBRARY = Path(__file__).resolve().parent
SOURCE_SUFFIXES = (".py", ".sql")


def tree_fingerprint(paths: Iterable[Path], *, base: Path | None = None, extra: str = "") -> str:
    """SHA-256 (hex) over ``extra`` and each file's name, size and bytes, in name order.

    The order the files are given in does not matter; renaming, editing, adding or removing
    a file changes the result. A file that does not exist is an error (``OSError``).
    """
    digest = hashlib.sha256(extra.encode() + b"\0")
    for name, path in sorted((_name(Path(p), base), Path(p)) for p in paths):
        with path.open("rb") as handle:
            digest.update(f"{name}\0{os.fstat(handle.fileno()).st_size}\0".encode())
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def text_fingerprint(parts: Iterable[str], *, extra: str = "") -> str:
    """SHA-256 (hex) over ``extra`` and each text, in the order given (a notebook's code cells).

    Each text counts with its length, so moving a line from one cell to the next changes
    the result.
    """
    digest = hashlib.sha256(extra.encode() + b"\0")
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(f"{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def source_files(folder: Path, suffixes: tuple[str, ...] = SOURCE_SUFFIXES) -> list[Path]:
    """The files below ``folder`` with one of ``suffixes``, byte-code caches left out."""
    return sorted(p for p in Path(folder).rglob("*")
                  if p.suffix in suffixes and "__pycache__" not in p.parts and p.is_file())


def library_fingerprint() -> str:
    """Every source and SQL file of ``holocron_lib``."""
    return tree_fingerprint(source_files(LIBRARY), base=LIBRARY, extra="holocron_lib")


def _name(path: Path, base: Path | None) -> str:
    if base is not None:
        for inner, outer in ((path, Path(base)), (path.resolve(), Path(base).resolve())):
            if inner.is_relative_to(outer):
                return inner.relative_to(outer).as_posix()
    return path.name
