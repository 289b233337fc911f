"""The environment a notebook's kernel starts with, the same for the book and for runs."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["kernel_environment"]


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
    return env
