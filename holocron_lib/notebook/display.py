"""Display helpers for notebooks: bounded tables, readable numbers, collapsible JSON, one chart style.

Nothing here touches the database. The notebook-facing helpers (`show`, `show_json`,
`chart`, `show_figure`, `show_html`) display what they are given at once and return None,
so they work anywhere in a cell, several to a cell, and a cell that ends with one shows no
stray repr. `table` and `json_block` return the displayable object instead, for code that
composes or tests the markup.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from holocron_lib.errors import UnknownObjectError

DEFAULT_MAX_ROWS = 15
DEFAULT_MAX_CELL_CHARS = 80
DEFAULT_JSON_CHARS = 4000


class HTML:
    """Minimal rich-display object so this module does not import IPython at load time.

    ``text`` is what ``print`` shows, for a helper called outside a notebook.
    """

    def __init__(self, markup: str, text: str | None = None):
        self.markup = markup
        self.text = text

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"HTML({len(self.markup)} characters)"

    def __str__(self) -> str:
        return self.text if self.text is not None else repr(self)


def _display(obj) -> None:
    """Hand ``obj`` to IPython's display (outside a notebook it is printed)."""
    from IPython.display import display

    display(obj)


def show_html(markup: str, text: str | None = None) -> None:
    """Display ready-made markup (``text`` is what a plain Python session prints); returns None."""
    _display(HTML(markup, text))


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



RowTest = str | Callable[[Any], Any]
"""Which rows to highlight: a column name (rows whose value there is truthy) or a function of
the row (a pandas Series indexed by column name) returning true for the rows to mark."""

def _unknown_column(kind: str, name: str, columns) -> None:
    """Raise naming the column that is not there, with the closest ones that are."""
    import difflib

    names = [str(c) for c in columns]
    close = difflib.get_close_matches(str(name), names, n=3, cutoff=0.3) or names[:3]
    raise UnknownObjectError(kind, str(name), close)


_ROW_STYLES = {"fail": "background:#fde7e7", "warn": "background:#fff4d6"}


def _row_test(frame, test: RowTest | None, argument: str) -> Callable[[Any], bool]:
    if test is None:
        return lambda row: False
    if callable(test):
        return lambda row: bool(test(row))
    if isinstance(test, str):
        if test not in frame.columns:
            _unknown_column(f"column (given as {argument}=)", test, frame.columns)

        def truthy(row) -> bool:
            value = row[test]
            try:
                import pandas as pd

                if pd.isna(value):
                    return False
            except (TypeError, ValueError):
                pass
            return bool(value)

        return truthy
    raise TypeError(f"{argument}= takes a column name or a function of the row, not {type(test).__name__}")


