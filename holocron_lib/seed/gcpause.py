"""Pauses Python's cycle collector while a build makes millions of short-lived containers.

Generating and loading seed rows creates dicts and lists by the million and frees them by
reference count; the collector would walk the growing heap again and again for nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable cyclic garbage collection inside the block (nested use is fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
