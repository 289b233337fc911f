"""Sphinx extension for the book: how each page was executed, and its executed `.ipynb`.

- Under each notebook page's title, a line says when it was executed, in how many seconds and
  against which data; the ``holocron-execution-report`` directive makes the table of all of
  them (title, status, seconds, why it ran, what it ran against), from the execution cache.
- Notebooks re-executed before this build are re-read even when their source did not change.
- The pages are read from percent-format `.py` sources, so the theme only offers the `.py`;
  the executed notebook is written next to the sources and added to the download menu.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

NOTEBOOK_PREFIX = "notebooks_py/"
REEXECUTED_FILE = "holocron-reexecuted.json"
REPORT_FILE = "holocron-execution.json"
# Called when the builder is ready, before Sphinx looks for changed pages: a build started
# while notebooks execute waits here for their outputs (see sphinx_run.SphinxBuild).
BEFORE_READING: list = []
_caches: dict[str, object] = {}
_reports: dict[tuple, dict] = {}


def _cache(app):
    cache_path = getattr(app.config, "nb_execution_cache_path", "") or ""
    if not cache_path:
        return None
    folder = str(Path(app.srcdir) / cache_path)
    if folder not in _caches:
        from jupyter_cache import get_cache

        _caches[folder] = get_cache(folder)
    return _caches[folder]


def _report(app) -> dict:
    """How each notebook's cached outputs were made (written by the book's pre-execution)."""
    import json

    cache_path = getattr(app.config, "nb_execution_cache_path", "") or ""
    path = Path(app.srcdir) / cache_path / REPORT_FILE
    if not cache_path or not path.is_file():
        return {}
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _reports:
        _reports.clear()
        _reports[key] = json.loads(path.read_text(encoding="utf-8"))
    return _reports[key]


def _when(record: dict) -> str:
    stamp = str(record.get("executed_utc") or "")
    return stamp[:16].replace("T", " ") + " UTC" if stamp else "at an unknown time"


def _add_execution_line(app, doctree) -> None:
    docname = app.env.docname
    if not _is_notebook(docname):
        return
    # No dependency on the report file: a page's line changes only when that notebook is
    # executed again, and then the page is re-read anyway (see _reexecuted_docs).
    record = _report(app).get(docname)
    section = doctree.next_node(nodes.section)
    if record is None or section is None:
        return
    text = f"Executed {_when(record)}"
    if record.get("seconds") is not None:
        text += f" in {float(record['seconds']):.1f} s"
    if record.get("against"):
        text += f", against {record['against']}"
    section.insert(1, nodes.paragraph(text + ".", text + ".", classes=["holocron-executed"]))


class ExecutionReport(SphinxDirective):
    """A table of every notebook page: title, status, seconds, why it last ran, and against
    what. Re-read whenever notebooks were executed."""

    def run(self):
        cache_path = getattr(self.config, "nb_execution_cache_path", "") or ""
        self.env.note_dependency(str(Path(self.env.srcdir) / cache_path / REPORT_FILE))
        report = _report(self.env.app)
        from holocron_lib.book.toc import toc_notebooks  # lazy: read when the page is read

        rows = ["| Notebook | Status | Seconds | Why it ran | Run against |",
                "|---|---|---|---|---|"]
        for name in toc_notebooks(Path(self.env.srcdir)):
            record = report.get(name)
            if record is None:
                rows.append(f"| {{doc}}`/{name}` | not executed | | | |")
                continue
            seconds = record.get("seconds")
            rows.append(f"| {{doc}}`/{name}` | ok | "
                        f"{'' if seconds is None else f'{float(seconds):.1f}'} | "
                        f"{record.get('reason') or ''} | {record.get('against') or ''} |")
        container = nodes.container(classes=["holocron-execution-report"])
        self.state.nested_parse(StringList(rows, source=self.env.docname), self.content_offset,
                                container)
        return [container]


def _is_notebook(docname: str) -> bool:
    return docname.startswith(NOTEBOOK_PREFIX)


def _add_ipynb_button(app, pagename, templatename, context, doctree):
    if _is_notebook(pagename):
        context["ipynb_source"] = pagename + ".ipynb"


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    """Keep one copy of each script: an inline script added twice redeclares its constants,
    which the browser reports as an error on every page."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        # The same inline script may come once with filename None and once with ''.
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def _executed_or_plain(app, source: Path):
    import jupytext

    nb = jupytext.read(source, fmt="py:percent")
    cache = _cache(app)
    if cache is not None:
        try:
            record = cache.match_cache_notebook(nb)
            return cache.get_cache_bundle(record.pk).nb
        except KeyError:  # no cached execution: offer the plain notebook
            pass
    return nb


