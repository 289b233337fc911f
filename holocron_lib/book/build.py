"""Build the site: execute stale notebooks, write generated pages, run Jupyter Book.

Jupyter Book runs in a child process with a clean, bounded environment (one BLAS thread
per kernel, a non-interactive plotting backend, the project as HOLOCRON_HOME), and its
output is filtered into one progress line per notebook.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from holocron_lib import __version__
from holocron_lib.book.catalog import render_runbook_catalog
from holocron_lib.book.execute import execute_stale, execution_salt
from holocron_lib.book.toc import toc_files, toc_notebooks
from holocron_lib.errors import BookBuildError
from holocron_lib.execution.environment import kernel_environment
from holocron_lib.fingerprint import tree_fingerprint
from holocron_lib.settings import load_settings

GENERATED_DIR = Path("book") / "generated"


def _config_timeout(root: Path) -> int:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return int((config.get("execute") or {}).get("timeout") or 180)


def write_generated_pages(root: Path, progress: Callable[[str], None]) -> None:
    """Pages made from the code: the runbook catalog (from the notebook registry)."""
    page = Path("book") / "runbook-catalog.md"
    text = render_runbook_catalog(root / "notebooks_py")
    target = root / page
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return  # unchanged: leave the file alone so Sphinx does not re-read it
    target.write_text(text, encoding="utf-8")
    progress(f"generated: {page}")


STAMP_FILE = Path("_build") / ".holocron-site-stamp"


def site_stamp(root: Path, salt: str) -> str:
    """Hash of everything the site is made from: pages, book config, static files, every
    notebook, the Sphinx extension and the execution salt. Equal stamps mean an identical
    site."""
    files = [root / "_toc.yml", root / "_config.yml", Path(__file__).with_name("sphinx_ext.py")]
    for page in toc_files(root):
        files += [root / f"{page}{suffix}" for suffix in (".md", ".py", ".ipynb")]
    # The runbook catalog page is generated from every notebook, listed in _toc.yml or not.
    notebooks = root / "notebooks_py"
    if notebooks.is_dir():
        files += sorted(notebooks.rglob("*.py"))
    static = root / "book" / "_static"
    if static.is_dir():
        files += sorted(p for p in static.rglob("*") if p.is_file())
    return tree_fingerprint([p for p in files if p.is_file()], base=root,
                            extra=f"{__version__}:{salt}")


def _site_is_current(root: Path, stamp: str) -> bool:
    marker = root / STAMP_FILE
    return ((root / "_build" / "html" / "index.html").is_file() and marker.is_file()
            and marker.read_text(encoding="utf-8").strip() == stamp)


_EXEC_START = re.compile(r"^(?P<path>\S+\.py): Executing notebook")
_EXEC_DONE = re.compile(r"^(?P<path>\S+\.py): Executed notebook in (?P<secs>[\d.]+) seconds")
_CACHED = re.compile(r"^(?P<path>\S+\.py): Using cached notebook")


def _relative(path: str, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root)).removesuffix(".py")
    except ValueError:
        return path


def build_book(
    root: Path | None = None,
    *,
    rebuild_all: bool = False,
    workers: int | None = None,
    notebook_timeout: int = 300,
    executor: str = "fork",
    progress: Callable[[str], None] = print,
) -> Path:
    """Build `_build/html` for the project at ``root``; returns the path of index.html."""
    root = (root or Path.cwd()).resolve()
    started = time.perf_counter()
    settings = load_settings(home=root)

    # One salt for both the execution cache and the site stamp: hashing the library and the
    # data once per build.
    salt = execution_salt(settings.db_path)
    # The stamp is written only after a build in which every notebook ran under this salt,
    # and it covers what the generated pages are made from, so an equal stamp means nothing
    # is stale: no page to generate, no execution cache to open.
    if not rebuild_all and _site_is_current(root, site_stamp(root, salt)):
        index = root / "_build" / "html" / "index.html"
        progress(f"site up to date (nothing changed since the last build) in "
                 f"{time.perf_counter() - started:.1f}s: {index.relative_to(root)}")
        return index
    write_generated_pages(root, progress)
    stamp = site_stamp(root, salt)
    env = kernel_environment(root)
    execute_stale(root, toc_notebooks(root), db_path=settings.db_path, env=env,
                  workers=workers, cell_timeout=_config_timeout(root),
                  notebook_timeout=notebook_timeout, progress=progress,
                  executor=executor, salt=salt)
    (root / STAMP_FILE).unlink(missing_ok=True)
    cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(root), "-W", "--keep-going"]
    if rebuild_all:
        cmd.append("--all")
    progress(f"building the book ({len(toc_notebooks(root))} notebooks in _toc.yml)")
    proc = subprocess.Popen(
        cmd, cwd=root, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, bufsize=1,
    )
    log: list[str] = []
    current: str | None = None
    failed: str | None = None
    assert proc.stdout is not None
    for line in proc.stdout:
        log.append(line.rstrip("\n"))
        if m := _EXEC_START.search(line):
            current = _relative(m["path"], root)
        elif m := _EXEC_DONE.search(line):
            progress(f"  executed  {_relative(m['path'], root)}  {float(m['secs']):.1f}s")
            current = None
        elif m := _CACHED.search(line):
            progress(f"  cached    {_relative(m['path'], root)}")
        elif "Executing notebook failed" in line or "CellExecutionError" in line:
            failed = failed or current
        elif ("WARNING" in line or "ERROR" in line) and "IPKernelApp" not in line:
            progress("  " + line.rstrip())
    status = proc.wait()
    seconds = time.perf_counter() - started
    if status != 0:
        tail = "\n".join(log[-40:])
        progress(tail)
        raise BookBuildError(f"jupyter-book exited with status {status}", failed)
    index = root / "_build" / "html" / "index.html"
    (root / STAMP_FILE).write_text(stamp, encoding="utf-8")
    progress(f"book built in {seconds:.1f}s: file://{index}")
    return index
