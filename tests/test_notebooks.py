"""Every notebook source: round trip through .ipynb unchanged, metadata header, parameters cell."""

import re
import subprocess
from pathlib import Path

import jupytext
import pytest
from jupytext.config import load_jupytext_configuration_file

from holocron_lib.book.toc import toc_notebooks

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks_py").rglob("*.py"))
IDS = [str(p.relative_to(ROOT / "notebooks_py")) for p in NOTEBOOKS]
CONFIG = load_jupytext_configuration_file(str(ROOT / "jupytext.toml"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 7


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_round_trip_py_ipynb_py_is_unchanged(path):
    text = path.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="py:percent")
    as_ipynb = jupytext.writes(nb, fmt="ipynb")
    back = jupytext.writes(jupytext.reads(as_ipynb, fmt="ipynb"), fmt="py:percent", config=CONFIG)
    assert back == text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_metadata_header_and_parameters_cell(path):
    nb = jupytext.read(path, fmt="py:percent")
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert re.match(r"# \S", first.source), "first cell starts with the title"
    for field in ("**Category**", "**Prerequisites**", "**Last verified**"):
        assert field in first.source, f"metadata cell lacks {field}"
    assert re.search(r"\*\*Last verified\*\* \| (\d{4}-\d{2}-\d{2}|YYYY-MM-DD) \|", first.source)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_every_notebook_is_a_page_or_the_template():
    pages = set(toc_notebooks(ROOT))
    for path in NOTEBOOKS:
        name = str(path.relative_to(ROOT).with_suffix(""))
        if "_templates" in name:
            assert name not in pages
        else:
            assert name in pages, f"{name} is not in _toc.yml"
    for page in pages:
        assert (ROOT / f"{page}.py").exists(), f"_toc.yml names a missing notebook {page}"


def test_no_committed_file_holds_outputs():
    tracked = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    from holocron_lib.book.hygiene import ipynb_has_outputs

    assert [p for p in tracked if ipynb_has_outputs(ROOT / p)] == []
    # and the .py sources carry no output-like payloads
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        assert "execution_count" not in text and "image/png" not in text


def test_strip_outputs_cleans_an_executed_notebook(tmp_path):
    import nbformat

    from holocron_lib.book.hygiene import ipynb_has_outputs, strip_outputs

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    cell.execution_count = 1
    nb.cells.append(cell)
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, str(path))
    assert ipynb_has_outputs(path)
    assert strip_outputs(path) is True
    assert not ipynb_has_outputs(path)
    assert strip_outputs(path) is False