def _note_read_docs(app, env, docnames):
    app.holocron_read_docs = set(docnames)


def _write_ipynb_files(app, exception):
    """The executed notebook of every page read in this build (or missing its download)."""
    if exception is not None or app.builder.format != "html":
        return
    import nbformat

    read = getattr(app, "holocron_read_docs", set())
    for docname in sorted(app.env.found_docs):
        if not _is_notebook(docname):
            continue
        source = Path(app.srcdir) / (docname + ".py")
        target = Path(app.outdir) / "_sources" / (docname + ".ipynb")
        if not source.exists() or (target.exists() and docname not in read):
            continue
        nb = _executed_or_plain(app, source)
        nb.metadata.pop("jupytext", None)
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(target))


def _reexecuted_docs(app, env, added, changed, removed):
    """Notebooks executed before this build must be re-read even if their source is unchanged;
    so must, in the preview, pages whose notebook failed or stopped failing."""
    import json

    names = set(_preview_errors()["reread"])
    cache_path = getattr(app.config, "nb_execution_cache_path", "") or ""
    marker = Path(app.srcdir) / cache_path / REEXECUTED_FILE
    if cache_path and marker.is_file():
        names.update(json.loads(marker.read_text(encoding="utf-8")))
    return sorted(n for n in names if n in env.found_docs and n not in added and n not in changed)


def _wait_for_outputs(app) -> None:
    for wait in list(BEFORE_READING):
        wait()


def _preview_errors() -> dict:
    """The preview's failed notebooks; empty outside `holocron book preview`."""
    import os

    path = os.environ.get("HOLOCRON_PREVIEW_ERRORS")
    if not path:
        return {"errors": {}, "reread": []}
    from holocron_lib.book.preview_errors import read_errors  # lazy: only the preview sets it

    return read_errors(Path(path))


def _show_preview_error(app, docname, source):
    """In the preview, a notebook that failed becomes a page of its code with the error."""
    message = _preview_errors()["errors"].get(docname)
    if message and _is_notebook(docname):
        from holocron_lib.book.preview_errors import failed_page_source  # lazy: preview only

        source[0] = failed_page_source(source[0], message)


# Extensions Jupyter Book loads that do not say whether Sphinx may read pages in parallel
# (Sphinx then reads serially, with a warning, which fails a build with warnings as errors).
# Both are safe: sphinx_multitoc_numbering replaces how section numbers are assigned after
# reading, in the main process; sphinx_jupyterbook_latex adds nodes and transforms, and sets
# its environment attributes at builder-inited, before any page is read.
READ_SAFE_UNDECLARED = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


def _declare_parallel_read_safe(app, config) -> None:
    for name in READ_SAFE_UNDECLARED:
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True


def setup(app):
    app.connect("config-inited", _declare_parallel_read_safe)  # every extension loaded
    app.connect("builder-inited", _wait_for_outputs)
    app.add_directive("holocron-execution-report", ExecutionReport)
    app.connect("doctree-read", _add_execution_line)
    app.connect("env-get-outdated", _reexecuted_docs)
    app.connect("source-read", _show_preview_error)
    app.connect("env-before-read-docs", _note_read_docs)
    app.connect("html-page-context", _add_ipynb_button, priority=500)
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    app.connect("build-finished", _write_ipynb_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
