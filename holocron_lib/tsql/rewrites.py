"""Fixes to the sqlglot tree where T-SQL and DuckDB give the same text different meanings."""

from __future__ import annotations

from sqlglot import exp

from holocron_lib.errors import TranslationError
from holocron_lib.tsql.conversions import fix_conversion
from holocron_lib.tsql.formats import fix_format
from holocron_lib.tsql.functions import fix_function
from holocron_lib.tsql.inference import TypeOracle
from holocron_lib.tsql.likes import fix_like
from holocron_lib.tsql.padding import fix_padding
from holocron_lib.tsql.textcolumns import NO_TABLES, ColumnTypes
from holocron_lib.tsql.variables import fix_variable

_T = exp.DataType.Type
# ``?`` markers travel through sqlglot as ``@<prefix>N`` so their order can be checked after.
PARAM_PREFIX = "hcparam"

_STRING_TYPES = frozenset(exp.DataType.TEXT_TYPES)
_SIZED_TYPES = _STRING_TYPES | {_T.VARBINARY, _T.BINARY}
def limit_dml(original: str, tree: exp.Expression, top: exp.Expression) -> exp.Expression:
    """``UPDATE/DELETE TOP (n)`` as a ``rowid IN (SELECT ... LIMIT n)`` filter."""
    if isinstance(tree, exp.Delete):
        tree = _delete_target(tree)
    if (
        not isinstance(tree, exp.Update | exp.Delete)
        or tree.args.get("from_")
        or (isinstance(tree, exp.Delete) and tree.args.get("using"))
    ):
        raise TranslationError(
            original, "TOP (n) is supported only on a single-table UPDATE/DELETE"
        )
    table = tree.this
    inner = exp.select("rowid").from_(table.copy()).limit(top)
    where = tree.args.get("where")
    if where is not None:
        inner = inner.where(where.this.copy())
    tree.set("where", exp.Where(this=exp.In(this=exp.column("rowid"), query=inner.subquery())))
    return tree


def _delete_target(tree: exp.Delete) -> exp.Delete:
    # T-SQL allows ``DELETE t WHERE ...``; DuckDB needs ``DELETE FROM t``.
    tables = tree.args.get("tables") or []
    if not tree.this and len(tables) == 1:
        tree.set("this", tables[0])
        tree.set("tables", None)
    return tree


def rewrite(tree: exp.Expression, columns: ColumnTypes = NO_TABLES,
            oracle: TypeOracle | None = None) -> exp.Expression:
    """Apply every fix; casts first (they need the declared lengths), then the rest bottom-up.

    Types are read off the tree before anything changes (``inference``); a fix that replaces
    a node hands its type on, so the parent is still judged by what the user wrote.
    """
    if isinstance(tree, exp.Delete):
        tree = _delete_target(tree)
    oracle = oracle or TypeOracle(tree, columns)
    nodes = list(tree.walk())
    for node in nodes:
        oracle.type_of(node)
    for node in reversed(nodes):  # inner casts first: an outer one copies what is inside
        if isinstance(node, exp.Cast | exp.Convert):
            _truncate_to_length(node, oracle)
    for node in reversed(list(tree.walk())):
        # where the node hangs, taken first: a fix may wrap the node itself
        parent, key, index = node.parent, node.arg_key, node.index
        replacement = _fix(node, oracle)
        if replacement is not node:
            if parent is None:
                tree = replacement
            else:
                parent.set(key, replacement, index)
    return tree


