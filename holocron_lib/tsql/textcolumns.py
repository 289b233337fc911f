"""Which column references in a statement are text, by the schema's own table definitions.

T-SQL's ``+`` concatenates when its operands are strings; DuckDB's only adds. A literal or a
string function shows the intent in the text itself, but ``DisplayName + EntityType`` needs
the declared column types, which the translator otherwise never sees. Only the project's
tables are known; a column of a CTE, a derived table or a temporary table stays unknown, and
``+`` on it is left as written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlglot import exp

__all__ = ["ColumnTypes", "text_column_test"]


@dataclass(frozen=True, eq=False)
class ColumnTypes:
    """What the translator knows of the tables: ``"schema.table"`` -> column -> is it text.

    Names are lower-cased. The schema package builds the one instance for the project's
    tables (``schema.ddl.column_types()``); it hashes by identity, so translations of the
    same text with the same tables share a cache entry.
    """

    text: Mapping[str, Mapping[str, bool]]


NO_TABLES = ColumnTypes({})


def text_column_test(tree: exp.Expression,
                     columns: ColumnTypes = NO_TABLES) -> Callable[[exp.Expression], bool]:
    """A test: is this node a column of a project table in ``tree`` declared as text?

    A qualified column is looked up through its table alias or name; an unqualified one
    counts as text when every table of the statement that has a column of that name
    declares it text (SQL Server would reject it as ambiguous otherwise).
    """
    declared = columns.text
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    sources: dict[str, str] = {}
    for table in tree.find_all(exp.Table):
        name = table.name.lower()
        if not name or (not table.db and name in ctes):
            continue
        full = f"{(table.db or 'dbo').lower()}.{name}"
        if full in declared:
            sources[table.alias_or_name.lower()] = full
            sources.setdefault(name, full)

    def is_text(node: exp.Expression) -> bool:
        if not isinstance(node, exp.Column) or not sources:
            return False
        column, qualifier = node.name.lower(), node.table.lower()
        if qualifier:
            full = sources.get(qualifier)
            return full is not None and declared[full].get(column, False)
        found = [declared[full][column] for full in set(sources.values())
                 if column in declared[full]]
        return bool(found) and all(found)

    return is_text
