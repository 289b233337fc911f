"""Shared fixtures and the CI rule that nothing may skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from system_programs import advice, chromium_path, missing_programs

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CANARY_PASSWORD = "Canary-Pa55word-7f3e"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytest_plugins = ["runservice_fixtures"]  # the run service's store, settings and server

# Tests work on throwaway copies of the seeded file, as the book does; the tests of the
# working database (test_working_database.py, test_runbook_idempotency.py) ask for it.
os.environ["HOLOCRON_DB_MODE"] = "copy"


def pytest_report_header(config):
    lines = []
    for name in ("duckdb", "sqlglot", "pandas", "jupyter_book", "sqlalchemy"):
        try:
            mod = __import__(name)
            lines.append(f"{name} {getattr(mod, '__version__', '?')}")
        except ImportError:
            lines.append(f"{name} (not installed)")
    return "versions: " + ", ".join(lines)


def _system_needs(item) -> set[str]:
    """The system programs one collected test uses (see tests/system_programs.py)."""
    needs = set()
    params = getattr(getattr(item, "callspec", None), "params", {})
    if params.get("store_url") == "postgres" or item.get_closest_marker("postgres"):
        needs.add("postgres")
    if item.get_closest_marker("odbc"):
        needs.add("odbc")
    if "browser" in item.fixturenames:
        needs.add("chromium")
    return needs


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Before the first test: every system program the selected tests use is installed, or
    the run stops with one message naming what is missing and the command that installs it."""
    needs = set().union(*(_system_needs(item) for item in items))
    missing = missing_programs(tuple(sorted(needs)))
    if missing:
        pytest.exit(advice(missing), returncode=pytest.ExitCode.USAGE_ERROR)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """In CI a skipped test is a failure: a missing package must be installed, not skipped."""
    skipped = terminalreporter.stats.get("skipped", [])
    if os.environ.get("CI") and skipped:
        terminalreporter.write_line(
            f"CI: {len(skipped)} test(s) skipped; in CI every test must run.", red=True
        )
        terminalreporter._session.exitstatus = 1  # noqa: SLF001


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI") and session.config.pluginmanager.get_plugin("terminalreporter"):
        stats = session.config.pluginmanager.get_plugin("terminalreporter").stats
        if stats.get("skipped"):
            session.exitstatus = 1


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """An environment with no HOLOCRON_/SEED_ variables, a canary password and a private home."""
    for key in list(os.environ):
        if key.startswith(("HOLOCRON_", "SEED_SQLSERVER_", "LAKE_ROOT", "OLLAMA_")):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOLOCRON_HOME", str(tmp_path))
    monkeypatch.setenv("HOLOCRON_DB_MODE", "copy")
    return tmp_path


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory) -> Path:
    """The seeded scale-1 database, built once per test session, with its lake beside it.

    Tests never write to it: they open private copies with ``connect(path=seeded_file)``.
    """
    from holocron_lib.db.seeded import build_database

    folder = tmp_path_factory.mktemp("seeded")
    build_database(folder / "holocron.duckdb", scale=1, lake_root=folder / "lake")
    return folder / "holocron.duckdb"


@pytest.fixture(scope="session")
def seeded_lake(seeded_file) -> Path:
    """The lake folder written with the seeded database."""
    return seeded_file.parent / "lake"


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's) driven by Playwright, shared by the site and /ui tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path() or "/usr/bin/chromium",
                              args=CHROMIUM_ARGS)
        yield b
        b.close()
