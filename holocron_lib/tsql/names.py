"""Names in SQL text: quoting identifiers and string literals, reading qualified names.

Two quoting styles, because two kinds of SQL text exist: T-SQL, which goes through
``Database`` (unchanged to SQL Server, translated for DuckDB), takes brackets; DuckDB SQL,
which goes straight to a DuckDB connection (DDL, the seed loader, catalog queries), takes
double quotes. Each function quotes every part it is given, so a dotted name is passed as
its parts: ``quote_tsql(*split_name("dbo.DimEntity"))``.
"""

from __future__ import annotations

import re

__all__ = ["NAME_RE", "quote_duckdb", "quote_tsql", "split_name", "string_literal"]

_NAME_PART = r"(?:\[[^\]]+\]|\"[^\"]+\"|\w+)"
NAME_RE = re.compile(rf"^{_NAME_PART}(?:\s*\.\s*{_NAME_PART}){{0,2}}$")
"""A one- to three-part object name, each part bare, bracketed or double-quoted."""


def quote_tsql(*parts: str) -> str:
    """``[part].[part]`` with each ``]`` doubled: any text is safe as a T-SQL identifier."""
    if not parts:
        raise ValueError("quote_tsql needs at least one name part")
    return ".".join("[" + str(p).replace("]", "]]") + "]" for p in parts)


def quote_duckdb(*parts: str) -> str:
    """``"part"."part"`` with each ``"`` doubled, for SQL that goes straight to DuckDB."""
    if not parts:
        raise ValueError("quote_duckdb needs at least one name part")
    return ".".join('"' + str(p).replace('"', '""') + '"' for p in parts)


def string_literal(text: str) -> str:
    """``'text'`` with each ``'`` doubled; the same in T-SQL and DuckDB."""
    return "'" + str(text).replace("'", "''") + "'"


def split_name(name: str, default_schema: str = "dbo") -> tuple[str, str]:
    """``[dbo].[DimEntity]`` / ``dbo.DimEntity`` / ``DimEntity`` → ``("dbo", "DimEntity")``.

    A three-part name loses its database part; an empty schema (``db..name``) is the default.
    """
    parts = [p.strip().strip('[]"` ') for p in str(name).strip().split(".")]
    if len(parts) == 1:
        return default_schema, parts[0]
    return parts[-2] or default_schema, parts[-1]
