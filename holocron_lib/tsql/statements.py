"""Statement forms T-SQL writes differently from DuckDB: OUTPUT, PIVOT lists, recursive CTEs,
query hints.

- ``OUTPUT inserted.x`` of an INSERT or UPDATE and ``OUTPUT deleted.x`` of a DELETE become
  ``RETURNING x``; ``OUTPUT deleted.x`` of an UPDATE (the old value) and ``OUTPUT ... INTO``
  are refused;
- ``PIVOT (... FOR c IN ([a], [b]))`` names values, not columns: they become the strings
  ``'a'``, ``'b'``;
- a CTE that reads itself is ``WITH RECURSIVE``;
- ``OPTION (MAXRECURSION n)`` is dropped (DuckDB has no recursion limit, so a query SQL Server
  stops at the limit runs on); other query hints are refused.
"""

from __future__ import annotations

from sqlglot import exp

from holocron_lib.errors import TranslationError

__all__ = ["rewrite_statement"]


def rewrite_statement(original: str, tree: exp.Expression) -> exp.Expression:
    returning = tree.args.get("returning")
    if isinstance(returning, exp.Returning):
        _output(original, tree, returning)
    for node in list(tree.walk()):
        if isinstance(node, exp.Pivot) and not node.args.get("unpivot"):
            _pivot_values(node)
        elif isinstance(node, exp.With) and not node.args.get("recursive") and any(
                _reads_itself(cte) for cte in node.expressions):
            node.set("recursive", True)
        options = node.args.get("options")
        if options and isinstance(options, list):
            _options(original, node, options)
    return tree


def _output(original: str, tree: exp.Expression, returning: exp.Returning) -> None:
    if returning.args.get("into"):
        raise TranslationError(original, "OUTPUT ... INTO is not supported on the embedded "
                                         "backend; read the OUTPUT rows and insert them")
    pseudo = "deleted" if isinstance(tree, exp.Delete) else "inserted"
    for column in list(returning.find_all(exp.Column)):
        table = column.table.lower()
        if table in ("inserted", "deleted"):
            if table != pseudo:
                raise TranslationError(original, f"OUTPUT {table}.{column.name} of "
                                                 f"{type(tree).__name__.upper()} is not "
                                                 "supported on the embedded backend")
            column.set("table", None)


def _pivot_values(pivot: exp.Pivot) -> None:
    for field in pivot.args.get("fields") or []:
        if not isinstance(field, exp.In):
            continue
        values = []
        for value in field.expressions:
            if isinstance(value, exp.Column) and not value.table:
                values.append(exp.Literal.string(value.name))
            else:
                values.append(value)
        field.set("expressions", values)


def _reads_itself(cte: exp.CTE) -> bool:
    name = cte.alias_or_name.lower()
    return any(t.name.lower() == name and not t.db for t in cte.this.find_all(exp.Table))


def _options(original: str, query: exp.Expression, options: list) -> None:
    for option in options:
        name = option.this.name.upper() if isinstance(option, exp.QueryOption) else ""
        if name != "MAXRECURSION":
            raise TranslationError(original, f"query hint OPTION ({option.sql(dialect='tsql')}) "
                                             "is not supported on the embedded backend")
    query.set("options", None)