def _fix(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    for fixer in FIXERS:
        if node is None:
            break
        node = fixer(node, oracle)
    return node


def _fix_tsql(node: exp.Expression, oracle: TypeOracle) -> exp.Expression:
    if isinstance(node, exp.DataType):
        return _fix_type(node)
    if isinstance(node, exp.Join) and isinstance(node.this, exp.Lateral):
        return _apply_join(node)
    if isinstance(node, exp.Table) and _is_string_split(node.this):
        return _split_rows(node.this, node.args.get("alias"))
    if isinstance(node, exp.Convert) and not node.args.get("style"):
        cast = exp.TryCast if node.args.get("safe") else exp.Cast
        return oracle.carry(node, cast(this=node.expression, to=node.this))
    if isinstance(node, exp.Avg | exp.Sum) and not isinstance(node.this, exp.Distinct):
        return _integer_aggregate(node, oracle)
    if isinstance(node, exp.Window) and isinstance(node.this, exp.Avg | exp.Sum) and isinstance(
        node.this.this, exp.Count
    ):
        return _integer_cast(node.copy(), isinstance(node.this, exp.Avg))
    if isinstance(node, exp.CurrentTimestamp):
        return exp.Anonymous(this="GETDATE", expressions=[])
    if isinstance(node, exp.CurrentTimestampLTZ):
        return exp.Anonymous(this="SYSDATETIMEOFFSET", expressions=[])
    if isinstance(node, exp.Extract) and node.this.name.upper() == "DAYOFWEEK":
        # SQL Server (DATEFIRST 7) counts Sunday as 1; DuckDB counts it as 0.
        return exp.Paren(this=exp.Add(this=node.copy(), expression=exp.Literal.number(1)))
    if isinstance(node, exp.DateDiff) and node.text("unit").upper() == "WEEK":
        # SQL Server counts Sunday boundaries; DuckDB counts whole ISO weeks (see ``macros``).
        return exp.Anonymous(this="tsql_datediff_week", expressions=[node.expression, node.this])
    if isinstance(node, exp.Length):
        # LEN ignores trailing spaces.
        return exp.Length(this=exp.Anonymous(this="RTRIM", expressions=[node.this]))
    return node


FIXERS = (fix_variable, fix_conversion, fix_like, fix_padding, fix_format, fix_function,
          _fix_tsql)


def _apply_join(node: exp.Join) -> exp.Join:
    """CROSS APPLY as ``CROSS JOIN LATERAL``, OUTER APPLY as ``LEFT JOIN LATERAL ... ON TRUE``."""
    lateral = node.this
    outer = lateral.args.get("cross_apply") is False
    if lateral.args.get("cross_apply") is None:
        return node
    lateral = lateral.copy()
    lateral.set("cross_apply", None)
    if _is_string_split(lateral.this):
        lateral.set("this", _split_rows(lateral.this, None))
    if outer:
        return exp.Join(this=lateral, side="LEFT", on=exp.true())
    return exp.Join(this=lateral, kind="CROSS")


def _is_string_split(node: exp.Expression) -> bool:
    return (
        isinstance(node, exp.Anonymous)
        and node.name.upper() == "STRING_SPLIT"
        and len(node.expressions) == 2
    )


def _split_rows(call: exp.Anonymous, alias: exp.TableAlias | None) -> exp.Subquery:
    """The table function ``STRING_SPLIT(s, sep)``: one row per piece, in a column ``value``."""
    pieces = exp.Anonymous(this="string_split", expressions=[e.copy() for e in call.expressions])
    rows = exp.select(exp.alias_(exp.Unnest(expressions=[pieces]), "value"))
    return exp.Subquery(this=rows, alias=alias.copy() if alias else None)


def _fix_type(node: exp.DataType) -> exp.DataType:
    kind = node.this
    if kind == _T.BIT:
        return exp.DataType.build("BOOLEAN")
    if kind == _T.FLOAT:
        size = node.expressions[0].this if node.expressions else None
        # T-SQL FLOAT is FLOAT(53), eight bytes; only FLOAT(1..24) is single precision.
        if size is None or not str(size).isdigit() or int(str(size)) > 24:
            return exp.DataType.build("DOUBLE")
        return exp.DataType.build("FLOAT")
    if kind == _T.MONEY:
        return exp.DataType.build("DECIMAL(19, 4)")
    if kind == _T.SMALLMONEY:
        return exp.DataType.build("DECIMAL(10, 4)")
    if kind in _SIZED_TYPES and node.expressions:
        return exp.DataType(this=kind)
    return node


def _truncate_to_length(node: exp.Cast | exp.Convert, oracle: TypeOracle) -> None:
    """``CAST(x AS VARCHAR(n))`` cuts to n characters in T-SQL; DuckDB ignores the length."""
    target = node.args.get("to") if isinstance(node, exp.Cast) else node.this
    if not isinstance(target, exp.DataType) or target.this not in _STRING_TYPES:
        return
    size = target.expressions[0].this if target.expressions else None
    if not isinstance(size, exp.Literal) or not size.is_int:
        return
    inner = oracle.copy(node)
    width = exp.Literal.number(int(size.this))
    if target.this in (_T.CHAR, _T.NCHAR):
        # a fixed-length string is padded with spaces to its length
        wrapper: exp.Expression = exp.Anonymous(this="rpad", expressions=[
            inner, width, exp.Literal.string(" ")])
    else:
        wrapper = exp.Left(this=inner, expression=width)
    node.replace(oracle.carry(node, wrapper))


def _integer_cast(value: exp.Expression, truncate: bool) -> exp.Expression:
    """``value`` as T-SQL's integer result: truncated toward zero for AVG, then BIGINT."""
    if truncate:
        value = exp.Anonymous(this="trunc", expressions=[value])
    return exp.Cast(this=value, to=exp.DataType.build("BIGINT"))


def _integer_aggregate(node: exp.Avg | exp.Sum, oracle: TypeOracle) -> exp.Expression:
    """AVG/SUM keep integer results for integer input, as in T-SQL (see ``macros``)."""
    name = "tsql_avg" if isinstance(node, exp.Avg) else "tsql_sum"
    inner = oracle.type_of(node.this)
    if inner is not None and not inner.is_integer:
        return node  # a decimal AVG is already written out; float and decimal SUM agree
    if node.find_ancestor(exp.Pivot) is not None:
        # PIVOT takes a built-in aggregate (a cast around it is allowed, a macro is not)
        if inner is None:
            return node
        return _integer_cast(node.copy(), isinstance(node, exp.Avg))
    if isinstance(node.this, exp.Count):
        # COUNT is an integer, and a macro cannot see the type of an aggregate nested in a
        # window (``SUM(COUNT(*)) OVER ()``), so write the integer form directly; inside a
        # window the cast goes around the whole window expression (see ``_fix``).
        if isinstance(node.parent, exp.Window):
            return node
        call = _integer_cast(node.copy(), isinstance(node, exp.Avg))
    else:
        call = exp.Anonymous(this=name, expressions=[node.this])
    if isinstance(node.parent, exp.Select) and node.arg_key == "expressions":
        # Keep the column name DuckDB would have given the built-in.
        label = f"{type(node).__name__.lower()}({node.this.sql(dialect='duckdb')})"
        return exp.alias_(call, label, quoted=True)
    return call
