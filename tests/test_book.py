"""Build the site the way a user does, then read it in headless Chromium.

The build runs in a copy of the project with a canary password in the environment; no
page or executed notebook may contain it, nor any absolute path of the build machine.
"""

from __future__ import annotations

import functools
import html as htmllib
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from holocron_lib.book.toc import toc_files

CANARY_PASSWORD = "Canary-Pa55word-7f3e"  # the same canary as conftest.clean_env
# What a page shows when a cell ends with a call that returns a plotting object (or any
# object without a display of its own) instead of displaying it.
STRAY_REPRS = ("<Axes", "Text(", "<Figure size", "<matplotlib.", " object at 0x")

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.book, pytest.mark.slow]


def _project_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line and (ROOT / line).is_file()]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """A copy of the project, built with a canary password set; returns (project, html dir)."""
    project = tmp_path_factory.mktemp("book") / "project"
    for rel in _project_files():
        target = project / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(("HOLOCRON_", "SEED_SQLSERVER_")):
            env.pop(key)
    env["SEED_SQLSERVER_PASSWORD"] = CANARY_PASSWORD
    env["HOLOCRON_HOME"] = str(project)
    holocron = [sys.executable, "-m", "holocron_lib"]
    subprocess.run([*holocron, "db", "build"], cwd=project, env=env, check=True)
    result = subprocess.run([*holocron, "book", "build"], cwd=project, env=env,
                            capture_output=True, text=True)
    print(result.stdout[-5000:], result.stderr[-5000:])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project, project / "_build" / "html", result.stdout


def test_build_reports_progress_per_notebook(built_site):
    _, _, output = built_site
    for page in toc_files(ROOT):
        if page.startswith("notebooks_py/"):
            assert page in output, f"no progress line for {page}"
    assert "book built in" in output


def test_every_page_of_the_toc_was_written(built_site):
    _, html, _ = built_site
    for page in toc_files(ROOT):
        assert (html / f"{page}.html").is_file(), page
    for page in toc_files(ROOT):
        if page.startswith("notebooks_py/"):
            assert (html / "_sources" / f"{page}.py").is_file()
            assert (html / "_sources" / f"{page}.ipynb").is_file()


def test_no_secret_or_machine_path_in_the_output(built_site):
    project, html, _ = built_site
    forbidden = [CANARY_PASSWORD, str(project), str(ROOT), str(Path.home()) + "/"]
    offenders = []
    for path in list(html.rglob("*")) + list((project / ".holocron").rglob("*.ipynb")):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".py", ".txt", ".js", ".json"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            offenders += [f"{path.relative_to(project)}: {f}" for f in forbidden if f in text]
    assert offenders == []


def test_no_page_shows_a_stray_object_repr(built_site):
    _, html, _ = built_site
    pages = sorted(html.rglob("*.html"))
    assert any("notebooks_py" in str(p) for p in pages)
    found = []
    for path in pages:
        text = htmllib.unescape(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(html)}: {stray!r}" for stray in STRAY_REPRS if stray in text]
    assert found == []


@pytest.fixture(scope="session")
def site_url(built_site):
    _, html, _ = built_site
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where the page screenshots go: a temporary folder, never the project."""
    return tmp_path_factory.mktemp("screenshots")


def test_every_page_loads_without_console_errors(browser, site_url, screenshots):
    failures = []
    for page_name in toc_files(ROOT):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("console", lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        response = page.goto(f"{site_url}/{page_name}.html", wait_until="load")
        if response is None or response.status != 200:
            failures.append(f"{page_name}: HTTP {response.status if response else 'none'}")
        title = page.title()
        page.screenshot(path=str(screenshots / (page_name.replace("/", "__") + ".png")), full_page=False)
        if errors:
            failures.append(f"{page_name}: {errors}")
        if "Holocron Notebooks" not in title:
            failures.append(f"{page_name}: unexpected title {title!r}")
        page.close()
    assert failures == []


def test_search_finds_a_notebook_by_a_word_in_its_text(browser, site_url, screenshots):
    page = browser.new_page()
    page.goto(f"{site_url}/search.html?q=provenance", wait_until="load")
    page.wait_for_selector("#search-results li", timeout=20_000)
    links = [a.get_attribute("href") for a in page.query_selector_all("#search-results li a")]
    page.screenshot(path=str(screenshots / "search.png"))
    page.close()
    assert any("03_llm_provenance_tour" in (href or "") for href in links), links


def test_charts_are_rendered_as_images(built_site):
    """Analytics and debug pages are mostly charts: each must carry at least one image."""
    _, html, _ = built_site
    pages = [p for p in toc_files(ROOT) if p.startswith(("notebooks_py/analytics/",
                                                          "notebooks_py/debug/"))]
    assert pages
    missing = [p for p in pages if "<img" not in (html / f"{p}.html").read_text(encoding="utf-8")]
    assert missing == []
