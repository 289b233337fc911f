"""The procedure registry: declared parameters, name normalisation, binding and dispatch.

Each emulation is registered under the real procedure's two-part name with the parameters
of its ``CREATE PROCEDURE`` header, so a call that SQL Server would reject (unknown or
missing parameter) is rejected here too, before anything touches the database.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from holocron_lib.db.base import ResultSets
from holocron_lib.errors import (
    ProcedureFailedError,
    ProcedureNotEmulatedError,
    ProcedureParameterError,
    close_matches,
)

_NOTHING = object()


@dataclass(frozen=True)
class Param:
    """One ``@parameter`` of a procedure header: name without ``@``, T-SQL type, default."""

    name: str
    sql_type: str
    required: bool = False
    default: Any = None
    output: bool = False
    help: str = ""

    def describe(self) -> str:
        """The parameter as it reads in the procedure header."""
        text = f"@{self.name} {self.sql_type}"
        if not self.required:
            text += f" = {_tsql_literal(self.default)}"
        return text + (" OUTPUT" if self.output else "")


@dataclass(frozen=True)
class Procedure:
    """A registered emulation: what SQL Server's catalog would say about it, plus the body."""

    name: str
    params: tuple[Param, ...]
    returns: tuple[tuple[str, ...], ...]
    func: Callable = field(repr=False, compare=False)
    summary: str = ""
    note: str = ""

    def param_names(self) -> list[str]:
        return [p.name for p in self.params]


_REGISTRY: dict[str, Procedure] = {}


def normalize_name(name: str) -> str:
    """The registry key: ``[LLM].[usp_X]`` → ``llm.usp_x``; a bare name is in ``dbo``."""
    parts = [p.strip().strip('[]"` ').lower() for p in str(name).strip().split(".")]
    if len(parts) == 1:
        parts = ["dbo", parts[0]]
    elif len(parts) == 3:  # database.schema.name; "Holocron..usp_x" means the dbo schema
        parts = [parts[1] or "dbo", parts[2]]
    if len(parts) != 2 or not all(parts):
        raise ProcedureNotEmulatedError(str(name), ())
    return f"{parts[0]}.{parts[1]}"


def procedure(name: str, params: Iterable[Param] = (), returns=(), note: str = ""):
    """Register the decorated function as the emulation of procedure ``name``."""

    def register(func: Callable) -> Callable:
        key = normalize_name(name)
        doc = (func.__doc__ or "").strip().splitlines()
        _REGISTRY[key] = Procedure(
            name=key,
            params=tuple(params),
            returns=tuple(tuple(cols) for cols in returns),
            func=func,
            summary=doc[0] if doc else "",
            note=note,
        )
        return func

    return register


def get_procedure(name: str) -> Procedure:
    """The registered emulation, or ProcedureNotEmulatedError naming close matches."""
    key = normalize_name(name)
    found = _REGISTRY.get(key)
    if found is not None:
        return found
    short = {k.split(".", 1)[1]: k for k in _REGISTRY}
    hits = close_matches(key, _REGISTRY) or [
        short[h] for h in close_matches(key.split(".", 1)[1], short)
    ]
    raise ProcedureNotEmulatedError(str(name), hits)


def list_procedures() -> list[dict]:
    """Every emulated procedure with its parameters and result-set columns, sorted by name."""
    out = []
    for proc in sorted(_REGISTRY.values(), key=lambda p: p.name):
        out.append(
            {
                "name": proc.name,
                "summary": proc.summary,
                "note": proc.note,
                "params": [
                    {
                        "name": p.name,
                        "type": p.sql_type,
                        "required": p.required,
                        "default": p.default,
                        "output": p.output,
                        "help": p.help,
                    }
                    for p in proc.params
                ],
                "result_sets": [list(cols) for cols in proc.returns],
            }
        )
    return out


