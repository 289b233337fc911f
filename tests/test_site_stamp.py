"""The no-op rebuild: the site stamp changes with anything the site is made from."""

from holocron_lib.book.build import _site_is_current, site_stamp, write_generated_pages

TOC = """format: jb-book
root: book/intro
chapters:
  - file: notebooks_py/demo/a
"""


def _project(tmp_path):
    (tmp_path / "book" / "_static").mkdir(parents=True)
    (tmp_path / "notebooks_py" / "demo").mkdir(parents=True)
    (tmp_path / "_toc.yml").write_text(TOC)
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "book" / "intro.md").write_text("# Intro\n")
    (tmp_path / "book" / "_static" / "site.css").write_text("body {}\n")
    (tmp_path / "notebooks_py" / "demo" / "a.py").write_text("# %%\nx = 1\n")
    return tmp_path


def test_stamp_is_stable_and_follows_every_input(tmp_path):
    root = _project(tmp_path)
    first = site_stamp(root, "salt-1")
    assert site_stamp(root, "salt-1") == first
    assert site_stamp(root, "salt-2") != first, "new execution salt (library or data)"
    for rel, text in [("book/intro.md", "# Intro, edited\n"), ("notebooks_py/demo/a.py",
                      "# %%\nx = 2\n"), ("_config.yml", "title: u\n"),
                      ("book/_static/site.css", "body { color: red }\n"), ("_toc.yml", TOC + "\n")]:
        before = site_stamp(root, "salt-1")
        (root / rel).write_text(text)
        assert site_stamp(root, "salt-1") != before, rel


def test_site_is_current_only_with_a_built_site_and_the_same_stamp(tmp_path):
    root = _project(tmp_path)
    stamp = site_stamp(root, "s")
    assert not _site_is_current(root, stamp), "nothing built yet"
    (root / "_build" / "html").mkdir(parents=True)
    (root / "_build" / "html" / "index.html").write_text("<html></html>")
    (root / "_build" / ".holocron-site-stamp").write_text(stamp)
    assert _site_is_current(root, stamp)
    assert not _site_is_current(root, site_stamp(root, "other"))


def test_generated_page_is_not_rewritten_when_unchanged(tmp_path):
    root = _project(tmp_path)
    messages = []
    write_generated_pages(root, messages.append)
    page = root / "book" / "runbook-catalog.md"
    assert page.is_file() and messages
    mtime = page.stat().st_mtime_ns
    messages.clear()
    write_generated_pages(root, messages.append)
    assert page.stat().st_mtime_ns == mtime and messages == []


def test_a_changed_static_file_reaches_a_built_site(tmp_path):
    from holocron_lib.book.build import refresh_static_files

    root = _project(tmp_path)
    built = root / "_build" / "html" / "_static"
    built.mkdir(parents=True)
    (built / "site.css").write_text("body {}\n")
    (root / "book" / "_static" / "site.css").write_text("body { color: red }\n")
    refresh_static_files(root)
    assert (built / "site.css").read_text() == "body { color: red }\n"
