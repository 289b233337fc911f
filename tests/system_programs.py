"""The system programs the test suite uses, found on this machine, and what installs them.

Standard library only: the noxfile loads this file before any dependency is installed, and
the suite's conftest uses it to stop with one message instead of one error per test.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL_SCRIPT = ROOT / ".ci" / "install-system-packages.sh"
POSTGRES_PROGRAMS = ("initdb", "pg_ctl", "postgres")
SQLITE_ODBC_DRIVER = "SQLite3"  # the name Debian's libsqliteodbc registers
CHROMIUM_NAMES = ("chromium", "chromium-browser")
PG_URL_VARIABLE = "HOLOCRON_TEST_PG_URL"
POSTGRES_MISSING = ("PostgreSQL server programs (" + ", ".join(POSTGRES_PROGRAMS)
                    + "): not found by pg_config --bindir nor in /usr/lib/postgresql/*/bin")


def postgres_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: `pg_config --bindir`, then Debian's
    /usr/lib/postgresql/<version>/bin (newest first), then wherever PATH finds initdb."""
    candidates: list[Path] = []
    if shutil.which("pg_config"):
        try:
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                 timeout=10, check=False, cwd="/").stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out:
            candidates.append(Path(out))
    versions = Path("/usr/lib/postgresql")
    if versions.is_dir():
        def major(path: Path) -> tuple[int, str]:
            return (int(path.name) if path.name.isdigit() else -1, path.name)
        candidates += [p / "bin" for p in sorted(versions.iterdir(), key=major, reverse=True)]
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if all(os.access(folder / name, os.X_OK) for name in POSTGRES_PROGRAMS):
            return folder
    return None


def odbc_drivers() -> list[str]:
    """Driver names the unixODBC driver manager knows (`odbcinst -q -d`), [] without it."""
    if not shutil.which("odbcinst"):
        return []
    try:
        out = subprocess.run(["odbcinst", "-q", "-d"], capture_output=True, text=True,
                             timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip().strip("[]") for line in out.splitlines() if line.strip()]


def chromium_path() -> str | None:
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    return None


def missing_programs(needs: tuple[str, ...] = ("postgres", "odbc", "chromium")) -> list[str]:
    """One line per missing program among ``needs`` (postgres, odbc, chromium). With
    HOLOCRON_TEST_PG_URL set the tests use that server, so no server programs are needed."""
    missing = []
    if ("postgres" in needs and not os.environ.get(PG_URL_VARIABLE)
            and postgres_bindir() is None):
        missing.append(POSTGRES_MISSING)
    if "odbc" in needs:
        if ctypes.util.find_library("odbc") is None or not shutil.which("odbcinst"):
            missing.append("unixODBC (libodbc and odbcinst): not installed")
        elif SQLITE_ODBC_DRIVER not in odbc_drivers():
            missing.append(f"the SQLite ODBC driver: `odbcinst -q -d` does not list "
                           f"[{SQLITE_ODBC_DRIVER}]")
    if "chromium" in needs and chromium_path() is None:
        missing.append("Chromium: no " + " or ".join(CHROMIUM_NAMES) + " on PATH")
    return missing


def _os_release() -> dict[str, str]:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return {}
    pairs = (line.partition("=") for line in text.splitlines() if "=" in line)
    return {k: v.strip().strip('"') for k, _, v in pairs}


def is_debian_like() -> bool:
    info = _os_release()
    family = {info.get("ID", "")} | set(info.get("ID_LIKE", "").split())
    return bool(family & {"debian", "ubuntu"}) and shutil.which("apt-get") is not None


def can_install_here() -> bool:
    """The install script can run unattended: Debian or Ubuntu, as root."""
    return is_debian_like() and os.geteuid() == 0


def advice(missing: list[str]) -> str:
    """The message that stops a test run: what is missing and the exact command to run."""
    lines = ["The tests need system programs that are not installed:"]
    lines += [f"  - {item}" for item in missing]
    script = INSTALL_SCRIPT.relative_to(ROOT)
    if is_debian_like():
        sudo = "" if os.geteuid() == 0 else "sudo "
        lines.append(f"Install them with:  {sudo}bash {script}")
    else:
        lines.append(f"Install them with your system's package manager ({script} lists the "
                     "Debian packages: postgresql, unixodbc, odbcinst, libsqliteodbc, "
                     "chromium), then run the tests again.")
    if POSTGRES_MISSING in missing:
        lines.append(f"(Or point the tests at a running PostgreSQL server: {PG_URL_VARIABLE}="
                     "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE)")
    return "\n".join(lines)
