"""The T-SQL type of each expression of a statement, as far as the text and the tables tell.

A column's type comes from the project's table definitions (``ColumnTypes``), from the select
list of a CTE or derived table it is read from, or from a temporary table or table variable
declared earlier in the batch; a ``@variable`` has its declared type. Literals, casts,
operators and the common functions follow SQL Server's rules. Anything else is unknown
(None), and the rewrites then either leave the text as written or let a typed DuckDB macro
decide at bind time.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlglot import exp

from holocron_lib.tsql.sqltypes import (
    SqlType,
    arithmetic_type,
    from_datatype,
    higher,
    parse_type,
)
from holocron_lib.tsql.textcolumns import NO_TABLES, ColumnTypes

__all__ = ["TypeOracle", "is_assignment"]

_INT, _BIGINT = SqlType("int"), SqlType("bigint")
_NVARCHAR, _VARCHAR = SqlType("nvarchar", length=4000), SqlType("varchar", length=8000)
_DATETIME, _FLOAT, _BIT = SqlType("datetime"), SqlType("float"), SqlType("bit")
_ARITHMETIC = {exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.Mod: "%"}
_INT_FUNCS = (exp.Length, exp.StrPosition, exp.DateDiff, exp.Extract, exp.Year, exp.Month,
              exp.Day, exp.Sign)
_BIGINT_FUNCS = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile)
_SAME_AS_ARG = (exp.Min, exp.Max, exp.Abs, exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue,
                exp.AnyValue, exp.Round)
_STRING_OF_ARG = (exp.Upper, exp.Lower, exp.Trim, exp.Substring, exp.Left, exp.Right,
                  exp.Replace, exp.Repeat, exp.Stuff)
_ANONYMOUS = {
    "GETDATE": _DATETIME, "GETUTCDATE": _DATETIME, "SYSDATETIME": SqlType("datetime2", 7),
    "SYSUTCDATETIME": SqlType("datetime2", 7), "DATALENGTH": _INT, "PATINDEX": _INT,
    "FORMAT": _NVARCHAR, "DATENAME": _NVARCHAR, "ISJSON": _INT, "ISNUMERIC": _INT,
    "DATEFROMPARTS": SqlType("date"), "UNICODE": _INT, "ASCII": _INT,
    "QUOTENAME": _NVARCHAR, "SPACE": _VARCHAR, "CHAR": SqlType("char", length=1),
    "NCHAR": SqlType("nchar", length=1), "STRING_ESCAPE": _NVARCHAR, "NEWID": SqlType("uniqueidentifier"),
    "COUNT_BIG": _BIGINT, "REVERSE": None, "LTRIM": None, "RTRIM": None, "REPLICATE": None,
    "STUFF": None,
}


class TypeOracle:
    """Types of the nodes of one statement tree, computed once and kept by node identity.

    ``tables`` maps a temporary table (``#t``) or table variable (``@t``) name to its
    column types; ``variables`` maps a ``@variable`` (lower case, no ``@``) to its type.
    Rewrites that replace a node call ``carry`` so its parent still sees the old type.
    """

    def __init__(self, tree: exp.Expression, columns: ColumnTypes = NO_TABLES,
                 tables: Mapping[str, Mapping[str, SqlType | None]] | None = None,
                 variables: Mapping[str, SqlType | None] | None = None):
        self.tree = tree
        self.columns = columns
        self.tables = tables or {}
        self.variables = variables or {}
        self._memo: dict[int, tuple[exp.Expression, SqlType | None]] = {}
        self._sources: dict[int, dict[str, object]] = {}

    def type_of(self, node: exp.Expression | None) -> SqlType | None:
        """The T-SQL type of ``node``, or None when it is not known precisely."""
        found = self._raw(node)
        return None if found is not None and found.name == "not_text" else found

    def is_non_string(self, node: exp.Expression) -> bool:
        """Known not to be a string (also where only that is known of a column)."""
        found = self._raw(node)
        return found is not None and not found.is_string

    def _raw(self, node: exp.Expression | None) -> SqlType | None:
        if node is None:
            return None
        hit = self._memo.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        self._memo[id(node)] = (node, None)  # guards against cycles through CTEs
        found = self._infer(node)
        self._memo[id(node)] = (node, found)
        return found

    def carry(self, old: exp.Expression, new: exp.Expression) -> exp.Expression:
        """Record that ``new`` replaces ``old`` (same type); returns ``new``."""
        self._memo[id(new)] = (new, self._raw(old))
        return new

    def copy(self, node: exp.Expression) -> exp.Expression:
        """A copy of ``node`` whose nodes keep the types of the originals."""
        new = node.copy()
        for old_node, new_node in zip(node.walk(), new.walk(), strict=True):
            self.carry(old_node, new_node)
        return new

    def is_string(self, node: exp.Expression) -> bool:
        found = self.type_of(node)
        return found is not None and found.is_string

    # --- rules ----------------------------------------------------------------------------

    def _infer(self, node: exp.Expression) -> SqlType | None:  # noqa: C901 - one table of rules
        if isinstance(node, exp.Paren | exp.Neg | exp.Alias | exp.BitwiseNot):
            return self._raw(node.this)
        if isinstance(node, exp.Literal):
            return _literal_type(node)
        if isinstance(node, exp.National):
            return SqlType("nvarchar", length=max(1, len(node.name)))
        if isinstance(node, exp.Boolean):
            return _BIT
        if isinstance(node, exp.Cast | exp.TryCast):
            return from_datatype(node.to) if isinstance(node.to, exp.DataType) else None
        if isinstance(node, exp.Convert):
            return from_datatype(node.this) if isinstance(node.this, exp.DataType) else None
        if isinstance(node, exp.Column):
            return self._column(node)
        if isinstance(node, exp.Parameter):
            return self.variables.get(node.name.lower())
        for cls, op in _ARITHMETIC.items():
            if type(node) is cls:
                return self._arithmetic(op, node)
        if isinstance(node, exp.DPipe | exp.Concat | exp.ConcatWs | exp.GroupConcat):
            args = [node.this, node.expression] if isinstance(node, exp.DPipe) else node.expressions
            unicode = any((t := self.type_of(a)) is not None and t.is_unicode for a in args)
            return _NVARCHAR if unicode else _VARCHAR
        if isinstance(node, exp.Count):
            return _INT
        if isinstance(node, _INT_FUNCS):
            return _INT
        if isinstance(node, _BIGINT_FUNCS):
            return _BIGINT
        if isinstance(node, exp.Sum | exp.Avg):
            return _aggregate_type(type(node), self.type_of(node.this))
        if isinstance(node, _SAME_AS_ARG):
            return self.type_of(node.this)
        if isinstance(node, exp.Ceil | exp.Floor):
            inner = self.type_of(node.this)
            if inner is not None and inner.is_decimal:
                return SqlType("decimal", inner.precision, 0)
            return inner
        if isinstance(node, _STRING_OF_ARG):
            inner = self.type_of(node.this)
            return _NVARCHAR if inner is not None and inner.is_unicode else _VARCHAR
        if isinstance(node, exp.Coalesce):
            if node.args.get("is_null"):  # ISNULL takes the first argument's type
                return self.type_of(node.this)
            return self._highest([node.this, *node.expressions])
        if isinstance(node, exp.If):
            return self._highest([node.args.get("true"), node.args.get("false")])
        if isinstance(node, exp.Case):
            branches = [i.args.get("true") for i in node.args.get("ifs") or []]
            return self._highest([*branches, node.args.get("default")])
        if isinstance(node, exp.Nullif):
            return self.type_of(node.this)
        if isinstance(node, exp.Window):
            return self.type_of(node.this)
        if isinstance(node, exp.Subquery):
            return self._projection_type(node.this, 0)
        if isinstance(node, exp.CurrentTimestamp):
            return _DATETIME
        if isinstance(node, exp.DateAdd | exp.TsOrDsAdd):
            return self.type_of(node.this)
        if isinstance(node, exp.JSONExtractScalar):
            return _NVARCHAR
        if isinstance(node, exp.Predicate | exp.Not | exp.And | exp.Or):
            return _BIT
        if isinstance(node, exp.Anonymous):
            name = node.name.upper()
            found = _ANONYMOUS.get(name, None)
            if found is None and name in ("LTRIM", "RTRIM", "REVERSE", "REPLICATE"):
                inner = self.type_of(node.expressions[0]) if node.expressions else None
                return _NVARCHAR if inner is not None and inner.is_unicode else _VARCHAR
            return found
        return None

    def _arithmetic(self, op: str, node: exp.Binary) -> SqlType | None:
        left, right = self.type_of(node.this), self.type_of(node.expression)
        if left is None or right is None:
            return None
        if op == "+" and left.is_string and right.is_string:
            return _NVARCHAR if left.is_unicode or right.is_unicode else _VARCHAR
        # a string operand converts to the number's type (data-type precedence)
        if left.is_string and right.is_number:
            left = right
        elif right.is_string and left.is_number:
            right = left
        if op in "+-" and (left.is_temporal or right.is_temporal):
            return left if left.is_temporal else right
        return arithmetic_type(op, left, right)

    def _highest(self, nodes: list[exp.Expression | None]) -> SqlType | None:
        found: SqlType | None = None
        for node in nodes:
            if node is None or isinstance(node, exp.Null):
                continue
            kind = self.type_of(node)
            if kind is None:
                return None
            found = kind if found is None else higher(found, kind)
        return found

    # --- columns --------------------------------------------------------------------------

    def _column(self, node: exp.Column) -> SqlType | None:
        name, qualifier = node.name.lower(), node.table.lower()
        scope = _enclosing_query(node)
        while scope is not None:
            sources = self._scope_sources(scope)
            if qualifier:
                if qualifier in sources:
                    return self._source_column(sources[qualifier], name)
            else:
                hits = [s for s in sources.values() if self._source_has(s, name)]
                if len(hits) == 1:
                    return self._source_column(hits[0], name)
                if hits:
                    return None  # ambiguous
                aliased = _aliased(scope, name, node)
                if aliased is not None:
                    return self._raw(aliased)
            scope = _enclosing_query(scope)
        return None

    def _scope_sources(self, scope: exp.Expression) -> dict[str, object]:
        cached = self._sources.get(id(scope))
        if cached is not None:
            return cached
        sources: dict[str, object] = {}
        items: list[exp.Expression] = []
        if isinstance(scope, exp.Select):
            from_ = scope.args.get("from_")
            if from_ is not None:
                items.append(from_.this)
            items.extend(j.this for j in scope.args.get("joins") or [])
        elif isinstance(scope, exp.Update | exp.Delete):
            items.append(scope.this)
            from_ = scope.args.get("from_")
            if from_ is not None:
                items.append(from_.this)
            items.extend(j.this for j in (scope.args.get("joins") or []))
        for item in items:
            if isinstance(item, exp.Table):
                key = (item.alias or item.name).lower()
                sources[key] = self._table_source(item)
                sources.setdefault(item.name.lower(), sources[key])
            elif isinstance(item, exp.Subquery) and item.alias:
                sources[item.alias.lower()] = item.this
        self._sources[id(scope)] = sources
        return sources

    def _table_source(self, table: exp.Table) -> object:
        if isinstance(table.this, exp.Parameter):
            return self.tables.get("@" + table.this.name.lower(), {})
        ident = table.this
        name = table.name.lower()
        if isinstance(ident, exp.Identifier) and (ident.args.get("temporary")
                                                  or ident.args.get("global_")):
            return self.tables.get("#" + name, {})
        if not table.db:
            cte = _find_cte(table, name)
            if cte is not None:
                return cte.this
        full = f"{(table.db or 'dbo').lower()}.{name}"
        return full if self.columns.has_table(full) else {}

    def _source_has(self, source: object, name: str) -> bool:
        if isinstance(source, str):
            return self.columns.type_of(source, name) is not None
        if isinstance(source, Mapping):
            return name in source
        if isinstance(source, exp.Query):
            if _projection_index(source, name) is not None:
                return True
            star = _star_select(source)
            return star is not None and any(
                self._source_has(s, name) for s in self._scope_sources(star).values())
        return False

    def _source_column(self, source: object, name: str) -> SqlType | None:
        if isinstance(source, str):
            return parse_type(self.columns.type_of(source, name) or "")
        if isinstance(source, Mapping):
            return source.get(name)
        if isinstance(source, exp.Query):
            index = _projection_index(source, name)
            if index is not None:
                return self._projection_type(source, index)
            star = _star_select(source)
            if star is not None:
                hits = [s for s in self._scope_sources(star).values() if self._source_has(s, name)]
                if len(hits) == 1:
                    return self._source_column(hits[0], name)
        return None

    def _projection_type(self, query: exp.Expression, index: int) -> SqlType | None:
        while isinstance(query, exp.SetOperation):
            query = query.this
        if isinstance(query, exp.Subquery):
            query = query.this
        if not isinstance(query, exp.Select) or index >= len(query.expressions):
            return None
        return self._raw(query.expressions[index])


def _literal_type(node: exp.Literal) -> SqlType | None:
    text = node.this
    if node.is_string:
        return SqlType("varchar", length=max(1, len(text)))
    if "e" in text.lower():
        return _FLOAT
    if "." in text:
        whole, _, fraction = text.lstrip("+-").partition(".")
        digits = len(whole.lstrip("0")) + len(fraction)
        return SqlType("decimal", max(1, digits, len(fraction)), len(fraction))
    digits = len(text.lstrip("+-").lstrip("0")) or 1
    if int(text) <= 2**31 - 1:
        return SqlType("int", digits, 0, constant=True)
    return SqlType("decimal", digits, 0)


def _aggregate_type(kind: type, inner: SqlType | None) -> SqlType | None:
    if inner is None:
        return None
    if inner.is_integer:
        return _BIGINT if inner.name == "bigint" else _INT
    if inner.is_decimal:
        scale = inner.scale if kind is exp.Sum else max(inner.scale, 6)
        return SqlType("decimal", 38, scale)
    return inner


def _enclosing_query(node: exp.Expression) -> exp.Expression | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, exp.Select | exp.Update | exp.Delete):
        parent = parent.parent
    return parent


def _find_cte(node: exp.Expression, name: str) -> exp.CTE | None:
    parent = node
    while parent is not None:
        with_ = parent.args.get("with_") if isinstance(parent, exp.Expression) else None
        if with_ is not None:
            for cte in with_.expressions:
                if cte.alias_or_name.lower() == name:
                    return cte
        parent = parent.parent
    return None


def _projection_index(query: exp.Expression, name: str) -> int | None:
    while isinstance(query, exp.SetOperation):
        query = query.this
    if isinstance(query, exp.Subquery):
        query = query.this
    if not isinstance(query, exp.Select):
        return None
    for i, projection in enumerate(query.expressions):
        if projection.alias_or_name.lower() == name:
            return i
    return None


def _aliased(scope: exp.Expression, name: str, node: exp.Column) -> exp.Expression | None:
    """The expression behind a select-list alias an unqualified name refers to (ORDER BY)."""
    if not isinstance(scope, exp.Select):
        return None
    for projection in scope.expressions:
        if isinstance(projection, exp.Alias) and projection.alias.lower() == name:
            if node.find_ancestor(exp.Alias) is projection:
                return None
            return projection.this
    return None


def _star_select(query: exp.Expression) -> exp.Select | None:
    while isinstance(query, exp.SetOperation):
        query = query.this
    if isinstance(query, exp.Select) and any(isinstance(p, exp.Star) for p in query.expressions):
        return query
    return None


def is_assignment(node: exp.Expression) -> bool:
    """``col = value`` of an UPDATE's SET list, or a ``SET VARIABLE``: not a comparison."""
    parent = node.parent
    return (isinstance(parent, exp.Update) and node.arg_key == "expressions") or isinstance(
        parent, exp.SetItem)
