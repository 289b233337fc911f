"""Build the site: write generated pages, execute the notebooks that need it, run Jupyter Book.

Notebooks execute before Sphinx starts (``execute.py``), each on a warm kernel, with a reason
for every one that runs; Sphinx then reads every notebook page from the execution cache. It
runs in this process, and not at all when nothing changed since the site was last written.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from holocron_lib.book.toc import toc_files, toc_notebooks
from holocron_lib.errors import HolocronError
from holocron_lib.execution.environment import bytecode_cache, kernel_environment

GENERATED_DIR = Path("book") / "generated"


class BookBuildError(HolocronError, RuntimeError):
    """The book did not build; ``notebook`` names the page that failed, when known."""

    def __init__(self, reason: str, notebook: str | None = None):
        super().__init__(reason, notebook)
        self.reason = reason
        self.notebook = notebook

    def __str__(self) -> str:
        if self.notebook:
            return f"Book build failed in notebook {self.notebook}: {self.reason}"
        return f"Book build failed: {self.reason}"


def _config_timeout(root: Path) -> int:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return int((config.get("execute") or {}).get("timeout") or 180)


def write_generated_pages(root: Path, progress: Callable[[str], None]) -> None:
    """Pages made from the code: the runbook catalog (from the notebook registry)."""
    try:
        from holocron_lib.book.catalog import render_runbook_catalog
    except ImportError:
        return
    page = Path("book") / "runbook-catalog.md"
    text = render_runbook_catalog(root / "notebooks_py")
    target = root / page
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return  # unchanged: leave the file alone so Sphinx does not re-read it
    target.write_text(text, encoding="utf-8")
    progress(f"generated: {page}")


STAMP_FILE = Path("_build") / ".holocron-site-stamp"


def site_stamp(root: Path, salt: str) -> str:
    """Hash of everything the site is made from: pages, book config, static files, the
    Sphinx extension and ``salt`` (the notebooks executed since the site was last written).
    Equal stamps mean an identical site."""
    import hashlib

    from holocron_lib import __version__

    digest = hashlib.sha256(f"{__version__}:{salt}".encode())
    files = [root / "_toc.yml", root / "_config.yml", Path(__file__).with_name("sphinx_ext.py")]
    for page in toc_files(root):
        files += [root / f"{page}{suffix}" for suffix in (".md", ".py", ".ipynb")]
    static = root / "book" / "_static"
    if static.is_dir():
        files += sorted(p for p in static.rglob("*") if p.is_file())
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(root) if path.is_relative_to(root)
                              else path.name).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _site_is_current(root: Path, stamp: str) -> bool:
    marker = root / STAMP_FILE
    return ((root / "_build" / "html" / "index.html").is_file() and marker.is_file()
            and marker.read_text(encoding="utf-8").strip() == stamp)


_PAGE = re.compile(r"^(?P<path>/\S+?\.(?:py|md|ipynb))(?::\d+)?: (?P<level>WARNING|ERROR|CRITICAL)")


class _SphinxOutput(io.TextIOBase):
    """Sphinx's status and warning stream: kept for the error report, and its warnings shown
    as they come (a warning fails the build), each naming its page."""

    def __init__(self, root: Path, progress: Callable[[str], None]):
        self.root, self.progress = root, progress
        self.lines: list[str] = []
        self.failed: str | None = None
        self._partial = ""

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            self.lines.append(line)
            if m := _PAGE.search(line):
                page = _relative(m["path"], self.root)
                self.failed = self.failed or page
                self.progress("  " + line.replace(m["path"], page))
            elif "WARNING" in line or "ERROR" in line or "Exception occurred" in line:
                self.progress("  " + line)
        return len(text)


def _relative(path: str, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return path


def run_sphinx(root: Path, *, rebuild_all: bool, progress: Callable[[str], None]) -> None:
    """Jupyter Book's Sphinx build, in this process (no second interpreter to start and no
    second copy of the imports), warnings as errors, every page from the execution cache."""
    import contextlib
    import logging

    # lazy: only a build that writes pages pays for Sphinx and its extensions
    from jupyter_book.sphinx import build_sphinx

    out = _SphinxOutput(root, progress)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        result = build_sphinx(str(root), str(root / "_build" / "html"), noconfig=True,
                              path_config=str(root / "_config.yml"), warningiserror=True,
                              confoverrides={"external_toc_path": (root / "_toc.yml").as_posix(),
                                             "latex_individualpages": False},
                              keep_going=True, force_all=rebuild_all)
    logging.getLogger("sphinx").handlers.clear()  # a later build in this process sets its own
    if isinstance(result, Exception) or result:
        progress("\n".join(out.lines[-40:]))
        detail = (f"{type(result).__name__}: {result}" if isinstance(result, Exception)
                  else f"Sphinx exited with status {result}")
        raise BookBuildError(detail, out.failed)


def build_book(
    root: Path | None = None,
    *,
    rebuild_all: bool = False,
    workers: int | None = None,
    notebook_timeout: int = 300,
    force: bool = False,
    progress: Callable[[str], None] = print,
) -> Path:
    """Build `_build/html` for the project at ``root``; returns the path of index.html.

    ``rebuild_all`` re-reads every page; ``force`` re-executes every notebook."""
    root = (root or Path.cwd()).resolve()
    started = time.perf_counter()
    bytecode_cache(root)  # before the heavy imports: Sphinx's alone take seconds to compile
    write_generated_pages(root, progress)
    # lazy: jupyter-cache and the executor load only when a build runs
    from holocron_lib.book.execute import (
        CACHE_DIR,
        REEXECUTED_FILE,
        data_source,
        execute_stale,
    )
    from holocron_lib.settings import load_settings

    settings = load_settings(home=root)
    env = kernel_environment(root)
    execute_stale(root, toc_notebooks(root), env=env, data=data_source(settings),
                  workers=workers, cell_timeout=_config_timeout(root),
                  notebook_timeout=notebook_timeout, progress=progress, force=force)
    # Notebooks executed since the site was last written (a failed build leaves some).
    reexecuted = root / CACHE_DIR / REEXECUTED_FILE
    pending = reexecuted.read_text(encoding="utf-8") if reexecuted.is_file() else "[]"
    stamp = site_stamp(root, pending)
    if not rebuild_all and pending.strip() == "[]" and _site_is_current(root, stamp):
        index = root / "_build" / "html" / "index.html"
        progress(f"site up to date (nothing changed since the last build) in "
                 f"{time.perf_counter() - started:.1f}s: {index.relative_to(root)}")
        return index
    (root / STAMP_FILE).unlink(missing_ok=True)
    progress(f"building the book ({len(toc_notebooks(root))} notebooks in _toc.yml)")
    run_sphinx(root, rebuild_all=rebuild_all, progress=progress)
    index = root / "_build" / "html" / "index.html"
    reexecuted.write_text("[]", encoding="utf-8")  # the site now shows them
    (root / STAMP_FILE).write_text(site_stamp(root, "[]"), encoding="utf-8")
    progress(f"book built in {time.perf_counter() - started:.1f}s: file://{index}")
    return index
