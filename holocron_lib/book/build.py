"""Build the site: write generated pages, execute the notebooks that need it, run Jupyter Book.

Notebooks execute first (``execute.py``), each on a warm kernel, with a reason for every one
that runs; Sphinx (``sphinx_run.py``, in this process) starts meanwhile and reads every
notebook page from the execution cache once they are done, while the kernels shut down.
The generated pages are written while the notebooks execute (or after the plan, when none
does), so the first kernel is asked for as soon as the plan is made. Sphinx does not run at
all when nothing changed since the site was last written.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from holocron_lib.book.sphinx_run import SphinxBuild
from holocron_lib.book.toc import toc_files, toc_notebooks
from holocron_lib.errors import BookBuildError
from holocron_lib.execution.environment import book_environment, bytecode_cache

GENERATED_DIR = Path("book") / "generated"


def _config_timeout(root: Path) -> int:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return int((config.get("execute") or {}).get("timeout") or 180)


CATALOG_STAMP = Path(".holocron") / "runbook-catalog.stamp"


def write_generated_pages(root: Path, progress: Callable[[str], None]) -> None:
    """Pages made from the code: the runbook catalog (from the notebook registry).

    Rendering it parses every notebook; it is skipped while the notebooks and the modules
    that render it keep their sizes and times."""
    try:  # lazy: the registry and its parser load only for a build
        from holocron_lib.book.catalog import render_runbook_catalog
        from holocron_lib.service.registry import folder_fingerprint
    except ImportError:
        return
    import holocron_lib.book.catalog as catalog_module

    page = Path("book") / "runbook-catalog.md"
    target = root / page
    sources = [Path(catalog_module.__file__).parent.parent / "service" / name
               for name in ("registry.py", "params.py")] + [Path(catalog_module.__file__)]
    stamp = repr((folder_fingerprint(root / "notebooks_py"),
                  [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sources if p.is_file()]))
    stamp_file = root / CATALOG_STAMP
    if (target.is_file() and stamp_file.is_file()
            and stamp_file.read_text(encoding="utf-8") == stamp):
        return
    text = render_runbook_catalog(root / "notebooks_py")
    if not (target.is_file() and target.read_text(encoding="utf-8") == text):
        target.write_text(text, encoding="utf-8")  # changed: Sphinx re-reads it
        progress(f"generated: {page}")
    if stamp_file.parent.is_dir():
        stamp_file.write_text(stamp, encoding="utf-8")


STAMP_FILE = Path("_build") / ".holocron-site-stamp"


def site_stamp(root: Path, salt: str) -> str:
    """Hash of everything the site is made from: pages, book config, static files, the
    Sphinx extension and ``salt`` (the notebooks executed since the site was last written).
    Equal stamps mean an identical site."""
    import hashlib

    from holocron_lib import __version__  # lazy: the package itself, for its version

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


def refresh_static_files(root: Path) -> None:
    """Copy changed files of ``book/_static`` into a built site: an incremental Sphinx build
    with no page to write stops before copying them, and Sphinx 7.4 leaves a copy already
    there alone."""
    import shutil

    source, output = root / "book" / "_static", root / "_build" / "html" / "_static"
    if not source.is_dir() or not output.is_dir():
        return
    for path in source.rglob("*"):
        copy = output / path.relative_to(source)
        if path.is_file() and not (copy.is_file() and copy.read_bytes() == path.read_bytes()):
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)


def sphinx_jobs(root: Path, rebuild_all: bool) -> int:
    """Processes for Sphinx: one per core when it reads every page (the first build, or
    ``--all``), where reading and writing in parallel pays; else one, since forking the
    writers costs more than the few pages of an edit take to write."""
    environment = root / "_build" / ".doctrees" / "environment.pickle"
    if rebuild_all or not environment.is_file():
        return os.cpu_count() or 1
    return 1


def run_sphinx(root: Path, *, rebuild_all: bool, progress: Callable[[str], None],
               started: SphinxBuild | None = None) -> None:
    """Jupyter Book's Sphinx build (``started``: one already under way); raises
    ``BookBuildError`` naming the page whose warning failed it."""
    build = started or SphinxBuild(root, rebuild_all=rebuild_all, progress=progress,
                                   jobs=sphinx_jobs(root, rebuild_all)).start()
    build.proceed()
    failure = build.finish()
    if failure is not None:
        raise BookBuildError(failure, build.failed_page)


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
    env = book_environment(root)
    # lazy: the kernel machinery loads only when a build runs
    from holocron_lib.execution.template_handle import KernelTemplate

    # Its imports are the longest wait before a notebook can run: started now when a
    # notebook's source changed (they overlap the plan), else by
    # execute_stale once the plan shows one to execute; killed at once if none is.
    template = KernelTemplate(env)
    from holocron_lib.book.execute import sources_changed  # lazy: as below

    if sources_changed(root, toc_notebooks(root)):
        template.start()
    try:
        # lazy: jupyter-cache and the executor load only when a build runs
        from holocron_lib.book.execute import (
            CACHE_DIR,
            REEXECUTED_FILE,
            data_source,
            execute_stale,
        )
        from holocron_lib.settings import load_settings  # lazy: as above

        settings = load_settings(home=root)
        sphinx: list[SphinxBuild] = []
        pages: list = []  # the generated pages, written while the notebooks execute

        def while_executing(one_round: bool) -> None:
            # Rendering the catalog parses every notebook: done now, in a thread, rather
            # than before the plan, which would hold back the first kernel.
            from concurrent.futures import ThreadPoolExecutor  # lazy: only here

            pool = ThreadPoolExecutor(1, thread_name_prefix="holocron-pages")
            pages.append(pool.submit(write_generated_pages, root, progress))
            pool.shutdown(wait=False)  # the thread ends when the pages are written
            if not one_round:
                # Sphinx waits: a longer execution gains little from starting it now, and
                # its memory would add to the kernels' all along.
                return
            # The site will be rebuilt: Sphinx loads its modules, configuration and
            # environment meanwhile, and waits for the outputs to read them.
            progress(f"building the book ({len(toc_notebooks(root))} notebooks in _toc.yml) "
                     "once the notebooks are executed")
            refresh_static_files(root)
            sphinx.append(SphinxBuild(root, rebuild_all=rebuild_all, progress=progress,
                                      jobs=sphinx_jobs(root, rebuild_all)).start())

        def read_outputs() -> None:
            # Every output is cached: Sphinx reads them while the kernels shut down.
            for written in pages:
                written.result()
            for build in sphinx:
                build.proceed()

        try:
            execute_stale(root, toc_notebooks(root), env=env, data=data_source(settings),
                          workers=workers, cell_timeout=_config_timeout(root),
                          notebook_timeout=notebook_timeout, progress=progress, force=force,
                          while_executing=while_executing, results_ready=read_outputs,
                          template=template)
        except BaseException:
            for build in sphinx:
                build.abort()
                build.finish()
            raise
        finally:
            for written in pages:
                written.exception()  # waits; a failure to write them is raised below
    finally:
        template.close(now=True)
    if pages:
        pages[0].result()
    else:
        write_generated_pages(root, progress)
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
    if not sphinx:
        refresh_static_files(root)
        progress(f"building the book ({len(toc_notebooks(root))} notebooks in _toc.yml)")
    run_sphinx(root, rebuild_all=rebuild_all, progress=progress,
               started=sphinx[0] if sphinx else None)
    index = root / "_build" / "html" / "index.html"
    reexecuted.write_text("[]", encoding="utf-8")  # the site now shows them
    (root / STAMP_FILE).write_text(site_stamp(root, "[]"), encoding="utf-8")
    progress(f"book built in {time.perf_counter() - started:.1f}s: file://{index}")
    return index