def table_html(
    frame,
    max_rows: int = DEFAULT_MAX_ROWS,
    title: str | None = None,
    highlight: RowTest | None = None,
    warn: RowTest | None = None,
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
) -> str:
    """An HTML table of at most ``max_rows`` rows, numbers right-aligned, with a row-count note.

    ``highlight`` marks failing rows (red) and ``warn`` rows worth a look (yellow); each is a
    column name or a function of the row (see `RowTest`). A row both tests pick is red.
    """
    is_fail = _row_test(frame, highlight, "highlight")
    is_warn = _row_test(frame, warn, "warn")
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
    for pos in range(len(shown)):
        row = shown.iloc[pos]
        css = "fail" if is_fail(row) else "warn" if is_warn(row) else ""
        parts.append(f'<tr style="{_ROW_STYLES[css]}">' if css else "<tr>")
        for col, value in zip(frame.columns, row.tolist(), strict=False):
            align = ' style="text-align:right"' if col in numeric else ""
            parts.append(f"<td{align}>{html.escape(format_cell(value, max_cell_chars))}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    parts.append(f"<p><em>{_row_note(total, len(shown))}</em></p>")
    parts.append("</div>")
    return "".join(parts)


def _row_note(total: int, shown: int) -> str:
    if total > shown:
        return f"Showing {shown:,} of {total:,} rows."
    return f"{total:,} row{'s' if total != 1 else ''}."


def table(frame, max_rows: int = DEFAULT_MAX_ROWS, title: str | None = None, **kwargs) -> HTML:
    """The bounded table `show` displays, as an object (for composing markup, and for tests)."""
    if isinstance(frame, Sequence | Mapping) and not hasattr(frame, "columns"):
        import pandas as pd

        frame = pd.DataFrame(frame)
    markup = table_html(frame, max_rows=max_rows, title=title, **kwargs)
    text = frame.head(max_rows).to_string(index=False) + "\n" + _row_note(len(frame), min(len(frame), max_rows))
    return HTML(markup, f"{title}\n{text}" if title else text)


def show(frame, max_rows: int = DEFAULT_MAX_ROWS, title: str | None = None, **kwargs) -> None:
    """Display a DataFrame as a bounded, readable table; returns None.

    It displays at once, so several `show` calls may share a cell and none needs
    `display()`. Keywords: ``highlight`` (red rows) and ``warn`` (yellow rows), each a
    column name or a function of the row; ``max_cell_chars`` cuts long text.
    """
    _display(table(frame, max_rows=max_rows, title=title, **kwargs))


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


def json_block(
    value: Any,
    title: str = "JSON",
    max_chars: int = DEFAULT_JSON_CHARS,
    collapsed: bool | None = None,
) -> HTML:
    """The collapsible JSON block `show_json` displays, as an object."""
    text = pretty_json(value, max_chars=max_chars)
    if collapsed is None:
        collapsed = text.count("\n") > 25 or len(text) >= max_chars
    summary = f"{html.escape(title)} ({text.count(chr(10)) + 1} lines)"
    state = "" if collapsed else " open"
    return HTML(
        f'<details class="holocron-json"{state}><summary>{summary}</summary>'
        f'<pre style="max-height:28em;overflow:auto">{html.escape(text)}</pre></details>',
        f"{title}\n{text}",
    )


def show_json(
    value: Any,
    title: str = "JSON",
    max_chars: int = DEFAULT_JSON_CHARS,
    collapsed: bool | None = None,
) -> None:
    """Display pretty JSON in a collapsible block (long documents start collapsed); returns None."""
    _display(json_block(value, title=title, max_chars=max_chars, collapsed=collapsed))


# The book's one palette: series colours in order, and fixed colours for outcome and status
# names, so "failed" is the same red on every page.
PALETTE = ("#4a6fa5", "#9aa5b1", "#d9a441", "#6b8f71", "#8c6bb1", "#c17c74", "#5b9aa0", "#b5a886")
GOOD, BAD, WORSE, NEUTRAL, ACTIVE, WARN = "#3c8d5a", "#c8553d", "#7a1f1f", "#9aa5b1", "#4a6fa5", "#d9a441"
STATUS_COLOURS = {
    "passed": GOOD, "pass": GOOD, "succeeded": GOOD, "ok": GOOD,
    "failed": BAD, "fail": BAD, "deadletter": WORSE,
    "warn": WARN, "new": NEUTRAL, "running": ACTIVE,
}
CHART_KINDS = ("bar", "barh", "line", "box")
CHART_WIDTH = 8.0


def colour_for(name: Any, position: int = 0) -> str:
    """The colour of one series: fixed for outcome and status names, else the palette in order."""
    return STATUS_COLOURS.get(str(name).lower(), PALETTE[position % len(PALETTE)])


def style_axes(ax, title: str | None = None, xlabel: str | None = None, ylabel: str | None = None,
               grid: str = "y"):
    """The book's one chart style: light grid along ``grid``, no top/right spines, labelled axes."""
    if title:
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    ax.grid(False)
    ax.grid(axis=grid, alpha=0.3)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)
    return ax


def _tick_label(value: Any) -> str:
    if hasattr(value, "strftime") and getattr(value, "hour", 0) == 0 and getattr(value, "minute", 0) == 0:
        return value.strftime("%Y-%m-%d")
    return str(value)


def draw_chart(frame, x: str, y: str | Sequence[str], kind: str = "bar", *, title: str,
               xlabel: str | None = None, ylabel: str | None = None, series: str | None = None,
               stacked: bool = False):
    """The figure `chart` displays, drawn and returned (not displayed, not closed)."""
    import matplotlib.pyplot as plt

    if kind not in CHART_KINDS:
        raise ValueError(f"chart kind {kind!r} is not one of {', '.join(CHART_KINDS)}")
    columns = [x] + ([y] if isinstance(y, str) else list(y)) + ([series] if series else [])
    for column in columns:
        if column not in frame.columns:
            _unknown_column("chart column", column, frame.columns)
    data = frame
    ys = [y] if isinstance(y, str) else list(y)
    if series:  # long format: one series per value of the `series` column
        data = frame.pivot_table(index=x, columns=series, values=ys[0], aggfunc="sum",
                                 fill_value=0).reset_index()
        ys = [c for c in data.columns if c != x]
    value_label = ys[0] if len(ys) == 1 and not series else ""
    n = len(data)
    if kind == "barh":
        per_row = 0.3 * (1 if stacked else 1 + 0.4 * (len(ys) - 1))  # grouped bars need room
        fig, ax = plt.subplots(figsize=(CHART_WIDTH, max(2.5, per_row * n + 1.2)))
    else:
        fig, ax = plt.subplots(figsize=(CHART_WIDTH, 3.5))
    if kind == "box":
        groups = sorted(data[x].dropna().unique(), key=str)
        values = [data.loc[data[x] == g, ys[0]].dropna().to_numpy() for g in groups]
        boxes = ax.boxplot(values, patch_artist=True, widths=0.6)
        for patch in boxes["boxes"]:
            patch.set(facecolor=PALETTE[0], alpha=0.35, edgecolor=PALETTE[0])
        for median in boxes["medians"]:
            median.set(color=PALETTE[0], linewidth=1.5)
        ax.set_xticks(range(1, len(groups) + 1), [str(g) for g in groups],
                      rotation=20 if len(groups) > 4 else 0)
        style_axes(ax, title, xlabel if xlabel is not None else "",
                   ylabel if ylabel is not None else value_label)
    elif kind == "line":
        for i, col in enumerate(ys):
            ax.plot(data[x], data[col], color=colour_for(col, i), linewidth=1.4, label=str(col))
        style_axes(ax, title, xlabel if xlabel is not None else str(x),
                   ylabel if ylabel is not None else value_label)
        fig.autofmt_xdate()
    else:
        _draw_bars(ax, data, x, ys, horizontal=kind == "barh", stacked=stacked)
        if kind == "barh":
            style_axes(ax, title, xlabel if xlabel is not None else value_label,
                       ylabel if ylabel is not None else "", grid="x")
        else:
            style_axes(ax, title, xlabel if xlabel is not None else "",
                       ylabel if ylabel is not None else value_label)
    if len(ys) > 1:
        handles, names = ax.get_legend_handles_labels()
        if stacked and kind == "bar":  # list the series top to bottom, as they are stacked
            handles, names = handles[::-1], names[::-1]
        ax.legend(handles, names, fontsize=8, frameon=False, loc="upper left",
                  bbox_to_anchor=(1.0, 1.0))  # beside the plot, never over the data
    fig.tight_layout()
    return fig


