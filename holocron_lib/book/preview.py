"""Live preview of the book: serve `_build/html` on loopback, rebuild what an edit changed,
reload the open page.

sphinx-autobuild supplies the serving half: its `RebuildServer` watches the folders and
tells open pages to reload over a websocket, and its middleware adds the reload script to
every page. The rebuild is the book's own: generated pages, pre-execution of stale
notebooks through the execution cache, then Sphinx with the configuration `holocron book
build` uses, so both share the Sphinx environment and the cache and a rebuild reads only
what changed. The rebuilds run in one builder process forked from the server after it
imported Sphinx, MyST-NB and jupytext, which keeps the notebook executor's preloaded fork
server between rebuilds and forks each Sphinx build afresh.

A notebook that fails does not stop the server: its page is rebuilt from its source, not
executed, with the error at the top (`failed_page_source`, applied by the Sphinx extension
while the preview's error file is named in the environment), until it runs again.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Listener
from pathlib import Path

from holocron_lib.book.build import STAMP_FILE, _config_timeout, write_generated_pages
from holocron_lib.book.execute import CACHE_DIR, REEXECUTED_FILE, data_source, execute_stale
from holocron_lib.book.preview_errors import (
    ERRORS_FILE,
    ERRORS_VARIABLE,
    read_errors,
)
from holocron_lib.book.toc import toc_notebooks
from holocron_lib.errors import NotebookExecutionError
from holocron_lib.execution.environment import book_environment
from holocron_lib.settings import load_settings

WATCHED = ("notebooks_py", "book", "holocron_lib", "_config.yml", "_toc.yml")
# Written by the build itself: a change there must not start another build.
GENERATED = ("book/runbook-catalog.md", "book/generated/")
_IGNORED = re.compile(r"(/__pycache__/|/\.ipynb_checkpoints/|\.pyc$|\.swp$|\.swx$|~$|/\.#"
                      r"|/4913$|\.tmp$)")
# Imported once by the server, so every rebuild starts warm.
WARM_MODULES = ("sphinx.application", "sphinx.builders.html", "docutils.core",
                "jupyter_book.sphinx", "myst_nb.sphinx_ext", "myst_parser",
                "sphinx_book_theme", "sphinx_external_toc", "jupytext", "jupyter_cache",
                "jupyter_cache.cache.main", "nbformat", "yaml")


def execute_notebooks(root: Path, names: list[str] | None = None, *,
                      workers: int | None = None,
                      progress: Callable[[str], None] = print) -> dict[str, str]:
    """Generated pages, then the stale ones among ``names`` (default: every notebook of the
    book) executed into the cache. Failures come back as {page: message} instead of being
    raised, and are recorded for the Sphinx build with those of notebooks not run now."""
    write_generated_pages(root, progress)
    settings = load_settings(home=root)
    env = book_environment(root)
    asked = toc_notebooks(root) if names is None else names
    pending = list(asked)
    failed: dict[str, str] = {}
    while pending:
        try:
            execute_stale(root, pending, env=env, data=data_source(settings), workers=workers,
                          cell_timeout=_config_timeout(root), progress=progress)
            break
        except NotebookExecutionError as exc:
            # The others that ran are cached now; run what is left for its own outcome.
            failed[exc.notebook] = str(exc)
            if exc.notebook not in pending:
                break
            pending = [name for name in pending if name not in failed]
    path = root / ERRORS_FILE
    before = read_errors(path)["errors"]
    errors = {name: msg for name, msg in before.items() if name not in asked} | failed
    path.parent.mkdir(parents=True, exist_ok=True)
    # Pages that failed before and pass now are re-read too, even when nothing re-ran them.
    path.write_text(json.dumps({"errors": errors, "reread": sorted(set(before) | set(errors))},
                               indent=1), encoding="utf-8")
    return errors


def notebooks_to_check(root: Path, changed: Sequence[Path]) -> list[str] | None:
    """Which notebooks a change can make stale: None for all of them (the library, the
    configuration, the table of contents), else the changed notebooks of the book."""
    if not changed:
        return None
    pages = set(toc_notebooks(root))
    names = []
    for path in changed:
        rel = _relative(path, root)
        if rel.startswith("notebooks_py/") and rel.endswith(".py"):
            if rel[:-3] in pages:
                names.append(rel[:-3])
        elif not rel.startswith("book/"):  # the library, the configuration, the toc
            return None
    return sorted(set(names))


def sphinx_build(root: Path) -> bool:
    """Sphinx over the book, in this process, configured as `jupyter-book build` does."""
    from jupyter_book.sphinx import build_sphinx

    os.environ.update(book_environment(root))
    os.environ[ERRORS_VARIABLE] = str(root / ERRORS_FILE)
    result = build_sphinx(
        str(root), str(root / "_build" / "html"), use_external_toc=True, noconfig=True,
        path_config=str(root / "_config.yml"),
        confoverrides={"external_toc_path": (root / "_toc.yml").as_posix(),
                       "latex_individualpages": False},
        builder="html", quiet=True,
    )
    return result == 0


class Builder:
    """The process that rebuilds: forked from the warm server before it serves, it runs the
    stale notebooks on the book's executor and each Sphinx build in a child forked from
    itself, so no build leaves state for the next."""

    def __init__(self, root: Path, url: str, workers: int | None):
        self.root, self.url, self.workers = root, url, workers

    def rebuild(self, changed: Sequence[Path]) -> None:
        started = time.perf_counter()
        shown = [_relative(p, self.root) for p in changed][:5]
        if shown:
            print(f"preview: changed {', '.join(shown)}", flush=True)
        try:
            names = notebooks_to_check(self.root, changed)
            errors = read_errors(self.root / ERRORS_FILE)["errors"]
            notebook_edit = any(_relative(p, self.root).startswith("notebooks_py/")
                                for p in changed)
            if names is None or notebook_edit:  # the runbook catalog reads every notebook
                errors = execute_notebooks(self.root, names, workers=self.workers)
            executed = time.perf_counter()
            ok = _run_forked(sphinx_build, self.root)
            if ok:
                _consumed(self.root)
        except Exception as exc:  # noqa: BLE001 - the server keeps serving the last site
            print(f"preview: rebuild failed: {type(exc).__name__}: {exc}", flush=True)
            return
        for message in errors.values():
            print(f"preview: {message}", flush=True)
        state = "rebuilt" if ok else "Sphinx reported errors; rebuilt what it could"
        print(f"preview: {state} in {time.perf_counter() - started:.1f}s (Sphinx "
              f"{time.perf_counter() - executed:.1f}s), serving {self.url}", flush=True)

    def serve_requests(self, listener) -> None:
        """Rebuild for each request until the server goes away; answer when done."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle
        _die_with_parent()
        while True:
            try:
                conn = listener.accept()
            except (OSError, EOFError):
                return
            with conn:
                try:
                    changed = [Path(p) for p in conn.recv()]
                except EOFError:
                    continue
                self.rebuild(changed)
                conn.send("done")


