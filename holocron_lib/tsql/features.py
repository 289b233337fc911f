"""One T-SQL feature and what the embedded backend does with it: the record behind the support
list (``support``), the translator's allow-list (``allowlist``) and the book page
(``supportpage``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATEGORIES", "NO_VALUE", "REFUSED", "SAME", "STATUSES", "TRANSLATED", "Feature", "F"]

SAME, TRANSLATED, REFUSED = "same", "translated", "refused"
STATUSES = (SAME, TRANSLATED, REFUSED)
STRING, DATES, MATH, CONVERSION = "string", "date and time", "mathematical", "conversion"
LOGICAL, AGGREGATE, RANKING, ANALYTIC = "logical", "aggregate", "ranking", "analytic"
JSON, SYSTEM, OPERATORS, QUERIES = "JSON", "system", "operators", "queries"
DML, DDL, BATCHES = "data modification", "definitions", "batches"
CATEGORIES = (STRING, DATES, MATH, CONVERSION, LOGICAL, AGGREGATE, RANKING, ANALYTIC, JSON,
              SYSTEM, OPERATORS, QUERIES, DML, DDL, BATCHES)


class _NoValue:
    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = _NoValue()  # a sample whose answer is not checked (a clock, a random number)


@dataclass(frozen=True)
class Feature:
    """A T-SQL function, operator, clause or statement.

    ``status``: ``same`` (DuckDB gives SQL Server's answer as sqlglot writes it),
    ``translated`` (rewritten so it does) or ``refused`` (``TranslationError`` naming it).
    ``sample`` is a statement over the test tables that shows the claim: it runs and its first
    value is ``expect`` (unless ``NO_VALUE``), or it is refused. ``nodes`` names the sqlglot
    expressions a call parses to (``anon:NAME`` for a call sqlglot does not know), which the
    translator accepts (or refuses) on this entry's behalf.
    """

    name: str
    category: str
    status: str
    note: str
    sample: str
    expect: object = NO_VALUE
    nodes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"{self.name}: status {self.status!r} is not one of {STATUSES}")
        if self.category not in CATEGORIES:
            raise ValueError(f"{self.name}: unknown category {self.category!r}")


def F(name: str, category: str, status: str, note: str, sample: str,  # noqa: N802 - a table row
      expect: object = NO_VALUE, nodes: str = "") -> Feature:
    return Feature(name, category, status, note, sample, expect, tuple(nodes.split()))
