"""Holocron Notebooks library: the notebook-facing surface is `connect`, `query`, `show`
and `record`.

Imports are lazy so that a notebook kernel pays only for what it uses.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["connect", "query", "show", "record", "load_settings", "__version__"]


def __getattr__(name: str):
    if name == "connect":
        # lazy: every holocron_lib import runs this file, so it loads a module only when asked
        from holocron_lib.db.connection import connect

        return connect
    if name == "query":
        # lazy, as above
        from holocron_lib.db.connection import query

        return query
    if name == "show":
        # lazy, as above
        from holocron_lib.notebook.display import show

        return show
    if name == "record":
        # lazy, as above
        from holocron_lib.execution.results import record

        return record
    if name == "load_settings":
        # lazy, as above
        from holocron_lib.settings import load_settings

        return load_settings
    raise AttributeError(f"module 'holocron_lib' has no attribute {name!r}")
