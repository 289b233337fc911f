"""Display helpers for notebooks: bounded tables, readable numbers, collapsible JSON, one chart style.

Nothing here touches the database; every function takes data and returns something a
notebook displays, so the same helpers serve every page of the book.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

DEFAULT_MAX_ROWS = 15
DEFAULT_MAX_CELL_CHARS = 80
DEFAULT_JSON_CHARS = 4000


class HTML:
    """Minimal rich-display object so this module does not import IPython at load time."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"HTML({len(self.markup)} characters)"


def _format_number(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        if abs(value) >= 1000:
            return f"{value:,.1f}"
        return f"{value:.3g}" if abs(value) < 0.01 else f"{value:,.2f}"
    return str(value)


def format_cell(value: Any, max_chars: int = DEFAULT_MAX_CELL_CHARS) -> str:
    """One table cell as text: numbers with separators, long text cut with an ellipsis."""
    try:
        import pandas as pd

        if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return f"0x{data[:8].hex()}… ({len(data)} bytes)" if len(data) > 8 else f"0x{data.hex()}"
    if isinstance(value, int | float):
        return _format_number(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        try:
            return _format_number(value.item())
        except (ValueError, TypeError):
            pass
    text = str(value)
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return text


def table_html(
    frame,
    max_rows: int = DEFAULT_MAX_ROWS,
    title: str | None = None,
    highlight: Mapping[int, str] | None = None,
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
) -> str:
    """An HTML table of at most ``max_rows`` rows, numbers right-aligned, with a row-count note.

    ``highlight`` maps a row position to a CSS class ('warn' or 'fail') for anomalies.
    """
    highlight = dict(highlight or {})
    total = len(frame)
    shown = frame.head(max_rows)
    numeric = {c for c in frame.columns if str(frame[c].dtype).startswith(("int", "float", "Int", "Float", "UInt"))}
    parts = ['<div class="holocron-table">']
    if title:
        parts.append(f"<p class=\"holocron-table-title\"><strong>{html.escape(title)}</strong></p>")
    parts.append('<table class="dataframe holocron"><thead><tr>')
    for col in frame.columns:
        align = ' style="text-align:right"' if col in numeric else ""
        parts.append(f"<th{align}>{html.escape(str(col))}</th>")
    parts.append("</tr></thead><tbody>")
    for pos, row in enumerate(shown.itertuples(index=False, name=None)):
        css = highlight.get(pos)
        style = {"warn": "background:#fff4d6", "fail": "background:#fde7e7"}.get(css or "", "")
        parts.append(f'<tr style="{style}">' if style else "<tr>")
        for col, value in zip(frame.columns, row, strict=False):
            align = ' style="text-align:right"' if col in numeric else ""
            parts.append(f"<td{align}>{html.escape(format_cell(value, max_cell_chars))}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    if total > len(shown):
        parts.append(f"<p><em>Showing {len(shown):,} of {total:,} rows.</em></p>")
    else:
        parts.append(f"<p><em>{total:,} row{'s' if total != 1 else ''}.</em></p>")
    parts.append("</div>")
    return "".join(parts)


def show(frame, max_rows: int = DEFAULT_MAX_ROWS, title: str | None = None, **kwargs) -> HTML:
    """Display a DataFrame as a bounded, readable table (the notebook-facing helper)."""
    if isinstance(frame, Sequence | Mapping) and not hasattr(frame, "columns"):
        import pandas as pd

        frame = pd.DataFrame(frame)
    return HTML(table_html(frame, max_rows=max_rows, title=title, **kwargs))


def pretty_json(value: Any, max_chars: int = DEFAULT_JSON_CHARS) -> str:
    """JSON text (or a JSON-compatible object) pretty-printed, cut at ``max_chars``."""
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            text = value
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    else:
        text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    if len(text) > max_chars:
        text = text[:max_chars] + f"\n… ({len(text) - max_chars:,} more characters not shown)"
    return text


def show_json(
    value: Any,
    title: str = "JSON",
    max_chars: int = DEFAULT_JSON_CHARS,
    collapsed: bool | None = None,
) -> HTML:
    """Pretty JSON in a collapsible block; long documents start collapsed."""
    text = pretty_json(value, max_chars=max_chars)
    if collapsed is None:
        collapsed = text.count("\n") > 25 or len(text) >= max_chars
    summary = f"{html.escape(title)} ({text.count(chr(10)) + 1} lines)"
    state = "" if collapsed else " open"
    return HTML(
        f'<details class="holocron-json"{state}><summary>{summary}</summary>'
        f'<pre style="max-height:28em;overflow:auto">{html.escape(text)}</pre></details>'
    )


def style_axes(ax, title: str | None = None, xlabel: str | None = None, ylabel: str | None = None):
    """The book's one chart style: light grid, no top/right spines, labelled axes."""
    if title:
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def nothing_to_chart(reason: str) -> None:
    """Say why a chart is missing (an empty database is information, not a blank space or a
    traceback); returns None, which a chart helper returns in place of a figure."""
    print(f"{reason}, so there is nothing to chart.")


def bar_chart(labels, values, title: str, xlabel: str = "", ylabel: str = "", horizontal: bool = True,
              empty: str | None = None):
    """A labelled bar chart in the book's style; returns the matplotlib figure.

    With no bars it draws nothing and prints ``empty`` (default: the title has no data).
    """
    import matplotlib.pyplot as plt

    labels = [str(x) for x in labels]
    if not labels:
        return nothing_to_chart(empty or f"No data for “{title}”")
    height = max(2.5, 0.32 * len(labels) + 1) if horizontal else 3.5
    fig, ax = plt.subplots(figsize=(7.5, height))
    if horizontal:
        bars = ax.barh(labels[::-1], list(values)[::-1], color="#4a6fa5")
        ax.bar_label(bars, labels=[_format_number(v) for v in list(values)[::-1]], padding=3, fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    else:
        bars = ax.bar(labels, list(values), color="#4a6fa5")
        ax.bar_label(bars, labels=[_format_number(v) for v in values], padding=2, fontsize=9)
    style_axes(ax, title, xlabel, ylabel)
    if horizontal:
        ax.grid(axis="y", alpha=0)
    fig.tight_layout()
    return fig
