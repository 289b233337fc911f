"""T-SQL type families: the one classification of declared types that loading and translating share."""

from __future__ import annotations

__all__ = ["family"]

_FAMILIES = {
    "int": {"TINYINT", "SMALLINT", "INT", "INTEGER", "BIGINT"},
    "bit": {"BIT"},
    "number": {"DECIMAL", "NUMERIC", "FLOAT", "REAL", "MONEY", "SMALLMONEY"},
    "text": {"CHAR", "VARCHAR", "NCHAR", "NVARCHAR", "TEXT", "NTEXT", "XML", "SYSNAME"},
    "temporal": {"DATE", "TIME", "DATETIME", "DATETIME2", "SMALLDATETIME", "DATETIMEOFFSET"},
    "uuid": {"UNIQUEIDENTIFIER"},
    "binary": {"BINARY", "VARBINARY", "IMAGE", "ROWVERSION", "TIMESTAMP"},
}


def family(tsql_type: str) -> str:
    """The type family of a T-SQL type such as ``NVARCHAR(200)`` or ``DECIMAL(5,4)``."""
    base = tsql_type.split("(")[0].strip().strip("[]").upper()
    for name, members in _FAMILIES.items():
        if base in members:
            return name
    return "other"