def bind_params(proc: Procedure, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Match supplied arguments to declared parameters (``@`` optional, any case) and coerce."""
    declared = {p.name.lower(): p for p in proc.params}
    allowed = tuple(f"@{p.name}" for p in proc.params)
    supplied: dict[str, Any] = {}
    for raw, value in (params or {}).items():
        key = str(raw).lstrip("@").lower()
        if key not in declared:
            raise ProcedureParameterError(
                proc.name,
                str(raw),
                f"@{key} is not a parameter for procedure {proc.name}",
                allowed,
            )
        if key in supplied:
            raise ProcedureParameterError(proc.name, str(raw), "supplied more than once", allowed)
        supplied[key] = value
    bound: dict[str, Any] = {}
    for key, param in declared.items():
        value = supplied.get(key, _NOTHING)
        if value is _NOTHING:
            if param.required:
                raise ProcedureParameterError(
                    proc.name,
                    param.name,
                    f"procedure {proc.name} expects parameter '@{param.name}', "
                    "which was not supplied",
                    allowed,
                )
            value = param.default
        bound[param.name] = coerce(proc.name, param, value)
    return bound


def call_emulated(db, name: str, params: Mapping[str, Any] | None = None) -> ResultSets:
    """Run the emulation of ``name`` in one transaction; returns its result sets in order."""
    proc = get_procedure(name)
    values = bind_params(proc, params)
    if hasattr(db, "transaction") and not getattr(db, "in_transaction", False):
        with db.transaction() as tx:
            result = proc.func(tx, **values)
    else:  # already inside a transaction: join it, as an EXEC inside BEGIN TRAN does
        result = proc.func(db, **values)
    return result if isinstance(result, ResultSets) else ResultSets(result or [])


_TYPE_RE = re.compile(r"^\s*(\w+)\s*(?:\(\s*(\w+)\s*(?:,\s*\d+\s*)?\))?\s*$")


def coerce(procedure_name: str, param: Param, value: Any) -> Any:
    """Convert ``value`` to the parameter's T-SQL type as SQL Server's implicit conversion would."""
    if value is None:
        return None
    match = _TYPE_RE.match(param.sql_type)
    base = match.group(1).upper() if match else param.sql_type.upper()
    length = match.group(2) if match else None

    def fail(reason: str):
        return ProcedureParameterError(
            procedure_name, param.name, f"{reason} (declared {param.sql_type})"
        )

    if base in ("INT", "BIGINT", "SMALLINT", "TINYINT"):
        try:
            if isinstance(value, float) and not value.is_integer():
                return int(value)  # T-SQL truncates a fractional value assigned to INT
            return int(str(value).strip()) if isinstance(value, str) else int(value)
        except (TypeError, ValueError):
            raise fail(f"cannot convert {value!r} to {base}") from None
    if base == "BIT":
        if isinstance(value, str):
            text = value.strip().lower()
            if text in ("true", "1"):
                return 1
            if text in ("false", "0"):
                return 0
            raise fail(f"cannot convert {value!r} to BIT (use 0/1 or true/false)")
        try:
            return 1 if value else 0
        except (TypeError, ValueError):
            raise fail(f"cannot convert {value!r} to BIT") from None
    if base in ("DECIMAL", "NUMERIC", "FLOAT", "REAL"):
        try:
            return float(value) if base in ("FLOAT", "REAL") else Decimal(str(value))
        except (TypeError, ValueError, InvalidOperation):
            raise fail(f"cannot convert {value!r} to {base}") from None
    if base == "UNIQUEIDENTIFIER":
        try:
            return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value).strip()))
        except (TypeError, ValueError, AttributeError):
            raise fail(f"conversion failed when converting {value!r} to uniqueidentifier") from None
    if base in ("NVARCHAR", "VARCHAR", "NCHAR", "CHAR"):
        if isinstance(value, (dict, list, tuple, set, bytes)):
            raise fail(f"expects text, got {type(value).__name__} (pass JSON as text)")
        text = value if isinstance(value, str) else str(value)
        if length and length.upper() != "MAX":
            text = text[: int(length)]  # SQL Server silently truncates parameter values
        return text
    return value


def utc_now() -> datetime:
    """SYSUTCDATETIME() taken once per call, as a procedure's ``@now`` variable is."""
    return datetime.now(UTC).replace(tzinfo=None)


def top_count(proc: str, value) -> int:
    """Check a ``TOP (@n)`` argument as SQL Server does before running the statement."""
    if value is None or value < 0:
        raise ProcedureFailedError(
            proc, "A TOP N or FETCH rows count value may not be negative or NULL."
        )
    return int(value)


def _tsql_literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)
