"""`holocron book preview` for real: a server on a free loopback port over a small copy of
the book (its configuration, theme files and Sphinx extension), edited while it runs."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import jupytext
import pytest

from holocron_lib.book.preview import ignore_filter, notebooks_to_check
from holocron_lib.book.preview_errors import failed_page_source

ROOT = Path(__file__).resolve().parent.parent
TOC = """format: jb-book
root: book/intro
chapters:
  - file: notebooks_py/demo/hello
"""
NOTEBOOK = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Hello from the preview

# %%
print("first" + " output")
"""
WAIT = 240  # seconds: generous, the machine may be busy; nothing here is a timing assertion

pytestmark = [pytest.mark.book, pytest.mark.slow]  # a live server building the book


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """A project with one page and one notebook, previewed; yields (project, url, process)."""
    project = tmp_path_factory.mktemp("preview") / "project"
    (project / "notebooks_py" / "demo").mkdir(parents=True)
    shutil.copytree(ROOT / "book" / "_static", project / "book" / "_static")
    shutil.copy2(ROOT / "_config.yml", project / "_config.yml")
    (project / "_toc.yml").write_text(TOC, encoding="utf-8")
    (project / "book" / "intro.md").write_text("# Preview intro\n\nThe first text.\n",
                                               encoding="utf-8")
    (project / "notebooks_py" / "demo" / "hello.py").write_text(NOTEBOOK, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOLOCRON_", "SEED_"))}
    env.update(HOLOCRON_HOME=str(project), PYTHONPATH=os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    port = _free_port()
    log = (project.parent / "preview.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "holocron_lib", "book", "preview",
                             "--port", str(port), "--workers", "1"],
                            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        yield project, f"http://127.0.0.1:{port}", proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the server and the builder it started
        proc.wait(timeout=60)
        log.close()
        print((project.parent / "preview.log").read_text(encoding="utf-8")[-4000:])


def _page_until(url: str, proc, *texts: str) -> str:
    """Fetch ``url`` until it holds every one of ``texts``; the server must stay up."""
    deadline = time.monotonic() + WAIT
    body = ""
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the preview stopped with status {proc.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read().decode("utf-8")
        # a page read while Sphinx rewrites it in place comes back short: not there yet
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError,
                TimeoutError):
            body = ""
        if all(text in body for text in texts):
            return body
        time.sleep(0.25)
    raise AssertionError(f"{url} did not show {texts} within {WAIT}s; last page:\n{body[-2000:]}")


def test_serves_the_executed_notebook_with_the_reload_script(preview):
    _, url, proc = preview
    body = _page_until(f"{url}/notebooks_py/demo/hello.html", proc, "first output")
    assert "websocket-reload" in body, "the page reloads itself after a rebuild"


def test_a_saved_notebook_edit_is_executed_and_shown(preview):
    project, url, proc = preview
    path = project / "notebooks_py" / "demo" / "hello.py"
    path.write_text(NOTEBOOK.replace('"first" + " output"', '"second" + " output"'),
                    encoding="utf-8")
    body = _page_until(f"{url}/notebooks_py/demo/hello.html", proc, "second output")
    assert "first output" not in body


def test_a_saved_markdown_edit_is_shown(preview):
    project, url, proc = preview
    (project / "book" / "intro.md").write_text("# Preview intro\n\nThe edited text.\n",
                                               encoding="utf-8")
    _page_until(f"{url}/book/intro.html", proc, "The edited text.")


def test_a_failing_notebook_shows_its_error_and_the_server_stays(preview):
    project, url, proc = preview
    path = project / "notebooks_py" / "demo" / "hello.py"
    path.write_text(NOTEBOOK.replace('print("first" + " output")',
                                     'raise ValueError("broken on purpose")'), encoding="utf-8")
    body = _page_until(f"{url}/notebooks_py/demo/hello.html", proc,
                       "failed in the preview", "broken on purpose")
    assert "ValueError" in body and "cell 1" in body, "the error names the cell"
    _page_until(f"{url}/book/intro.html", proc, "The edited text.")
    path.write_text(NOTEBOOK.replace('"first" + " output"', '"fixed" + " output"'),
                    encoding="utf-8")
    body = _page_until(f"{url}/notebooks_py/demo/hello.html", proc, "fixed output")
    assert "failed in the preview" not in body, "a fixed notebook loses its error box"


# --- the pieces, without a server -------------------------------------------------------------


def test_failed_page_is_the_code_without_execution_and_the_error_under_the_title():
    text = failed_page_source(NOTEBOOK, "Notebook 'x' failed at cell 2: KeyError: 'a_b'")
    nb = jupytext.reads(text, fmt="py:percent")
    assert nb.metadata["mystnb"] == {"execution_mode": "off"}
    assert nb.cells[0].source == "# Hello from the preview"
    assert nb.cells[1].source.startswith(":::{error}")
    assert r"KeyError\: 'a\_b'" in nb.cells[1].source, "markdown characters are escaped"
    assert nb.cells[2].source == 'print("first" + " output")'


def test_what_an_edit_can_make_stale(tmp_path):
    (tmp_path / "_toc.yml").write_text(TOC, encoding="utf-8")
    nb = tmp_path / "notebooks_py" / "demo" / "hello.py"
    assert notebooks_to_check(tmp_path, []) is None, "the first build checks everything"
    assert notebooks_to_check(tmp_path, [tmp_path / "book" / "intro.md"]) == []
    assert notebooks_to_check(tmp_path, [nb]) == ["notebooks_py/demo/hello"]
    assert notebooks_to_check(tmp_path, [tmp_path / "notebooks_py" / "other.py"]) == []
    assert notebooks_to_check(tmp_path, [nb, tmp_path / "holocron_lib" / "x.py"]) is None
    assert notebooks_to_check(tmp_path, [tmp_path / "_config.yml"]) is None
    assert notebooks_to_check(tmp_path, [tmp_path / "_toc.yml"]) is None, "a page may be new"


def test_the_watcher_ignores_what_the_build_writes(tmp_path):
    ignored = ignore_filter(tmp_path)
    assert ignored(str(tmp_path / "book" / "runbook-catalog.md"))
    assert ignored(str(tmp_path / "holocron_lib" / "__pycache__" / "x.cpython-311.pyc"))
    assert ignored(str(tmp_path / "notebooks_py" / ".hello.py.swp"))
    assert not ignored(str(tmp_path / "notebooks_py" / "demo" / "hello.py"))
    assert not ignored(str(tmp_path / "book" / "intro.md"))
