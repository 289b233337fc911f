"""Local variables, table variables and temporary tables of a T-SQL batch, on DuckDB.

``DECLARE @n INT = 5`` becomes a DuckDB session variable (``SET VARIABLE``) read back with
``getvariable``; ``SET @n = ...`` and ``SELECT @n = ... FROM ...`` assign it, converting to
the declared type as SQL Server does. ``DECLARE @t TABLE (...)`` becomes a temporary table
named ``"@t"``, and ``#t`` a temporary table named ``"#t"`` (never the bare name, which would
shadow a real table of the same name). Variables live for one batch: a name not declared
earlier in the same batch is refused with SQL Server's own message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlglot import exp

from holocron_lib.errors import TranslationError
from holocron_lib.tsql.inference import TypeOracle
from holocron_lib.tsql.sqltypes import SqlType, from_datatype

__all__ = ["BatchScope", "expand_compound_set", "fix_variable", "prepare_statement"]

_PREFIX = "tsql_"
_COMPOUND_SET = re.compile(r"^(\s*SET\s+)(@[\w@#$]+)\s*([-+*/%&|^])=", re.I)


@dataclass
class BatchScope:
    """What earlier statements of the batch declared: variables, table variables, #tables."""

    variables: dict[str, SqlType | None] = field(default_factory=dict)
    declared: dict[str, exp.DataType] = field(default_factory=dict)
    tables: dict[str, dict[str, SqlType | None]] = field(default_factory=dict)

    def end_batch(self) -> None:
        """A GO line: variables and table variables end, temporary tables stay."""
        self.variables.clear()
        self.declared.clear()
        for name in [n for n in self.tables if n.startswith("@")]:
            del self.tables[name]


def expand_compound_set(text: str) -> str:
    """``SET @x += 1`` as ``SET @x = @x + (1)``, which the parser reads."""
    found = _COMPOUND_SET.match(text)
    if not found:
        return text
    head, name, op = found.groups()
    return f"{head}{name} = {name} {op} ({text[found.end():].strip()})"


def prepare_statement(original: str, tree: exp.Expression,
                      scope: BatchScope) -> list[exp.Expression]:
    """The DuckDB statements for one T-SQL statement, names checked against ``scope``."""
    if isinstance(tree, exp.Declare):
        return _declare(original, tree, scope)
    _check_names(original, tree, scope)
    if isinstance(tree, exp.Set) and _assigned(tree.expressions[0]) is not None:
        return [_assign(original, scope, _assigned(item), item.this.expression)
                for item in tree.expressions]
    if isinstance(tree, exp.Select) and any(_is_assignment(p) for p in tree.expressions):
        return _select_assign(original, tree, scope)
    _note_temp_table(tree, scope)
    return [tree]


