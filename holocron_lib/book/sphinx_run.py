"""Jupyter Book's Sphinx build, in a thread of the build process, able to start early.

Starting Sphinx costs seconds before it reads a page: importing Sphinx, MyST-NB and the theme,
reading the configuration, setting up the extensions, loading the pickled environment. None
of that depends on the notebooks' outputs, so a build that executes notebooks starts Sphinx
at once; the extension (``sphinx_ext``) holds it at ``builder-inited``, before it looks for
changed pages, until ``proceed()`` says the execution cache is complete (or ``abort()`` that
the build failed). Sphinx's output goes to a filter that keeps it for the error report and
shows each warning with its page (a warning fails the build); what other threads print is
left alone.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path

__all__ = ["SphinxBuild"]

_PAGE = re.compile(r"^(?P<path>/\S+?\.(?:py|md|ipynb))(?::\d+)?: (?P<level>WARNING|ERROR|CRITICAL)")


class _SphinxOutput:
    """Sphinx's status and warning stream."""

    def __init__(self, root: Path, progress: Callable[[str], None]):
        self.root, self.progress = root, progress
        self.lines: list[str] = []
        self.failed: str | None = None
        self.showing = False  # in a call of progress(), which may print to this stream
        self._partial = ""

    def write(self, text: str) -> int:
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            self.lines.append(line)
            if m := _PAGE.search(line):
                page = _relative(m["path"], self.root)
                self.failed = self.failed or page
                self._show("  " + line.replace(m["path"], page))
            elif "WARNING" in line or "ERROR" in line or "Exception occurred" in line:
                self._show("  " + line)
        return len(text)

    def _show(self, line: str) -> None:
        self.showing = True
        try:
            self.progress(line)
        finally:
            self.showing = False


class _ByThread:
    """Stands in for sys.stdout/sys.stderr: the Sphinx thread's writes go to its filter,
    every other thread's to the stream it replaced."""

    def __init__(self, original, sphinx_output: _SphinxOutput, thread: threading.Thread):
        self._original, self._sphinx, self._thread = original, sphinx_output, thread

    def _to_sphinx(self) -> bool:
        # What the filter itself shows (a warning, through progress) goes to the terminal.
        return threading.current_thread() is self._thread and not self._sphinx.showing

    def write(self, text: str) -> int:
        if self._to_sphinx():
            return self._sphinx.write(text)
        return self._original.write(text)

    def flush(self) -> None:
        if not self._to_sphinx():
            self._original.flush()

    def isatty(self) -> bool:
        return not self._to_sphinx() and self._original.isatty()

    def __getattr__(self, name):
        if name.startswith("__") or name == "_original":  # copied or unpickled half-made
            raise AttributeError(name)
        return getattr(self._original, name)


def _relative(path: str, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return path


class SphinxBuild:
    """One Sphinx build of the book at ``root`` into ``_build/html``, warnings as errors,
    every notebook page from the execution cache."""

    def __init__(self, root: Path, *, rebuild_all: bool, progress: Callable[[str], None],
                 jobs: int | None = None):
        self.root, self.rebuild_all = root, rebuild_all
        # Sphinx's own parallel build (`sphinx-build -j`): pages are read, and written, by
        # forked processes, one per core.
        self.jobs = jobs or os.cpu_count() or 1
        self.output = _SphinxOutput(root, progress)
        self._go = threading.Event()
        self._aborted = False
        self._result: object = None
        self._thread = threading.Thread(target=self._run, name="holocron-sphinx", daemon=True)
        self._saved: tuple | None = None

    @property
    def failed_page(self) -> str | None:
        return self.output.failed

    def start(self) -> SphinxBuild:
        from holocron_lib.book import sphinx_ext  # lazy: Sphinx loads it again by name

        sphinx_ext.BEFORE_READING.append(self._wait)
        self._saved = (sys.stdout, sys.stderr)
        sys.stdout = _ByThread(sys.stdout, self.output, self._thread)
        sys.stderr = _ByThread(sys.stderr, self.output, self._thread)
        self._thread.start()
        return self

    def _wait(self) -> None:
        self._go.wait()
        if self._aborted:
            raise RuntimeError("the notebooks did not execute; the site is not rebuilt")

    def proceed(self) -> None:
        """The execution cache is complete: read and write the pages."""
        self._go.set()

    def abort(self) -> None:
        """The build failed before the pages could be read: stop quietly."""
        self._aborted = True
        self.output.progress = lambda _line: None
        self._go.set()

    def _run(self) -> None:
        # lazy: only a build that writes pages pays for Sphinx and its extensions
        from jupyter_book.sphinx import build_sphinx

        root = self.root
        self._result = build_sphinx(
            str(root), str(root / "_build" / "html"), noconfig=True,
            path_config=str(root / "_config.yml"), warningiserror=True, keep_going=True,
            confoverrides={"external_toc_path": (root / "_toc.yml").as_posix(),
                           "latex_individualpages": False},
            force_all=self.rebuild_all, jobs=self.jobs)

    def finish(self) -> str | None:
        """Wait for the build; returns None when it succeeded, else what went wrong (the
        last lines of Sphinx's output are shown)."""
        import logging

        from holocron_lib.book import sphinx_ext  # lazy: as in start()

        self._thread.join()
        if self._saved is not None:
            sys.stdout, sys.stderr = self._saved
            self._saved = None
        if self._wait in sphinx_ext.BEFORE_READING:
            sphinx_ext.BEFORE_READING.remove(self._wait)
        logging.getLogger("sphinx").handlers.clear()  # a later build here sets its own
        result = self._result
        if self._aborted:
            return "aborted"
        if isinstance(result, Exception) or result:
            self.output.progress("\n".join(self.output.lines[-40:]))
            return (f"{type(result).__name__}: {result}" if isinstance(result, Exception)
                    else f"Sphinx exited with status {result}")
        return None
