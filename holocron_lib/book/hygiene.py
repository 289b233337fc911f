"""Notebook hygiene: strip outputs before a commit and find committed files that hold outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def ipynb_has_outputs(path: Path) -> bool:
    """True when any code cell of the .ipynb at ``path`` has outputs or an execution count."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return any(
        cell.get("outputs") or cell.get("execution_count")
        for cell in nb.get("cells", [])
        if cell.get("cell_type") == "code"
    )


def strip_outputs(path: Path) -> bool:
    """Remove outputs and execution counts in place; returns True if the file changed."""
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    changed = False
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            cell["outputs"] = []
            cell["execution_count"] = None
            changed = True
    if changed:
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    """`python -m holocron_lib.book.hygiene strip FILE...` (the pre-commit hook)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "strip":
        print("usage: python -m holocron_lib.book.hygiene strip FILE.ipynb ...", file=sys.stderr)
        return 2
    changed = [p for p in args[1:] if strip_outputs(Path(p))]
    for p in changed:
        print(f"stripped outputs: {p}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