def fix_variable(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    """``@x`` -> ``getvariable('tsql_x')``; ``@t``/``#t`` tables -> their temporary tables."""
    if isinstance(node, exp.Parameter) and isinstance(node.this, exp.Var) and (
            node.name.lower() in oracle.variables):
        read = exp.Anonymous(this="getvariable",
                             expressions=[exp.Literal.string(_duck_name(node.name))])
        return oracle.carry(node, read)
    if isinstance(node, exp.Table) and isinstance(node.this, exp.Parameter):
        node.set("this", exp.to_identifier("@" + node.this.name.lower(), quoted=True))
        return node
    if isinstance(node, exp.Identifier) and (node.args.get("temporary")
                                             or node.args.get("global_")):
        hashes = "##" if node.args.get("global_") else "#"
        return exp.to_identifier(hashes + node.name, quoted=True)
    return node


# --- DECLARE, SET, SELECT @x = ------------------------------------------------------------


def _declare(original: str, tree: exp.Declare, scope: BatchScope) -> list[exp.Expression]:
    out: list[exp.Expression] = []
    for item in tree.expressions:
        targets = item.this if isinstance(item.this, list) else [item.this]
        name = targets[0].name.lower()
        kind = item.args.get("kind")
        if isinstance(kind, exp.Schema):
            columns = {c.name.lower(): from_datatype(c.args["kind"])
                       for c in kind.expressions if isinstance(c, exp.ColumnDef)
                       and isinstance(c.args.get("kind"), exp.DataType)}
            scope.tables["@" + name] = columns
            table = exp.Table(this=exp.to_identifier("@" + name, quoted=True))
            out.append(exp.Create(this=exp.Schema(this=table, expressions=kind.expressions),
                                  kind="TABLE", replace=True,
                                  properties=exp.Properties(
                                      expressions=[exp.TemporaryProperty()])))
            continue
        if not isinstance(kind, exp.DataType):
            raise TranslationError(original, f"DECLARE of @{name} needs a data type")
        default = item.args.get("default")
        value = default if isinstance(default, exp.Expression) else exp.Null()
        if isinstance(default, exp.Expression):
            _check_names(original, default, scope)
        scope.variables[name] = from_datatype(kind)
        scope.declared[name] = kind
        out.append(_set_variable(name, exp.Cast(this=value, to=kind.copy())))
    return out


def _assign(original: str, scope: BatchScope, name: str, value: exp.Expression) -> exp.Set:
    return _set_variable(name, exp.Cast(this=value, to=scope.declared[name].copy()))


def _select_assign(original: str, tree: exp.Select, scope: BatchScope) -> list[exp.Expression]:
    """``SELECT @a = x, @b = y FROM ...``: each variable takes its value from the last row;
    with no row it keeps its value, as in SQL Server."""
    if not all(_is_assignment(p) for p in tree.expressions):
        raise TranslationError(original, "A SELECT statement that assigns a value to a variable "
                               "must not be combined with data-retrieval operations.")
    pairs = [(p.this.name.lower(), p.expression) for p in tree.expressions]
    if not tree.args.get("from_"):
        return [_assign(original, scope, name, value) for name, value in pairs]
    assigned = {name for name, _ in pairs}
    read = {p.name.lower() for p in tree.find_all(exp.Parameter) if isinstance(p.this, exp.Var)
            and not _is_assignment(p.parent)}
    if assigned & read:
        raise TranslationError(original, "SELECT @v = ... FROM that reads the variables it "
                               "assigns (a running total or a string built row by row) is not "
                               "supported on the embedded backend; use SUM or STRING_AGG")
    order = tree.args.get("order")
    out: list[exp.Expression] = []
    for name, value in pairs:
        rows = tree.copy()
        numbering = exp.Window(this=exp.RowNumber(),
                               order=order.copy() if order is not None else None)
        rows.set("expressions", [exp.alias_(exp.Cast(this=value.copy(),
                                                      to=scope.declared[name].copy()), "v"),
                                 exp.alias_(numbering, "rn")])
        if not rows.args.get("limit"):
            rows.set("order", None)
        last = exp.Case(ifs=[exp.If(this=exp.EQ(this=exp.Count(this=exp.Star()),
                                                expression=exp.Literal.number(0)),
                                    true=_read(name))],
                        default=exp.Anonymous(this="arg_max_null",
                                              expressions=[exp.column("v", "q"),
                                                           exp.column("rn", "q")]))
        pick = exp.select(last).from_(rows.subquery("q"))
        out.append(_set_variable(name, pick.subquery()))
    return out


def _set_variable(name: str, value: exp.Expression) -> exp.Set:
    item = exp.SetItem(this=exp.EQ(this=exp.var(_duck_name(name)), expression=value),
                       kind="VARIABLE")
    return exp.Set(expressions=[item])


def _read(name: str) -> exp.Expression:
    return exp.Anonymous(this="getvariable", expressions=[exp.Literal.string(_duck_name(name))])


def _duck_name(name: str) -> str:
    return _PREFIX + name.lower()


def _assigned(item: exp.Expression) -> str | None:
    if isinstance(item, exp.SetItem) and isinstance(item.this, exp.EQ) and isinstance(
            item.this.this, exp.Parameter):
        return item.this.this.name.lower()
    return None


def _is_assignment(node: exp.Expression | None) -> bool:
    return isinstance(node, exp.EQ) and isinstance(node.this, exp.Parameter) and isinstance(
        node.parent, exp.Select) and node.arg_key == "expressions"


# --- names --------------------------------------------------------------------------------


def _check_names(original: str, tree: exp.Expression, scope: BatchScope) -> None:
    for node in tree.walk():
        if not isinstance(node, exp.Parameter) or not isinstance(node.this, exp.Var):
            continue
        name = node.name.lower()
        if name.startswith("hcparam"):
            continue
        if isinstance(node.parent, exp.Table):
            if "@" + name not in scope.tables:
                raise TranslationError(original, f'Must declare the table variable "@{node.name}".')
        elif name not in scope.variables:
            raise TranslationError(original, f'Must declare the scalar variable "@{node.name}".')


def _note_temp_table(tree: exp.Expression, scope: BatchScope) -> None:
    """Remember the column types of ``CREATE TABLE #t (...)`` for later statements."""
    if not isinstance(tree, exp.Create) or not isinstance(tree.this, exp.Schema):
        return
    table = tree.this.this
    ident = table.this if isinstance(table, exp.Table) else None
    if not isinstance(ident, exp.Identifier) or not ident.args.get("temporary"):
        return
    scope.tables["#" + ident.name.lower()] = {
        c.name.lower(): from_datatype(c.args["kind"]) for c in tree.this.expressions
        if isinstance(c, exp.ColumnDef) and isinstance(c.args.get("kind"), exp.DataType)}
