import matplotlib
import pandas as pd
import pytest

from holocron_lib.errors import UnknownObjectError
from holocron_lib.notebook import display
from holocron_lib.notebook.display import format_cell, json_block, pretty_json, table, table_html

matplotlib.use("Agg")
FAIL_STYLE, WARN_STYLE = "background:#fde7e7", "background:#fff4d6"


@pytest.fixture
def shown(monkeypatch):
    """What the helpers hand to IPython's display, in order."""
    import IPython.display

    objects = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: objects.append(obj))
    return objects


def test_table_is_bounded_and_says_so():
    frame = pd.DataFrame({"n": range(100), "name": [f"row {i}" for i in range(100)]})
    markup = table(frame, max_rows=5)._repr_html_()
    assert markup.count("<tr>") == 5 + 1 - 1 + 0 or markup.count("<tr") == 6  # header + 5 rows
    assert "Showing 5 of 100 rows" in markup


def test_numbers_are_formatted_and_text_is_cut():
    assert format_cell(1234567) == "1,234,567"
    assert format_cell(2469.0) == "2,469"
    assert format_cell(0.8512) == "0.85"
    assert format_cell(None) == ""
    assert format_cell(float("nan")) == ""
    assert format_cell("x" * 200, max_chars=10) == "x" * 9 + "…"
    assert format_cell(b"\x00" * 32).endswith("(32 bytes)")


def test_html_is_escaped():
    markup = table_html(pd.DataFrame({"a": ["<script>alert(1)</script>"]}))
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup


def _row_styles(markup: str) -> list[str]:
    body = markup.split("<tbody>")[1].split("</tbody>")[0]
    return [("fail" if FAIL_STYLE in row else "warn" if WARN_STYLE in row else "")
            for row in body.split("</tr>")[:-1]]


def test_highlight_takes_a_column_name_or_a_function_of_the_row():
    frame = pd.DataFrame({"status": ["pass", "fail", "warn"], "failed": [0, 3, None],
                          "note": ["", "gone", "grew"]})
    assert _row_styles(table_html(frame, highlight="failed")) == ["", "fail", ""]
    assert _row_styles(table_html(frame, highlight=lambda row: row["status"] == "fail",
                                  warn=lambda row: row["status"] == "warn")) == ["", "fail", "warn"]
    # a row both tests pick is red; an empty value is not picked
    assert _row_styles(table_html(frame, highlight="failed", warn="note")) == ["", "fail", "warn"]


def test_highlight_only_tests_the_rows_shown():
    seen = []
    table_html(pd.DataFrame({"a": range(50)}), max_rows=4, highlight=lambda row: seen.append(row["a"]))
    assert seen == [0, 1, 2, 3]


def test_highlight_with_an_unknown_column_names_it():
    with pytest.raises(UnknownObjectError, match="'stauts'.*'status'"):
        table_html(pd.DataFrame({"status": ["fail"]}), highlight="stauts")
    with pytest.raises(TypeError, match="highlight="):
        table_html(pd.DataFrame({"status": ["fail"]}), highlight={0: "fail"})


def test_show_displays_at_once_and_returns_none(shown):
    frame = pd.DataFrame({"a": [1, 2]})
    assert display.show(frame, title="first") is None
    assert display.show(frame, title="second") is None
    assert display.show_json({"a": 1}, title="doc") is None
    assert [type(o).__name__ for o in shown] == ["HTML", "HTML", "HTML"]
    assert "first" in shown[0]._repr_html_() and "second" in shown[1]._repr_html_()
    assert "holocron-json" in shown[2]._repr_html_()


def test_outside_a_notebook_a_table_prints_as_plain_text():
    # IPython's display prints str(obj) when no shell is running
    text = str(table(pd.DataFrame({"name": ["Luke", "Leia"]}), title="Twins"))
    assert text.splitlines()[0] == "Twins" and "Leia" in text and text.endswith("2 rows.")


def test_long_json_is_pretty_cut_and_collapsed():
    doc = {"items": [{"id": i, "text": "evidence"} for i in range(500)]}
    text = pretty_json(doc, max_chars=300)
    assert text.startswith("{\n  \"items\"")
    assert "more characters not shown" in text
    markup = json_block(doc, max_chars=300)._repr_html_()
    assert "<details" in markup and " open" not in markup.split(">")[0]


def test_short_json_starts_open_and_accepts_text():
    markup = json_block('{"a": 1}', title="tiny")._repr_html_()
    assert "<details class=\"holocron-json\" open>" in markup
    assert "&quot;a&quot;: 1" in markup


