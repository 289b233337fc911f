"""What the translator knows of the tables' columns, by the schema's own table definitions.

T-SQL's ``+`` concatenates when its operands are strings, ``=`` ignores trailing spaces on
strings, a cast from a decimal truncates: the meaning of the text depends on the declared
column types, which the translator otherwise never sees. The caller hands them over as a
``ColumnTypes``; only those tables are known (``inference`` follows CTEs, derived tables,
temporary tables and table variables of the statement itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from holocron_lib.tsql.types import family

__all__ = ["NOT_TEXT", "NO_TABLES", "ColumnTypes"]

# The type of a column known only to be something other than text.
NOT_TEXT = "NOT_TEXT"


@dataclass(frozen=True, eq=False)
class ColumnTypes:
    """What the translator knows of the tables: ``"schema.table"`` -> column -> is it text.

    Names are lower-cased. ``declared`` optionally holds the declared T-SQL type of each
    column (``"NVARCHAR(200)"``, ``"DECIMAL(5,4)"``), which lets the translator follow SQL
    Server's conversions; build both with ``from_declared``. An instance hashes by
    identity, so translations of the same text with the same tables share a cache entry.
    """

    text: Mapping[str, Mapping[str, bool]]
    declared: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def from_declared(cls, declared: Mapping[str, Mapping[str, str]]) -> ColumnTypes:
        """From ``"schema.table"`` -> column -> declared T-SQL type (any case)."""
        lowered = {t.lower(): {c.lower(): ty for c, ty in cols.items()}
                   for t, cols in declared.items()}
        text = {t: {c: family(ty) == "text" for c, ty in cols.items()}
                for t, cols in lowered.items()}
        return cls(text, lowered)

    def type_of(self, table: str, column: str) -> str | None:
        """The declared type of ``column`` (``NVARCHAR`` or ``NOT_TEXT`` when only that is
        known), or None for a column the translator was not told of."""
        cols = self.declared.get(table)
        if cols is not None and column in cols:
            return cols[column]
        flags = self.text.get(table)
        if flags is not None and column in flags:
            return "NVARCHAR" if flags[column] else NOT_TEXT
        return None

    def has_table(self, table: str) -> bool:
        return table in self.text or table in self.declared


NO_TABLES = ColumnTypes({})
