"""Stored-procedure emulations for the embedded DuckDB backend, registered by procedure name.

``call_emulated(db, "llm.usp_claim_next_job", {"worker_id": "w1"})`` runs the emulation in
one transaction and returns the same result sets (columns, order, count) as ``EXEC`` on
SQL Server. ``list_procedures()`` describes every registered procedure.
"""

from __future__ import annotations

from holocron_lib.db.procedures import dbo, llm, queue_monitoring  # noqa: F401  (importing registers the emulations)
from holocron_lib.db.procedures.base import (
    Param,
    Procedure,
    ResultSets,
    bind_params,
    call_emulated,
    get_procedure,
    list_procedures,
    normalize_name,
    procedure,
)

__all__ = [
    "Param",
    "Procedure",
    "ResultSets",
    "bind_params",
    "call_emulated",
    "get_procedure",
    "list_procedures",
    "normalize_name",
    "procedure",
]
