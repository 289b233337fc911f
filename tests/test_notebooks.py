"""Every notebook source: round trip through .ipynb unchanged, metadata header, parameters cell."""

import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from jupytext.config import load_jupytext_configuration_file

from holocron_lib.book.toc import toc_notebooks
from holocron_lib.service.registry import notebook_names

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks_py").rglob("*.py"))
IDS = [str(p.relative_to(ROOT / "notebooks_py")) for p in NOTEBOOKS]
CONFIG = load_jupytext_configuration_file(str(ROOT / "jupytext.toml"))


def test_the_sources_are_the_pages_of_the_toc_and_the_registered_notebooks():
    """One source per page, one page per source, the registry sees exactly the same ones; the
    only other file is the starter template."""
    pages = toc_notebooks(ROOT)
    names = [str(p.relative_to(ROOT / "notebooks_py").with_suffix("")) for p in NOTEBOOKS
             if "_templates" not in p.parts]
    assert len(pages) == len(set(pages))
    assert sorted(f"notebooks_py/{n}" for n in names) == sorted(pages)
    assert sorted(notebook_names(ROOT / "notebooks_py")) == sorted(names)
    assert [p.relative_to(ROOT / "notebooks_py") for p in NOTEBOOKS if "_templates" in p.parts] \
        == [Path("_templates/starter.py")]


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


def nbstripout(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """nbstripout, the pre-commit hook that strips notebooks, run as that hook runs it."""
    return subprocess.run([sys.executable, "-m", "nbstripout", *args], cwd=cwd,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_no_committed_file_holds_outputs():
    tracked = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    if tracked:  # without files nbstripout would read its standard input
        check = nbstripout("--verify", *tracked)
        assert check.returncode == 0, check.stdout + check.stderr
    # and the .py sources carry no output-like payloads
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        assert "execution_count" not in text and "image/png" not in text


@pytest.mark.slow
def test_the_hook_flags_an_executed_notebook_and_strips_it(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    cell.execution_count = 1
    nb.cells.append(cell)
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, str(path))
    flagged = nbstripout("--verify", path.name, cwd=tmp_path)
    assert flagged.returncode == 1 and "x.ipynb" in flagged.stdout
    assert nbstripout(path.name, cwd=tmp_path).returncode == 0
    stripped = nbformat.read(str(path), as_version=4).cells[0]
    assert stripped.outputs == [] and stripped.execution_count is None
    assert stripped.source == "print(1)"
    assert nbstripout("--verify", path.name, cwd=tmp_path).returncode == 0
