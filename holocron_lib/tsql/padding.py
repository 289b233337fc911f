"""String comparisons that ignore trailing spaces, as SQL Server pads the shorter operand.

``'a' = 'a  '`` is true on SQL Server and false on DuckDB. Where both sides are strings (or
one is and the other's type is unknown), comparisons (``=``, ``<>``, ``<``, ``IN``,
``BETWEEN``, a simple ``CASE``) compare the values without their trailing spaces;
``GROUP BY``, ``DISTINCT``, ``COUNT(DISTINCT)``, ``PARTITION BY`` and ``UNION`` group them
so, returning one of the group's values as it is stored. ``LIKE`` is left alone: there a
trailing blank in the pattern counts (see ``likes``).

The common ``column = 'literal'`` keeps DuckDB's fast equality: ``x = 'a' OR (x LIKE 'a %'
AND rtrim(x) = 'a')``; elsewhere the operands are trimmed.
"""

from __future__ import annotations

from sqlglot import exp

from holocron_lib.tsql.inference import TypeOracle, is_assignment

__all__ = ["PADDING_MACROS", "fix_padding"]

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ,
                exp.NullSafeNEQ)

PADDING_MACROS = {
    # An operand whose type the translator does not know: trimmed if DuckDB binds a string.
    "tsql_pad": "CREATE OR REPLACE TEMP MACRO tsql_pad(v VARCHAR) AS rtrim(v, ' '), (v) AS v",
}


