"""The SQL of the checks a schema implies on its data: orphans of a foreign key, repeated keys.

The foreign-key check of a seed load, the data-quality checks and the profiling notebook ask
the same questions; this module is the one place that writes them. A repeated key comes in
two kinds: of a unique key (NULLs never repeat, ``duplicate_key_sql``) and of a filtered
unique index (only the rows its filter selects; NULLs equal, as SQL Server's unique indexes
treat them, ``duplicate_groups_sql``). The statements use
only what T-SQL and DuckDB spell alike (window functions, ``NOT EXISTS``, ``CASE``), so the
same text runs on SQL Server, through ``Database`` on DuckDB, or (with ``quote=quote_duckdb``)
straight on a DuckDB connection. Tables are ``schema.name`` strings, bracketed or not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from holocron_lib.schema.model import ForeignKey
from holocron_lib.tsql.names import quote_tsql, split_name

__all__ = ["any_duplicate_sql", "any_orphan_sql", "duplicate_groups_sql", "duplicate_key_sql",
           "orphan_rows", "orphan_sql"]

Quote = Callable[..., str]


def orphan_rows(fk: ForeignKey, quote: Quote = quote_tsql) -> str:
    """``FROM … WHERE …`` selecting the child rows (alias ``c``) whose non-NULL key has no parent."""
    present = " AND ".join(f"c.{quote(c)} IS NOT NULL" for c in fk.columns)
    pairs = zip(fk.columns, fk.ref_columns, strict=True)
    match = " AND ".join(f"p.{quote(r)} = c.{quote(c)}" for c, r in pairs)
    return (f"FROM {quote(*split_name(fk.table))} AS c WHERE {present} AND NOT EXISTS "
            f"(SELECT 1 FROM {quote(*split_name(fk.ref_table))} AS p WHERE {match})")


def any_orphan_sql(fks: Iterable[ForeignKey], quote: Quote = quote_tsql) -> str:
    """One row, one column ``broken``: 1 when some key of ``fks`` has an orphan, else 0."""
    probes = " UNION ALL ".join(f"SELECT 1 AS x {orphan_rows(fk, quote)}" for fk in fks)
    if not probes:
        return "SELECT 0 AS broken"
    return f"SELECT CASE WHEN EXISTS ({probes}) THEN 1 ELSE 0 END AS broken"


def orphan_sql(fk: ForeignKey, sample_size: int = 5, quote: Quote = quote_tsql) -> str:
    """Up to ``sample_size`` distinct orphan keys of ``fk``, smallest first, in columns named
    as the key's; each row also carries ``orphan_rows``, the number of orphan rows in all."""
    cols = ", ".join(f"c.{quote(c)}" for c in fk.columns)
    names = ", ".join(quote(c) for c in fk.columns)
    return (
        f"SELECT {names}, orphan_rows FROM ("
        f"SELECT {cols}, COUNT(*) OVER () AS orphan_rows, "
        f"DENSE_RANK() OVER (ORDER BY {cols}) AS key_rank, "
        f"ROW_NUMBER() OVER (PARTITION BY {cols} ORDER BY {cols}) AS copy_no "
        f"{orphan_rows(fk, quote)}"
        f") AS o WHERE copy_no = 1 AND key_rank <= {int(sample_size)} ORDER BY key_rank"
    )


def duplicate_key_sql(table: str, key: Sequence[str], quote: Quote = quote_tsql) -> str:
    """One row over the rows of ``table`` whose ``key`` columns are all set: ``key_rows``,
    ``distinct_keys`` and ``duplicate_rows`` (rows beyond the first of each key value)."""
    cols = ", ".join(quote(c) for c in key)
    present = " AND ".join(f"{quote(c)} IS NOT NULL" for c in key)
    return (
        "SELECT COALESCE(SUM(n), 0) AS key_rows, COUNT(*) AS distinct_keys, "
        "COALESCE(SUM(n - 1), 0) AS duplicate_rows "
        f"FROM (SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {quote(*split_name(table))} "
        f"WHERE {present} GROUP BY {cols}) AS k"
    )


def _groups(table: str, key: Sequence[str], where: str, quote: Quote) -> str:
    """``FROM … WHERE … GROUP BY … HAVING`` over the keys that ``where`` selects twice or more."""
    cols = ", ".join(quote(c) for c in key)
    return (f"FROM {quote(*split_name(table))} WHERE {where} GROUP BY {cols} "
            f"HAVING COUNT(*) > 1")


def duplicate_groups_sql(table: str, key: Sequence[str], where: str, sample_size: int = 3,
                         quote: Quote = quote_tsql) -> str:
    """Up to ``sample_size`` keys held by more than one of the rows ``where`` selects (the
    filter of a filtered unique index, as the DDL writes it), smallest first, in columns
    named as the key's, then ``n`` (its rows), ``dup_groups`` and ``dup_rows`` (all such keys
    and their rows). No rows when the index holds. NULLs in a key group together."""
    cols = ", ".join(quote(c) for c in key)
    return (
        f"SELECT {cols}, n, dup_groups, dup_rows FROM ("
        f"SELECT {cols}, COUNT(*) AS n, COUNT(*) OVER () AS dup_groups, "
        f"SUM(COUNT(*)) OVER () AS dup_rows, ROW_NUMBER() OVER (ORDER BY {cols}) AS key_rank "
        f"{_groups(table, key, where, quote)}) AS d "
        f"WHERE key_rank <= {int(sample_size)} ORDER BY key_rank"
    )


def any_duplicate_sql(indexes: Iterable[tuple[str, Sequence[str], str]],
                      quote: Quote = quote_tsql) -> str:
    """One row, one column ``broken``: 1 when some ``(table, key, where)`` index has a key
    held twice, else 0 (the usual answer in one query rather than one per index)."""
    probes = " UNION ALL ".join(f"SELECT 1 AS x {_groups(t, k, w, quote)}" for t, k, w in indexes)
    if not probes:
        return "SELECT 0 AS broken"
    return f"SELECT CASE WHEN EXISTS ({probes}) THEN 1 ELSE 0 END AS broken"
