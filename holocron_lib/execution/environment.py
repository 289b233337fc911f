"""The environment a notebook's kernel starts with, the same for the book and for runs.

Built from an allow-list, not copied: a kernel runs whatever a notebook (or a parameter)
asks, so it gets only what `connect()` and the notebooks need. The API's tokens, the run
store's URL and every variable not named here stay with the server. The SQL Server
variables pass only when that backend is configured.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["book_environment", "bytecode_cache", "kernel_environment"]

PYCACHE_DIR = Path(".holocron") / "pycache"


def bytecode_cache(root: Path) -> Path | None:
    """Where compiled modules are kept when the environment says not to write them beside the
    sources (``PYTHONDONTWRITEBYTECODE``): in the virtual environment (``pycache`` in it,
    where they would otherwise be, so every project and clone using it shares them), else
    in the project's git-ignored ``.holocron/pycache``.

    Without any bytecode cache every process compiles every module it imports from source,
    Sphinx's and pandas' included, on every build (seconds per process). Applies to this
    process from now on and, through ``kernel_environment``, to the kernels it starts.
    Returns the folder, or None when bytecode is written as usual."""
    if not sys.dont_write_bytecode and sys.pycache_prefix is None:
        return None
    if sys.pycache_prefix is None:
        in_venv = sys.prefix != sys.base_prefix
        sys.pycache_prefix = str(Path(sys.prefix) / "pycache" if in_venv else root / PYCACHE_DIR)
    sys.dont_write_bytecode = False
    return Path(sys.pycache_prefix)

# What a Python process, Jupyter and matplotlib need to start and find their files.
SYSTEM = (
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TERM",
    "TMPDIR", "TEMP", "TMP", "SYSTEMROOT", "COMSPEC", "PATHEXT", "WINDIR",
    "PYTHONPATH", "PYTHONHASHSEED", "PYTHONUTF8", "PYTHONIOENCODING", "VIRTUAL_ENV",
    "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
    "JUPYTER_PLATFORM_DIRS", "IPYTHONDIR", "MPLCONFIGDIR",
    "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR",
    "SSL_CERT_FILE", "SSL_CERT_DIR", "NO_PROXY", "no_proxy",
    "LD_LIBRARY_PATH", "COVERAGE_PROCESS_START",
)
SYSTEM_PREFIXES = ("LC_",)
# The settings the notebook side reads (holocron_lib.settings); not the run service's.
NOTEBOOK_SETTINGS = (
    "HOLOCRON_DB_PATH", "HOLOCRON_WORK_DB_PATH", "HOLOCRON_DB_MODE", "HOLOCRON_DB_WAIT",
    "HOLOCRON_SEED_SCALE", "LAKE_ROOT", "OLLAMA_BASE_URL", "OLLAMA_EMBED_MODEL",
    "HOLOCRON_LESSONS_DIR",
)
# The book's kernels work on throwaway copies of the seeded file; a run's kernels on the
# working database (db/workdb.py says which path opens which).
BOOK_DB_MODE = "copy"
# Only with the SQL Server backend: its login and the ODBC driver manager's files.
SQLSERVER = ("ODBCSYSINI", "ODBCINI", "ODBCINSTINI")
SQLSERVER_PREFIX = "SEED_SQLSERVER_"
# Set for every kernel: bounded threads, inline charts, quiet start-up.
FIXED = {
    # Kernels draw inline, so every chart becomes an image output of its cell.
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
}


def _sqlserver_configured(root: Path, environ: Mapping[str, str]) -> bool:
    """True when the settings (environment, then the project's `.env`) name SQL Server."""
    keys = ("SEED_SQLSERVER_HOST", "SEED_SQLSERVER_CONN_STR")
    if any(environ.get(k) for k in keys):
        return True
    dotenv = root / ".env"
    if not dotenv.is_file():
        return False
    from dotenv import dotenv_values

    values = dotenv_values(dotenv)
    return any(values.get(k) for k in keys)


def kernel_environment(root: Path, environ: Mapping[str, str] | None = None, *,
                       db_mode: str | None = None) -> dict[str, str]:
    """The allow-listed environment for the book's and the runs' kernels, home ``root``.

    ``db_mode`` overrides HOLOCRON_DB_MODE (see `book_environment`)."""
    source = os.environ if environ is None else environ
    sqlserver = _sqlserver_configured(Path(root), source)
    env: dict[str, str] = {}
    for key, value in source.items():
        if (key in SYSTEM or key.startswith(SYSTEM_PREFIXES) or key in NOTEBOOK_SETTINGS
                or (sqlserver and (key.startswith(SQLSERVER_PREFIX) or key in SQLSERVER))):
            env[key] = value
    env.update(FIXED, HOLOCRON_HOME=str(root))
    if db_mode is not None:
        env["HOLOCRON_DB_MODE"] = db_mode
    if sys.pycache_prefix is not None and not sys.dont_write_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix
    return env


def book_environment(root: Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The kernels' environment for the book (its build and live preview): every connection
    a throwaway copy of the seeded file, so a build never writes the working database."""
    return kernel_environment(root, environ, db_mode=BOOK_DB_MODE)
