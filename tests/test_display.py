import pandas as pd

from holocron_lib.notebook.display import format_cell, pretty_json, show, show_json, table_html


def test_table_is_bounded_and_says_so():
    frame = pd.DataFrame({"n": range(100), "name": [f"row {i}" for i in range(100)]})
    markup = show(frame, max_rows=5)._repr_html_()
    head, body = markup.split("<tbody>")
    assert head.count("<tr") == 1  # the header row
    assert body.count("<tr") == 5  # the first five rows, no more
    assert "<td>row 4</td>" in body and "row 5<" not in body and "row 99" not in body
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


def test_highlight_marks_anomalous_rows():
    markup = table_html(pd.DataFrame({"a": [1, 2]}), highlight={1: "fail"})
    assert markup.count("background:#fde7e7") == 1


def test_long_json_is_pretty_cut_and_collapsed():
    doc = {"items": [{"id": i, "text": "evidence"} for i in range(500)]}
    text = pretty_json(doc, max_chars=300)
    assert text.startswith("{\n  \"items\"")
    assert "more characters not shown" in text
    markup = show_json(doc, max_chars=300)._repr_html_()
    assert "<details" in markup and " open" not in markup.split(">")[0]


def test_short_json_starts_open_and_accepts_text():
    markup = show_json('{"a": 1}', title="tiny")._repr_html_()
    assert "<details class=\"holocron-json\" open>" in markup
    assert "&quot;a&quot;: 1" in markup
