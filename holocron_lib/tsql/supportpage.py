"""The book page ``book/tsql-support.md``, rendered from the support list.

The page holds the rendered tables between two markers; a test checks that they equal
``render_support_tables()``, so the page cannot drift from what the translator does.
Regenerate with ``python -m holocron_lib.tsql.supportpage book/tsql-support.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from holocron_lib.tsql.features import CATEGORIES, STATUSES, Feature
from holocron_lib.tsql.support import FEATURES

__all__ = ["END_MARKER", "START_MARKER", "marked_region", "render_support_tables", "update_page"]

START_MARKER = "<!-- tsql-support:start -->"
END_MARKER = "<!-- tsql-support:end -->"


def render_support_tables(features: tuple[Feature, ...] = FEATURES) -> str:
    """A count by status, then one table per category: feature, status, what to know."""
    counts = {s: sum(1 for f in features if f.status == s) for s in STATUSES}
    parts = [", ".join(f"{counts[s]} {s}" for s in STATUSES) + f" ({len(features)} in all).\n"]
    for category in CATEGORIES:
        rows = [f for f in features if f.category == category]
        if not rows:
            continue
        parts.append(f"## {category[0].upper()}{category[1:]}\n")
        parts.append("| T-SQL | on the embedded backend | notes |")
        parts.append("|---|---|---|")
        for feature in rows:
            parts.append(f"| `{_cell(feature.name)}` | {feature.status} | {_cell(feature.note)} |")
        parts.append("")
    return "\n".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def marked_region(text: str) -> str:
    """The text between the markers of a page, without the newline after the start marker."""
    start = text.index(START_MARKER) + len(START_MARKER)
    return text[start:text.index(END_MARKER)].removeprefix("\n")


def update_page(path: Path) -> bool:
    """Rewrite the marked region of ``path`` with the current tables; True if it changed."""
    text = path.read_text(encoding="utf-8")
    start = text.index(START_MARKER) + len(START_MARKER)
    end = text.index(END_MARKER)
    new = text[:start] + "\n" + render_support_tables() + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    # python -m holocron_lib.tsql.supportpage [book/tsql-support.md]
    page = Path(sys.argv[1] if len(sys.argv) > 1 else "book/tsql-support.md")
    print(f"{page}: {'updated' if update_page(page) else 'already current'}")