def test_chart_displays_one_figure_closes_it_and_returns_none(shown):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    frame = pd.DataFrame({"status": ["SUCCEEDED", "FAILED"], "jobs": [40, 2]})
    before = set(plt.get_fignums())
    assert display.chart(frame, x="status", y="jobs", kind="barh", title="Jobs per status") is None
    assert len(shown) == 1 and isinstance(shown[0], Figure)
    assert set(plt.get_fignums()) == before  # closed: the inline backend will not show it again


def test_charts_use_the_palette_and_outcome_colours():
    from matplotlib.colors import to_hex

    rates = pd.DataFrame({"window": ["d1", "d2"], "succeeded": [5, 6], "failed": [1, 0]})
    fig = display.draw_chart(rates, x="window", y=["succeeded", "failed"], stacked=True, title="Runs")
    colours = {to_hex(p.get_facecolor()) for p in fig.axes[0].patches}
    assert colours == {display.GOOD, display.BAD}
    assert fig.axes[0].get_title(loc="left") == "Runs"
    assert fig.axes[0].get_ylim()[1] > 6  # room above the tallest stack, even when its top part is 0
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["failed", "succeeded"]  # as stacked, top down
    per_day = pd.DataFrame({"day": ["a", "b"], "runs": [3, 4], "artifacts": [9, 12]})
    fig = display.draw_chart(per_day, x="day", y=["runs", "artifacts"], title="Per day")
    assert {to_hex(p.get_facecolor()) for p in fig.axes[0].patches} == set(display.PALETTE[:2])


def test_horizontal_bars_put_the_first_row_on_top_with_value_labels():
    frame = pd.DataFrame({"era": ["Old Republic", "Empire", "New Republic"], "events": [1200, 30, 7]})
    fig = display.draw_chart(frame, x="era", y="events", kind="barh", title="Events per era")
    ax = fig.axes[0]
    ticks = sorted(zip([t for t in ax.get_yticks()], [t.get_text() for t in ax.get_yticklabels()],
                       strict=True), reverse=True)
    assert [name for _, name in ticks] == ["Old Republic", "Empire", "New Republic"]
    assert [t.get_text() for t in ax.texts] == ["1,200", "30", "7"]


def test_long_format_series_become_one_stacked_bar_each():
    works = pd.DataFrame({"year": [1977, 1977, 1980], "kind": ["Film", "Book", "Film"], "works": [1, 2, 1]})
    fig = display.draw_chart(works, x="year", y="works", series="kind", stacked=True, title="Works")
    heights = sorted(p.get_height() for p in fig.axes[0].patches)
    assert heights == [0, 1, 1, 2]  # Book and Film for each of the two years


def test_box_and_line_charts_and_bad_arguments():
    durations = pd.DataFrame({"model": ["a", "a", "b"], "seconds": [1.0, 3.0, 2.0]})
    fig = display.draw_chart(durations, x="model", y="seconds", kind="box", title="Durations")
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["a", "b"]
    assert fig.texts == []  # no "Boxplot grouped by" super-title
    hours = pd.DataFrame({"hour": pd.date_range("2026-01-01", periods=5, freq="h"), "jobs": range(5)})
    fig = display.draw_chart(hours, x="hour", y="jobs", kind="line", title="Jobs")
    assert len(fig.axes[0].lines) == 1
    with pytest.raises(UnknownObjectError, match="'job'"):
        display.draw_chart(hours, x="hour", y="job", title="typo")
    with pytest.raises(ValueError, match="pie"):
        display.draw_chart(hours, x="hour", y="jobs", kind="pie", title="no")


def _module_from(path, name):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_book_benchmark_finds_the_text_it_edits_in_the_shared_module(tmp_path):
    """benchmarks/book_build.py edits the row note to see a library change on the pages."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    bench = _module_from(root / "benchmarks" / "book_build.py", "book_benchmark")
    text = (root / bench.SHARED_MODULE).read_text(encoding="utf-8")
    assert text.count(bench.MARKER_OLD) == 1
    edited = tmp_path / "display_edited.py"
    edited.write_text(text.replace(bench.MARKER_OLD, bench.MARKER_NEW, 1), encoding="utf-8")
    assert "3 rows (v2)." in _module_from(edited, "display_edited").table(
        pd.DataFrame({"a": [1, 2, 3]}))._repr_html_()
