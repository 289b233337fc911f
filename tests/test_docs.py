"""The documentation agrees with the code: settings, commands, modules, pages, quick start."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from holocron_lib.book.toc import toc_files
from holocron_lib.cli import reference_page as clidoc
from holocron_lib.db.procedures import list_procedures
from holocron_lib.settings import SETTINGS, render_env_example, render_settings_table

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "holocron_lib"
# Pages the book build writes before Sphinx runs (book.write_generated_pages), git-ignored.
GENERATED_PAGES = {"book/runbook-catalog"}


def _read(relative: str) -> str:
    return (ROOT / relative).read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The body of the Markdown section ``## heading``, up to the next ``## `` heading."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section '## {heading}'"
    return match.group(1)


# --- settings ---------------------------------------------------------------------------------


def test_env_example_is_generated_from_the_settings_table():
    assert _read(".env.example") == render_env_example(), (
        "regenerate with: holocron settings env-example > .env.example")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_in_env_example_and_on_the_configuration_page(setting):
    assert re.search(rf"^# {setting.name}=", _read(".env.example"), re.M)
    assert f"`{setting.name}`" in _read("book/configuration.md")


def test_configuration_page_table_is_the_rendered_settings_table():
    page = _read("book/configuration.md")
    start = page.index("<!-- settings-table:start -->\n") + len("<!-- settings-table:start -->\n")
    assert page[start:page.index("<!-- settings-table:end -->")] == render_settings_table()


# --- command line -----------------------------------------------------------------------------


def test_command_line_page_is_the_rendered_reference():
    page = _read("book/command-line.md")
    assert clidoc.marked_region(page) == clidoc.render_cli_reference(), (
        "regenerate with: python -m holocron_lib.cli.reference_page book/command-line.md")


def test_every_command_and_subcommand_has_a_section_on_the_command_line_page():
    names = clidoc.command_names()
    # The groups and commands the product promises, so a lost registration is caught too.
    for expected in ("holocron db build", "holocron db info", "holocron book build",
                     "holocron notebooks list", "holocron notebooks show",
                     "holocron notebooks sync", "holocron notebooks pair", "holocron run",
                     "holocron runs list", "holocron runs show", "holocron runs cancel",
                     "holocron serve", "holocron worker",
                     "holocron settings show"):
        assert expected in names
    headings = set(re.findall(r"^## (holocron.*)$", _read("book/command-line.md"), re.M))
    assert set(names) <= headings, sorted(set(names) - headings)


def test_the_reference_does_not_depend_on_the_terminal_width(monkeypatch):
    before = clidoc.render_cli_reference()
    monkeypatch.setenv("COLUMNS", "40")
    assert clidoc.render_cli_reference() == before


def test_update_page_rewrites_only_the_marked_region(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(f"# Title\n\nProse.\n\n{clidoc.START_MARKER}\nstale\n{clidoc.END_MARKER}\n"
                    "After.\n", encoding="utf-8")
    assert clidoc.update_page(page) is True
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nProse.\n\n") and text.endswith(f"{clidoc.END_MARKER}\nAfter.\n")
    assert clidoc.marked_region(text) == clidoc.render_cli_reference()
    assert clidoc.update_page(page) is False


# --- architecture -----------------------------------------------------------------------------


def _module_table_names() -> set[str]:
    table = _section(_read("ARCHITECTURE.md"), "Modules (`holocron_lib/`)")
    names: set[str] = set()
    for line in table.splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([^`]+)`", first_cell))
    return names


def test_every_library_module_has_a_row_in_the_architecture_module_table():
    modules = sorted(p.relative_to(LIB).as_posix() for p in LIB.rglob("*.py")
                     if "__pycache__" not in p.parts)
    assert len(modules) > 40
    missing = [m for m in modules if m not in _module_table_names()]
    assert not missing, f"ARCHITECTURE.md's module table lacks: {missing}"


def test_the_module_table_names_no_module_that_is_gone():
    for name in _module_table_names():
        if name.endswith(".py"):
            assert (LIB / name).is_file(), f"ARCHITECTURE.md lists {name}, which does not exist"


# --- the book's pages ---------------------------------------------------------------------------


def test_every_page_in_the_toc_exists():
    pages = toc_files(ROOT)
    assert "book/command-line" in pages and "book/sql-server" in pages
    missing = []
    for page in pages:
        if page in GENERATED_PAGES:
            continue
        if not any((ROOT / f"{page}{suffix}").is_file() for suffix in (".md", ".py", ".ipynb")):
            missing.append(page)
    assert not missing, f"_toc.yml names pages that do not exist: {missing}"


def test_generated_pages_have_a_generator():
    from holocron_lib.book.catalog import render_runbook_catalog

    assert render_runbook_catalog(ROOT / "notebooks_py").startswith("# Runbook catalog")


def test_the_new_reference_pages_are_in_the_first_part():
    toc = yaml.safe_load(_read("_toc.yml"))
    first = toc["parts"][0]
    assert first["caption"] == "Reading and running the book"
    files = [c["file"] for c in first["chapters"]]
    assert "book/command-line" in files and "book/sql-server" in files


def test_every_emulated_procedure_is_listed_on_the_sql_server_page():
    page = _read("book/sql-server.md")
    names = [p["name"] for p in list_procedures()]
    assert len(names) >= 10
    missing = [n for n in names if f"`{n}`" not in page]
    assert not missing, f"book/sql-server.md does not list: {missing}"
    assert "ProcedureNotEmulatedError" in page


# --- README -------------------------------------------------------------------------------------


def _commands(block: str) -> list[str]:
    """Shell commands of a code block, comments dropped, `a && b` split."""
    found = []
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        found += [part.strip() for part in line.split("&&") if part.strip()]
    return found


def test_readme_quick_start_is_the_two_commands_that_ci_runs():
    quick = _section(_read("README.md"), "Quick start")
    block = re.search(r"```bash\n(.*?)```", quick, re.S)
    assert block, "the quick start has no bash block"
    commands = _commands(block.group(1))
    assert [c for c in commands if c.startswith("python3 -m nox")] == [
        "python3 -m nox -s build-book", "python3 -m nox -s tests"]
    assert commands == ["python3 -m pip install 'nox[uv]'", "python3 -m nox -s build-book",
                        "python3 -m nox -s tests"]
    ci = _read(".ci/run")
    assert re.search(r"^python3 -m pip install .*'nox\[uv\]'$", ci, re.M), \
        ".ci/run installs nox differently from the README"
    assert re.search(r"^python3 -m nox -s tests$", ci, re.M), ".ci/run no longer runs the tests"
    assert "start-postgres" not in ci, "the test suite starts its own PostgreSQL server"


def test_readme_names_every_holocron_command():
    readme = _read("README.md")
    missing = [n for n in clidoc.command_names()
               if n != "holocron" and not re.search(rf"^{re.escape(n)}\b", readme, re.M)]
    assert not missing, f"README.md does not show: {missing}"
