"""``TOP (n) PERCENT`` and ``TOP (n) WITH TIES`` as a QUALIFY over a window, as SQL Server means.

DuckDB's ``LIMIT 10 PERCENT`` rounds the row count down; SQL Server rounds it up (10 percent
of 5 rows is 1 row). ``WITH TIES`` also returns the rows that tie with the last one in the
ORDER BY. Both become a window (``row_number`` or ``rank``) filtered in ``QUALIFY``.
"""

from __future__ import annotations

from sqlglot import exp

from holocron_lib.errors import TranslationError

__all__ = ["rewrite_top"]


def rewrite_top(original: str, tree: exp.Expression) -> exp.Expression:
    """Every SELECT of ``tree`` whose TOP has PERCENT or WITH TIES, as a QUALIFY."""
    for select in list(tree.find_all(exp.Select)):
        limit = select.args.get("limit")
        options = limit.args.get("limit_options") if isinstance(limit, exp.Limit) else None
        if options is None or not (options.args.get("percent") or options.args.get("with_ties")):
            continue
        _qualify(original, select, limit, bool(options.args.get("percent")),
                 bool(options.args.get("with_ties")))
    return tree


def _qualify(original: str, select: exp.Select, limit: exp.Limit, percent: bool,
             ties: bool) -> None:
    order = select.args.get("order")
    if ties and order is None:
        raise TranslationError(original, "The TOP N WITH TIES clause is not allowed without a "
                                         "corresponding ORDER BY clause.")
    if select.args.get("distinct") is not None:
        raise TranslationError(original, "SELECT DISTINCT TOP (n) PERCENT / WITH TIES is not "
                                         "supported on the embedded backend")
    if select.args.get("qualify") is not None:
        raise TranslationError(original, "TOP (n) PERCENT / WITH TIES with QUALIFY")
    ordered = [_resolve(o.copy(), select) for o in order.expressions] if order else []
    ranking: exp.Expression = exp.Rank() if ties else exp.RowNumber()
    window = exp.Window(this=ranking, order=exp.Order(expressions=ordered) if ordered else None)
    count = limit.expression.copy()
    if percent:
        total = exp.Window(this=exp.Count(this=exp.Star()))
        share = exp.Div(this=exp.Mul(this=exp.Cast(this=exp.Paren(this=count),
                                                   to=exp.DataType.build("DOUBLE")),
                                     expression=total),
                        expression=exp.Literal.number("100.0"))
        count = exp.Ceil(this=share)
    select.set("limit", None)
    select.set("qualify", exp.Qualify(this=exp.LTE(this=window, expression=count)))


def _resolve(ordered: exp.Ordered, select: exp.Select) -> exp.Ordered:
    """``ORDER BY 2`` names the second column; inside a window a number is a constant."""
    key = ordered.this
    if isinstance(key, exp.Literal) and key.is_int:
        index = int(key.this) - 1
        if 0 <= index < len(select.expressions):
            projection = select.expressions[index]
            target = projection.this if isinstance(projection, exp.Alias) else projection
            ordered.set("this", target.copy())
    return ordered
