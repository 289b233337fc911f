"""The environment a notebook's kernel starts with, the same for the book and for runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["bytecode_cache", "kernel_environment"]

PYCACHE_DIR = Path(".holocron") / "pycache"


def bytecode_cache(root: Path) -> Path | None:
    """Where compiled modules are kept when the environment says not to write them beside the
    sources (``PYTHONDONTWRITEBYTECODE``): in the project's git-ignored ``.holocron/pycache``.

    Without any bytecode cache every process compiles every module it imports from source,
    Sphinx's and pandas' included, on every build (seconds per process). Applies to this
    process from now on and, through ``kernel_environment``, to the kernels it starts.
    Returns the folder, or None when bytecode is written as usual."""
    if not sys.dont_write_bytecode and sys.pycache_prefix is None:
        return None
    if sys.pycache_prefix is None:
        sys.pycache_prefix = str(root / PYCACHE_DIR)
    sys.dont_write_bytecode = False
    return Path(sys.pycache_prefix)


def kernel_environment(root: Path) -> dict[str, str]:
    """Environment for the build and its kernels: bounded threads, inline charts, project home."""
    env = dict(os.environ)
    env.update(
        HOLOCRON_HOME=str(root),
        # Kernels draw inline, so every chart becomes an image output of its cell.
        MPLBACKEND="module://matplotlib_inline.backend_inline",
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        PYTHONWARNINGS="ignore::DeprecationWarning",
    )
    if sys.pycache_prefix is not None and not sys.dont_write_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix
    return env
