"""Sphinx extension for the book: offer every notebook page as an executed `.ipynb` download,
and in the live preview show a failed notebook's error on its page.

The pages are read from percent-format `.py` sources, so the theme only offers the `.py`.
This extension writes the executed notebook (from the execution cache, or the plain
conversion when a page was not executed) next to the sources as the page is written, and
adds it to the page's download menu.
"""

from __future__ import annotations

from pathlib import Path

NOTEBOOK_PREFIX = "notebooks_py/"


def _is_notebook(docname: str) -> bool:
    return docname.startswith(NOTEBOOK_PREFIX)


def _add_ipynb_button(app, pagename, templatename, context, doctree):
    """A notebook page being written gets its executed `.ipynb` beside its sources; pages
    Sphinx does not rewrite keep the copy of the build that wrote them."""
    if _is_notebook(pagename) and app.builder.format == "html":
        _write_ipynb(app, pagename)
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
    cache_path = getattr(app.env.config, "nb_execution_cache_path", "") or ""
    if cache_path:
        try:
            from jupyter_cache import get_cache

            cache = get_cache(Path(app.srcdir) / cache_path)
            record = cache.match_cache_notebook(nb)
            return cache.get_cache_bundle(record.pk).nb
        except Exception:  # noqa: BLE001 - no cached execution: offer the plain notebook
            pass
    return nb


def _write_ipynb(app, docname: str) -> None:
    import nbformat

    source = Path(app.srcdir) / (docname + ".py")
    if not source.exists():
        return
    nb = _executed_or_plain(app, source)
    nb.metadata.pop("jupytext", None)
    target = Path(app.outdir) / "_sources" / (docname + ".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(target))


def _reexecuted_docs(app, env, added, changed, removed):
    """Notebooks executed before this build must be re-read even if their source is unchanged;
    so must, in the preview, pages whose notebook failed or stopped failing."""
    import json

    names = set(_preview_errors()["reread"])
    cache_path = getattr(app.config, "nb_execution_cache_path", "") or ""
    marker = Path(app.srcdir) / cache_path / "holocron-reexecuted.json"
    if cache_path and marker.is_file():
        names.update(json.loads(marker.read_text(encoding="utf-8")))
    return sorted(n for n in names if n in env.found_docs and n not in added and n not in changed)


def _preview_errors() -> dict:
    """The preview's failed notebooks; empty outside `holocron book preview`."""
    import os

    path = os.environ.get("HOLOCRON_PREVIEW_ERRORS")
    if not path:
        return {"errors": {}, "reread": []}
    from holocron_lib.book.preview import read_errors  # lazy: only the preview sets it

    return read_errors(Path(path))


def _show_preview_error(app, docname, source):
    """In the preview, a notebook that failed becomes a page of its code with the error."""
    message = _preview_errors()["errors"].get(docname)
    if message and _is_notebook(docname):
        from holocron_lib.book.preview import failed_page_source  # lazy: preview only

        source[0] = failed_page_source(source[0], message)


def setup(app):
    app.connect("env-get-outdated", _reexecuted_docs)
    app.connect("source-read", _show_preview_error)
    app.connect("html-page-context", _add_ipynb_button, priority=500)
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
