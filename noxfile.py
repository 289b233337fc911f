"""Every task a person runs: `nox -s build-book`, `nox -s tests`, `nox -s preview`, ...

Sessions install the versions pinned in uv.lock with `uv sync --locked` (uv comes with
`pip install 'nox[uv]'`; without it nox falls back to venv and the session installs uv
first). A session whose environment already holds what pyproject.toml's dependency tables
and uv.lock describe skips the install, so a rerun with nothing changed starts at once.
`nox -s lock` refreshes uv.lock after a dependency edit.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import tomllib
from pathlib import Path

import nox
import nox.command

nox.options.sessions = ["build-book"]
nox.options.reuse_venv = "yes"
nox.options.default_venv_backend = "uv|venv"

PYTHON = "3.11"
ROOT = Path(__file__).resolve().parent
LOCK = ROOT / "uv.lock"
STAMP_NAME = ".holocron-installed"  # inside each session's environment
BOOK_ENV = ROOT / ".nox" / "build-book"


def _dependency_digest(extras: list[str], groups: list[str], project: bool) -> str:
    """Hash of what an install is made from: pyproject.toml's dependency tables, uv.lock and
    what the session asks for. Other edits (tool settings, prose) do not reinstall."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    tool = pyproject.get("tool", {})
    spec = {
        "build-system": pyproject.get("build-system"),
        "project": {k: v for k, v in pyproject.get("project", {}).items()
                    if k not in {"description", "readme"}},
        "dependency-groups": pyproject.get("dependency-groups"),
        "tool.setuptools": tool.get("setuptools"),
        "tool.uv": tool.get("uv"),
        "asked": [sorted(extras), sorted(groups), project],
    }
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode())
    digest.update(LOCK.read_bytes())
    return digest.hexdigest()


def _uv_program() -> str | None:
    """uv beside nox (`pip install 'nox[uv]'`), else on PATH."""
    try:
        from uv import find_uv_bin

        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


def _sync(session: nox.Session, *, extras: tuple[str, ...] = (), groups: tuple[str, ...] = (),
          project: bool = True, venv: Path | None = None) -> None:
    """Install exactly the locked versions (and the project, editable) unless already there.
    ``venv`` names another session's environment, for a session that runs in it."""
    if not LOCK.is_file():
        session.error("uv.lock is missing: `python3 -m nox -s lock` writes it")
    uv = "uv"
    if venv is not None:
        uv = _uv_program() or session.error("uv is needed: python3 -m pip install 'nox[uv]'")
        if not (venv / "pyvenv.cfg").is_file():
            session.run_install(uv, "venv", "--python", PYTHON, str(venv), external=True)
    else:
        venv = Path(session.virtualenv.location)
        if session.venv_backend != "uv":
            session.install("uv")  # the venv fallback: uv into the session's own environment
    stamp = venv / STAMP_NAME
    digest = _dependency_digest(list(extras), list(groups), project)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        session.log("dependencies as locked in uv.lock: already installed")
        return
    stamp.unlink(missing_ok=True)
    args = [uv, "sync", "--locked", "--no-default-groups"]
    args += [f"--extra={name}" for name in extras]
    if project:
        args += [f"--group={name}" for name in groups]
    else:
        args += [f"--only-group={name}" for name in groups]
    try:
        session.run_install(*args, env={"UV_PROJECT_ENVIRONMENT": str(venv)}, external=True)
    except nox.command.CommandFailed:
        session.error("installing the locked dependencies failed (uv's message above). "
                      "After an edit of the dependencies in pyproject.toml, "
                      "`python3 -m nox -s lock` refreshes uv.lock.")
    stamp.write_text(digest, encoding="utf-8")


def _system_programs():
    """tests/system_programs.py, which needs only the standard library, loaded by path."""
    spec = importlib.util.spec_from_file_location("system_programs",
                                                  ROOT / "tests" / "system_programs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@nox.session(name="db", python=PYTHON)
def db(session: nox.Session) -> None:
    """Build the seeded embedded database (pass e.g. `-- --scale 10` to change the scale)."""
    _sync(session)
    session.run("holocron", "db", "build", *session.posargs)


@nox.session(name="build-book", python=PYTHON)
def build_book(session: nox.Session) -> None:
    """Build the seeded database when missing, execute the notebooks and write _build/html."""
    _sync(session, extras=("book",))
    session.run("holocron", "db", "build", "--if-missing", "--quiet")
    session.run("holocron", "book", "build", *session.posargs)


@nox.session(name="preview", venv_backend="none")
def preview(session: nox.Session) -> None:
    """Serve the book on 127.0.0.1, rebuild what an edit changed, reload the open page.

    It runs in the environment of `build-book`: Sphinx's saved state of the site names the
    installed packages' paths, so one environment lets either pick up where the other left.
    """
    _sync(session, extras=("book",), venv=BOOK_ENV)
    holocron = str(BOOK_ENV / "bin" / "holocron")
    session.run(holocron, "db", "build", "--if-missing", "--quiet", external=True)
    session.run(holocron, "book", "preview", *session.posargs, external=True)


@nox.session(name="tests", python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (arguments after `--` go to pytest).

    First the system programs the suite uses: on Debian or Ubuntu as root the missing ones
    are installed with .ci/install-system-packages.sh; elsewhere the session stops and
    prints the command to run.
    """
    _sync(session, extras=("book", "test"))
    programs = _system_programs()
    missing = programs.missing_programs()
    if missing and programs.can_install_here():
        session.log("installing missing system programs: " + "; ".join(missing))
        session.run("bash", str(programs.INSTALL_SCRIPT), external=True)
        missing = programs.missing_programs()
    if missing:
        session.error(programs.advice(missing))
    session.run("pytest", *_spread_fast_tier(session), env=_bytecode_kept(session))


def _bytecode_kept(session: nox.Session) -> dict[str, str]:
    """Compiled modules kept between runs, in the session's environment rather than beside
    the sources: where PYTHONDONTWRITEBYTECODE is set, every run would otherwise compile the
    library and rewrite every test module's asserts again (about 10 s of each collection)."""
    return {"PYTHONDONTWRITEBYTECODE": "",
            "PYTHONPYCACHEPREFIX": str(Path(session.virtualenv.location) / "pycache")}


def _spread_fast_tier(session: nox.Session) -> list[str]:
    """The fast tier (`-m "not slow"`) runs on every core with pytest-xdist, unless the
    arguments choose (`-n ...`). The full suite stays in one process: its cell-limit,
    heartbeat and timeout tests each expect a core of their own."""
    args = list(session.posargs)
    chose = any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args)
    if "not slow" in args and not chose:
        session.log("fast tier: the tests spread over every core (pytest-xdist -n auto)")
        return ["-n", "auto", *args]
    return args


@nox.session(name="lint", python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style with ruff (the locked version, without the project's dependencies)."""
    _sync(session, groups=("lint",), project=False)
    session.run("ruff", "check", "holocron_lib", "tests", "benchmarks", "notebooks_py",
                "noxfile.py")


@nox.session(name="notebooks", python=PYTHON)
def notebooks(session: nox.Session) -> None:
    """Write the paired .ipynb copies of notebooks_py/ (git-ignored) and keep them in sync."""
    _sync(session)
    session.run("holocron", "notebooks", "pair", *session.posargs)


@nox.session(name="lock", python=PYTHON)
def lock(session: nox.Session) -> None:
    """Refresh uv.lock from pyproject.toml (`-- --upgrade` moves every pin to the newest allowed)."""
    if session.venv_backend != "uv":
        session.install("uv")
    session.run("uv", "lock", *session.posargs)