def fix_padding(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    if isinstance(node, _COMPARISONS):
        return _comparison(node, oracle)
    if isinstance(node, exp.In) and not node.args.get("unnest"):
        return _in(node, oracle)
    if isinstance(node, exp.Between):
        return _between(node, oracle)
    if isinstance(node, exp.Case) and node.this is not None:
        return _simple_case(node, oracle)
    if isinstance(node, exp.Count) and isinstance(node.this, exp.Distinct):
        _trim_all(node.this.expressions, oracle)
        return node
    if isinstance(node, exp.Window):
        _trim_all(node.args.get("partition_by") or [], oracle)
        return node
    if isinstance(node, exp.Select):
        _group_by(node, oracle)
        _distinct(node, oracle)
        return node
    if isinstance(node, exp.Union) and node.args.get("distinct"):
        return _union(node, oracle)
    if isinstance(node, exp.Except | exp.Intersect):
        for branch in (node.this, node.expression):
            if isinstance(branch, exp.Select):
                _trim_projections(branch, oracle)
    return node


# --- comparisons --------------------------------------------------------------------------


def _stringish(a: exp.Expression, b: exp.Expression, oracle: TypeOracle) -> bool:
    """Both strings, or either of unknown type (a typed macro trims it if DuckDB binds a
    string: a ``?`` parameter, a column of a table the translator was not told of)."""
    return not oracle.is_non_string(a) and not oracle.is_non_string(b)


def _comparison(node: exp.Binary, oracle: TypeOracle) -> exp.Expression:
    if is_assignment(node):
        return node
    left, right = node.this, node.expression
    if not _stringish(left, right, oracle):
        return node
    literal = _literal_text(right) if _literal_text(left) is None else None
    if isinstance(node, exp.EQ) and literal is not None and oracle.is_string(left) and not (
            _literal_text(left) is not None):
        return oracle.carry(node, _equals_literal(left, literal.rstrip(" ")))
    node.set("this", _trim(left, oracle))
    node.set("expression", _trim(right, oracle))
    return node


def _equals_literal(value: exp.Expression, text: str) -> exp.Expression:
    """``value = 'text'`` ignoring trailing spaces, with DuckDB's fast equality first."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    padded = exp.Escape(this=exp.Like(this=value.copy(),
                                      expression=exp.Literal.string(escaped + " %")),
                        expression=exp.Literal.string("\\"))
    trimmed = exp.EQ(this=_rtrim(value.copy()), expression=exp.Literal.string(text))
    exact = exp.EQ(this=value, expression=exp.Literal.string(text))
    return exp.Paren(this=exp.Or(this=exact, expression=exp.Paren(
        this=exp.And(this=padded, expression=trimmed))))


def _in(node: exp.In, oracle: TypeOracle) -> exp.Expression:
    if isinstance(node.parent, exp.Pivot):
        return node  # the values PIVOT spreads into columns, not a comparison
    query = node.args.get("query")
    if query is not None:
        select = query.this if isinstance(query, exp.Subquery) else query
        if isinstance(select, exp.Select) and len(select.expressions) == 1 and _stringish(
                node.this, select.expressions[0], oracle):
            node.set("this", _trim(node.this, oracle))
            _trim_projections(select, oracle)
        return node
    items = node.expressions
    if not items or not all(_stringish(node.this, i, oracle) for i in items):
        return node
    node.set("this", _trim(node.this, oracle))
    node.set("expressions", [_trim(i, oracle) for i in items])
    return node


def _between(node: exp.Between, oracle: TypeOracle) -> exp.Expression:
    low, high = node.args.get("low"), node.args.get("high")
    if not (_stringish(node.this, low, oracle) and _stringish(node.this, high, oracle)):
        return node
    for key in ("this", "low", "high"):
        node.set(key, _trim(node.args[key], oracle))
    return node


def _simple_case(node: exp.Case, oracle: TypeOracle) -> exp.Expression:
    ifs = node.args.get("ifs") or []
    if not ifs or not all(_stringish(node.this, i.this, oracle) for i in ifs):
        return node
    node.set("this", _trim(node.this, oracle))
    for branch in ifs:
        branch.set("this", _trim(branch.this, oracle))
    return node


# --- grouping -----------------------------------------------------------------------------


def _group_by(select: exp.Select, oracle: TypeOracle) -> None:
    """GROUP BY a string groups it trimmed; the select list reads one stored value."""
    group = select.args.get("group")
    if group is None or any(group.args.get(k) for k in ("rollup", "cube", "grouping_sets")):
        return
    keys = [k for k in group.expressions if oracle.is_string(k) and _literal_text(k) is None]
    for key in keys:
        _read_one_value(select, key)
        key.replace(_rtrim(key.copy()))


def _distinct(select: exp.Select, oracle: TypeOracle) -> None:
    """SELECT DISTINCT over strings as a GROUP BY of the trimmed values."""
    distinct = select.args.get("distinct")
    if distinct is None or distinct.args.get("on") or select.args.get("group"):
        return
    projections = list(select.expressions)
    if any(isinstance(p, exp.Star) or p.find(exp.AggFunc, exp.Window) for p in projections):
        return
    if not any(oracle.is_string(_unalias(p)) for p in projections):
        return
    keys = []
    for i, projection in enumerate(projections):
        value = _unalias(projection)
        if not projection.alias_or_name:
            return  # an unnamed column: cannot be read back by name
        keys.append(_rtrim(value.copy()) if oracle.is_string(value) else value.copy())
        if oracle.is_string(value):
            select.expressions[i].replace(exp.alias_(_any_value(value.copy()),
                                                     projection.alias_or_name, quoted=True))
    select.set("distinct", None)
    select.set("group", exp.Group(expressions=keys))
    order = select.args.get("order")
    if order is not None:
        for ordered in order.expressions:
            for projection, key in zip(projections, keys, strict=False):
                if ordered.this == _unalias(projection) and isinstance(key, exp.Anonymous):
                    ordered.set("this", exp.column(projection.alias_or_name, quoted=True))


def _read_one_value(select: exp.Select, key: exp.Expression) -> None:
    """Occurrences of a grouped ``key`` outside aggregates read ``any_value(key)``."""
    parts = [*select.expressions, select.args.get("having"), select.args.get("order"),
             select.args.get("qualify")]
    for part in parts:
        if part is None:
            continue
        for node in list(part.find_all(type(key))):
            if node != key or node.find_ancestor(exp.AggFunc) is not None:
                continue
            replacement = _any_value(node.copy())
            if node is part or (isinstance(node.parent, exp.Select)
                                and node.arg_key == "expressions"):
                name = node.alias_or_name if isinstance(node, exp.Column) else node.sql("tsql")
                replacement = exp.alias_(replacement, name, quoted=True)
            node.replace(replacement)


def _union(node: exp.Union, oracle: TypeOracle) -> exp.Expression:
    """UNION over strings: UNION ALL grouped by the trimmed values."""
    left = node.this
    while isinstance(left, exp.SetOperation):
        left = left.this
    if not isinstance(left, exp.Select):
        return node
    names = [p.alias_or_name for p in left.expressions]
    texts = [oracle.is_string(_unalias(p)) for p in left.expressions]
    if not any(texts) or not all(names) or len(set(n.lower() for n in names)) < len(names):
        return node
    order, limit = node.args.get("order"), node.args.get("limit")
    inner = node.copy()
    for key in ("order", "limit", "offset"):
        inner.set(key, None)
    inner.set("distinct", False)
    columns = [exp.column(n, "u", quoted=True) for n in names]
    outer = exp.select(*[exp.alias_(_any_value(c.copy()), n, quoted=True) if t else c.copy()
                         for c, n, t in zip(columns, names, texts, strict=True)])
    outer = outer.from_(exp.Subquery(this=inner, alias=exp.TableAlias(
        this=exp.to_identifier("u"))))
    outer.set("group", exp.Group(expressions=[_rtrim(c.copy()) if t else c.copy()
                                              for c, t in zip(columns, texts, strict=True)]))
    if order is not None:
        outer.set("order", order.copy())
    if limit is not None:
        outer.set("limit", limit.copy())
    return oracle.carry(node, outer)


# --- helpers ------------------------------------------------------------------------------


def _trim_projections(select: exp.Select, oracle: TypeOracle) -> None:
    for i, projection in enumerate(select.expressions):
        value = _unalias(projection)
        if oracle.is_string(value) and _literal_text(value) is None:
            name = projection.alias_or_name
            trimmed = _rtrim(value.copy())
            select.expressions[i].replace(exp.alias_(trimmed, name, quoted=True) if name
                                          else trimmed)


def _trim_all(nodes: list[exp.Expression], oracle: TypeOracle) -> None:
    for node in list(nodes):
        if oracle.is_string(node) and _literal_text(node) is None:
            node.replace(_rtrim(node.copy()))


def _trim(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    text = _literal_text(node)
    if text is not None:
        return exp.Literal.string(text.rstrip(" "))
    kind = oracle.type_of(node)
    if kind is None:
        return oracle.carry(node, exp.Anonymous(this="tsql_pad", expressions=[node]))
    return oracle.carry(node, _rtrim(node)) if kind.is_string else node


def _rtrim(node: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this="rtrim", expressions=[node, exp.Literal.string(" ")])


def _any_value(node: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this="any_value", expressions=[node])


def _unalias(node: exp.Expression) -> exp.Expression:
    return node.this if isinstance(node, exp.Alias) else node


def _literal_text(node: exp.Expression) -> str | None:
    if isinstance(node, exp.Literal) and node.is_string:
        return node.this
    if isinstance(node, exp.National):
        return node.this
    return None
