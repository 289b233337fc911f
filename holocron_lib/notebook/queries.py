"""Named, bounded starter queries and the guard that keeps ad-hoc queries bounded.

Queries are T-SQL. `bound_query` adds `TOP (n)` to a SELECT that has no row limit, or
lowers a larger one, so a scratchpad cell cannot pull a whole table by accident.
"""

from __future__ import annotations

from dataclasses import dataclass

from holocron_lib.errors import TranslationError, UnknownObjectError


@dataclass(frozen=True)
class StarterQuery:
    name: str
    description: str
    sql: str


STARTER_QUERIES: tuple[StarterQuery, ...] = (
    StarterQuery(
        "films", "The films in release order (sem view).",
        "SELECT WorkCode, WorkTitle, ReleaseDate, RuntimeRef FROM sem.vw_work "
        "WHERE WorkType = 'Film' ORDER BY ReleaseDate, WorkCode",
    ),
    StarterQuery(
        "characters_by_species", "Characters per species (learning view).",
        "SELECT ISNULL(Species, '(unknown)') AS Species, COUNT(*) AS Characters "
        "FROM learn_characters GROUP BY ISNULL(Species, '(unknown)') "
        "ORDER BY COUNT(*) DESC, Species",
    ),
    StarterQuery(
        "busiest_scenes", "Scenes with the most events (mart).",
        "SELECT WorkCode, SceneName, COUNT(*) AS Events FROM mart_event_timeline "
        "GROUP BY WorkCode, SceneName ORDER BY COUNT(*) DESC, WorkCode, SceneName",
    ),
    StarterQuery(
        "event_types", "Event types by verb class and how often they occur.",
        "SELECT VerbClass, EventTypeName, COUNT(*) AS Events FROM sem.vw_event "
        "GROUP BY VerbClass, EventTypeName ORDER BY COUNT(*) DESC, EventTypeName",
    ),
    StarterQuery(
        "open_issues", "Open continuity issues, most severe first (mart).",
        "SELECT IssueSummary, IssueTypeName, SeverityLabel, Status "
        "FROM mart_continuity_issue_dashboard WHERE Status = 'open' "
        "ORDER BY SeverityScore DESC, IssueSummary",
    ),
    StarterQuery(
        "asset_fates", "What happened to machines in events (asset roles).",
        "SELECT AssetRole, COUNT(*) AS Uses, COUNT(DISTINCT TechInstanceKey) AS Machines "
        "FROM mart_asset_lifecycle GROUP BY AssetRole ORDER BY COUNT(*) DESC, AssetRole",
    ),
    StarterQuery(
        "queue_health", "The LLM queue by status (queue-health view).",
        "SELECT status, job_count, avg_age_minutes, jobs_over_24h FROM llm.vw_queue_health "
        "ORDER BY job_count DESC, status",
    ),
)


def starter(name: str) -> StarterQuery:
    for q in STARTER_QUERIES:
        if q.name == name:
            return q
    raise UnknownObjectError("starter query", name, [q.name for q in STARTER_QUERIES][:5])


def bound_query(sql: str, max_rows: int) -> str:
    """The T-SQL query with at most ``max_rows`` rows: adds or lowers TOP on the outer SELECT."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, read="tsql")
    except sqlglot.errors.ParseError as err:
        raise TranslationError(sql, f"not valid T-SQL: {err}") from None
    select = tree if isinstance(tree, exp.Select) else None
    if select is None and isinstance(tree, exp.Query):
        # a set operation or a CTE-wrapped query: bound the outermost query
        select = tree
    if select is None:
        raise TranslationError(sql, "only SELECT queries can be bounded")
    limit = select.args.get("limit")
    current = None
    if limit is not None and isinstance(limit.expression, exp.Literal):
        current = int(limit.expression.this)
    if current is None or current > max_rows:
        select = select.limit(int(max_rows))
    return select.sql(dialect="tsql")
