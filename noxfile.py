"""Every task a person runs: `nox -s build-book`, `nox -s tests`, `nox -s lint`, `nox -s db`, ..."""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["build-book"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"

PYTHON = "3.11"


def _install(session: nox.Session, extras: str = "") -> None:
    target = f".[{extras}]" if extras else "."
    session.install("-e", target)


@nox.session(name="db", python=PYTHON)
def db(session: nox.Session) -> None:
    """Build the seeded embedded database (pass e.g. `-- --scale 10` to change the scale)."""
    _install(session)
    session.run("holocron", "db", "build", *session.posargs)


@nox.session(name="build-book", python=PYTHON)
def build_book(session: nox.Session) -> None:
    """Build the seeded database when missing, execute the notebooks and write _build/html."""
    _install(session, "book")
    session.run("holocron", "db", "build", "--if-missing")
    if os.path.exists("_toc.yml"):
        session.run("holocron", "book", "build", *session.posargs)
    else:
        session.log("No _toc.yml yet: built the database only.")


@nox.session(name="tests", python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (arguments after `--` go to pytest)."""
    _install(session, "book,test")
    session.run("pytest", *session.posargs)


@nox.session(name="lint", python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style with ruff."""
    session.install("ruff>=0.5")
    session.run("ruff", "check", "holocron_lib", "tests", "benchmarks", "notebooks_py", "noxfile.py")


@nox.session(name="notebooks", python=PYTHON)
def notebooks(session: nox.Session) -> None:
    """Write the paired .ipynb copies of notebooks_py/ (git-ignored) and keep them in sync."""
    _install(session)
    session.run("holocron", "notebooks", "pair", *session.posargs)