def _consumed(root: Path) -> None:
    """After a good Sphinx build, the pages to re-read have been re-read: a later rebuild
    for an edit elsewhere re-reads only what that edit changed."""
    marker = root / CACHE_DIR / REEXECUTED_FILE
    if marker.is_file():
        marker.write_text("[]", encoding="utf-8")
    path = root / ERRORS_FILE
    errors = read_errors(path)["errors"]
    path.write_text(json.dumps({"errors": errors, "reread": []}, indent=1), encoding="utf-8")


def _die_with_parent() -> None:
    """On Linux, the kernel ends this process when the server's process ends, however."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Rebuild:
    """The RebuildServer's change callback: hands the changed paths to the builder and
    waits for it. Picklable (an address and a key), because the RebuildServer calls it in
    a worker process."""

    def __init__(self, address: str, authkey: bytes):
        self.address, self.authkey = address, authkey

    def __call__(self, *, changed_paths: Sequence[Path] = ()) -> None:
        from multiprocessing.connection import Client

        try:
            with Client(self.address, family="AF_UNIX", authkey=self.authkey) as conn:
                conn.send([str(p) for p in changed_paths])
                conn.recv()
        except (OSError, EOFError) as exc:
            print(f"preview: the builder process is gone ({exc}); restart the preview",
                  flush=True)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return str(path)


def ignore_filter(root: Path) -> Callable[[str], bool]:
    """True for a changed path the preview ignores: caches, editor files, generated pages."""
    root = root.resolve()

    def ignored(path: str) -> bool:
        rel = _relative(Path(path), root)
        if _IGNORED.search("/" + rel):
            return True
        return any(rel == g or rel.startswith(g) for g in GENERATED)

    return ignored


def _run_forked(task: Callable[[Path], bool], root: Path) -> bool:
    """``task(root)`` in a child forked from this (warm) process; True when it returned True."""
    ctx = multiprocessing.get_context("fork")
    proc = ctx.Process(target=_exit_with, args=(task, root))
    proc.start()
    proc.join()
    return proc.exitcode == 0


def _exit_with(task: Callable[[Path], bool], root: Path) -> None:
    sys.exit(0 if task(root) else 1)


def serve(root: Path, *, host: str = "127.0.0.1", port: int = 8000,
          workers: int | None = None) -> None:
    """Build what is stale, serve the site, and rebuild on every change until interrupted."""
    import uvicorn
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
    from sphinx_autobuild.server import RebuildServer
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles


    root = root.resolve()
    for name in WARM_MODULES:
        importlib.import_module(name)
    # The preview changes _build/html: the next `holocron book build` must not call it current.
    (root / STAMP_FILE).unlink(missing_ok=True)
    url = f"http://{host}:{port}/"
    # The server talks to the builder over a Unix socket: on Linux an abstract one, which
    # leaves no file behind however the server ends.
    socket_dir = None if sys.platform.startswith("linux") else Path(tempfile.mkdtemp())
    address = (f"\0holocron-preview-{secrets.token_hex(8)}" if socket_dir is None
               else str(socket_dir / "builder.sock"))
    authkey = secrets.token_bytes(32)
    listener = Listener(address, family="AF_UNIX", authkey=authkey)
    # Not a daemon: the notebook executor starts processes of its own from it.
    builder = multiprocessing.get_context("fork").Process(
        target=Builder(root, url, workers).serve_requests, args=(listener,),
        name="holocron-preview-builder")
    builder.start()  # before the server starts any thread
    rebuild = Rebuild(address, authkey)
    try:
        print(f"preview: building {root.name} before serving", flush=True)
        rebuild()
        html = root / "_build" / "html"
        html.mkdir(parents=True, exist_ok=True)
        watched = [root / name for name in WATCHED if (root / name).exists()]
        watcher = RebuildServer(watched, ignore_filter(root), change_callback=rebuild)
        app = Starlette(
            routes=[WebSocketRoute("/websocket-reload", watcher, name="reload"),
                    Mount("/", app=StaticFiles(directory=html, html=True), name="static")],
            middleware=[Middleware(JavascriptInjectorMiddleware, ws_url=f"{host}:{port}")],
            lifespan=watcher.lifespan,
        )
        print(f"preview: serving {url} (watching {', '.join(p.name for p in watched)}; "
              "Ctrl+C stops)", flush=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")
    except KeyboardInterrupt:
        print("preview: stopped", flush=True)
    finally:
        builder.terminate()
        builder.join(timeout=10)
        if socket_dir is not None:
            shutil.rmtree(socket_dir, ignore_errors=True)