def _draw_bars(ax, data, x: str, ys: list, *, horizontal: bool, stacked: bool) -> None:
    """Bars for each column of ``ys``: side by side, or stacked; the first row on top when horizontal."""
    import numpy as np

    labels = [_tick_label(v) for v in data[x]]
    n = len(labels)
    positions = np.arange(n)[::-1] if horizontal else np.arange(n)
    width = 0.8 if stacked or len(ys) == 1 else 0.8 / len(ys)
    base = np.zeros(n)
    for i, col in enumerate(ys):
        values = data[col].astype(float).fillna(0).to_numpy()
        offset = 0 if stacked or len(ys) == 1 else (i - (len(ys) - 1) / 2) * width
        if horizontal:
            offset = -offset  # the first series on top within each group, as in the legend
        draw = ax.barh if horizontal else ax.bar
        kwargs = {"left" if horizontal else "bottom": base} if stacked else {}
        bars = draw(positions + offset, values, width, color=colour_for(col, i), label=str(col), **kwargs)
        if len(ys) == 1 and n <= 25:
            ax.bar_label(bars, labels=[_format_number(v) for v in values], padding=2, fontsize=8)
        if stacked:
            if i:  # a bar that starts on another must not pin the axis end where it starts
                for patch in bars:
                    (patch.sticky_edges.x if horizontal else patch.sticky_edges.y).clear()
            base = base + values
    step = max(1, -(-n // 30))  # at most about 30 category labels
    ticks, names = positions[::step], labels[::step]
    small = 7 if n > 12 else 8
    ax.margins(**{"x" if horizontal else "y": 0.08})  # room for the value labels
    if horizontal:
        ax.set_yticks(ticks, names, fontsize=small)
    else:
        ax.set_xticks(ticks, names, fontsize=small, rotation=90 if n > 8 or max(map(len, names), default=0) > 10 else 0)


def nothing_to_chart(reason: str) -> None:
    """Say why a chart is missing: an empty database is information, not a blank space or a
    traceback. Returns None, which a figure helper returns in place of a figure."""
    print(f"{reason}, so there is nothing to chart.")


def show_figure(fig) -> None:
    """Display a matplotlib figure once and close it, so it is neither repeated nor echoed.

    None (a figure helper with nothing to draw, which has said so) displays nothing.
    """
    import matplotlib.pyplot as plt

    if fig is None:
        return
    try:
        _display(fig)
    finally:
        plt.close(fig)


def chart(frame, x: str, y: str | Sequence[str], kind: str = "bar", *, title: str,
          xlabel: str | None = None, ylabel: str | None = None, series: str | None = None,
          stacked: bool = False, empty: str | None = None) -> None:
    """Chart ``frame`` in the book's one style and palette, display it once; returns None.

    A frame without rows draws nothing and prints why: ``empty`` (say, "No LLM runs
    recorded yet"), by default that the chart's title has no data.

    ``kind`` is "bar", "barh" (first row on top, one series labelled with its values),
    "line" or "box" (the distribution of ``y`` per value of ``x``). ``y`` is a column or a
    list of columns, each a series; or ``series`` names a column whose values become the
    series (long format). Outcome names ("passed", "failed", "succeeded", …) keep their
    colours on every page.
    """
    if frame is None or len(frame) == 0:
        nothing_to_chart(empty or f"No data for “{title}”")
        return
    show_figure(draw_chart(frame, x, y, kind, title=title, xlabel=xlabel, ylabel=ylabel,
                           series=series, stacked=stacked))
