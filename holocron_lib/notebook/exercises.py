"""Graded T-SQL exercises on the learning views: prompts, hints, hidden answers and a checker.

The answer to each exercise is itself a T-SQL query, run against the same database as the
learner's, so the checker compares like with like on any backend and any seed scale.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from holocron_lib.notebook.display import show, show_html


@dataclass(frozen=True)
class Exercise:
    number: int
    title: str
    level: str  # warm-up, core, stretch
    prompt: str
    hints: tuple[str, ...]
    answer: str
    ordered: bool = False  # whether row order is part of the answer
    concepts: tuple[str, ...] = field(default_factory=tuple)


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        1, "First look at the characters", "warm-up",
        "List the first 10 characters by name (alphabetically): columns CharacterName and Species.",
        ("The view is learn_characters.", "T-SQL limits rows with TOP (n) right after SELECT.",
         "ORDER BY decides which 10 you get."),
        "SELECT TOP (10) CharacterName, Species FROM learn_characters ORDER BY CharacterName",
        ordered=True, concepts=("SELECT", "TOP", "ORDER BY"),
    ),
    Exercise(
        2, "Counting by type of work", "warm-up",
        "How many works of each WorkType are there? Columns WorkType and Works, biggest first.",
        ("Works live in sem.vw_work.", "GROUP BY WorkType with COUNT(*).",
         "Name the count with AS Works; break ties by WorkType."),
        "SELECT WorkType, COUNT(*) AS Works FROM sem.vw_work GROUP BY WorkType "
        "ORDER BY COUNT(*) DESC, WorkType",
        ordered=True, concepts=("GROUP BY", "COUNT"),
    ),
    Exercise(
        3, "Filling in the blanks", "warm-up",
        "Count characters per gender, showing 'Unknown' where Gender is missing. "
        "Columns Gender and Characters.",
        ("ISNULL(x, 'Unknown') replaces NULL.", "Group by the same expression you select."),
        "SELECT ISNULL(Gender, 'Unknown') AS Gender, COUNT(*) AS Characters FROM learn_characters "
        "GROUP BY ISNULL(Gender, 'Unknown')",
        concepts=("ISNULL", "GROUP BY"),
    ),
    Exercise(
        4, "Pattern matching", "core",
        "Which locations have a name starting with 'Tat' (any case)? Columns LocationName and "
        "LocationType.",
        ("LIKE 'Tat%' matches a prefix.",
         "On SQL Server's default collation, comparisons ignore case; so does the embedded database."),
        "SELECT LocationName, LocationType FROM learn_locations WHERE LocationName LIKE 'tat%'",
        concepts=("WHERE", "LIKE", "collation"),
    ),
    Exercise(
        5, "The busiest participants", "core",
        "Name the 5 entities that take part in the most events, with the number of distinct "
        "events. Columns ParticipantName and Events, most first.",
        ("learn_event_participants has one row per entity per event.",
         "COUNT(DISTINCT EventKey) counts events once each.",
         "Break ties by ParticipantName so the answer is stable."),
        "SELECT TOP (5) ParticipantName, COUNT(DISTINCT EventKey) AS Events "
        "FROM learn_event_participants GROUP BY ParticipantName "
        "ORDER BY COUNT(DISTINCT EventKey) DESC, ParticipantName",
        ordered=True, concepts=("COUNT DISTINCT", "TOP", "ties"),
    ),
    Exercise(
        6, "Bucketing with CASE", "core",
        "Put every claim in a confidence band — 'high' (>= 0.9), 'medium' (>= 0.75) or 'low' — "
        "and count claims per band. Columns Band and Claims.",
        ("CASE WHEN ... THEN ... ELSE ... END builds the band.",
         "The first WHEN that matches wins, so test the highest band first."),
        "SELECT CASE WHEN ConfidenceScore >= 0.9 THEN 'high' WHEN ConfidenceScore >= 0.75 "
        "THEN 'medium' ELSE 'low' END AS Band, COUNT(*) AS Claims FROM learn_claims "
        "GROUP BY CASE WHEN ConfidenceScore >= 0.9 THEN 'high' WHEN ConfidenceScore >= 0.75 "
        "THEN 'medium' ELSE 'low' END",
        concepts=("CASE", "GROUP BY"),
    ),
    Exercise(
        7, "Joining facts to dimensions", "core",
        "For each film (WorkType 'Film') that has events, count its events. Columns WorkTitle and "
        "Events, most first, then by title.",
        ("learn_events has WorkCode and WorkTitle but not WorkType; sem.vw_work has WorkType.",
         "JOIN the two on WorkKey."),
        "SELECT e.WorkTitle, COUNT(*) AS Events FROM learn_events AS e "
        "JOIN sem.vw_work AS w ON w.WorkKey = e.WorkKey WHERE w.WorkType = 'Film' "
        "GROUP BY e.WorkTitle ORDER BY COUNT(*) DESC, e.WorkTitle",
        ordered=True, concepts=("JOIN", "GROUP BY"),
    ),
    Exercise(
        8, "Nobody showed up", "core",
        "How many characters never take part in any event? One column: Characters.",
        ("NOT EXISTS (subquery) keeps rows with no match.",
         "Match learn_characters.EntityKey to learn_event_participants.EntityKey."),
        "SELECT COUNT(*) AS Characters FROM learn_characters AS c WHERE NOT EXISTS "
        "(SELECT 1 FROM learn_event_participants AS p WHERE p.EntityKey = c.EntityKey)",
        concepts=("NOT EXISTS", "subquery"),
    ),
    Exercise(
        9, "A CTE for a two-step question", "stretch",
        "Which 5 scenes hold the most events, and what share (percent, 1 decimal) of their work's "
        "events is that? Columns WorkTitle, SceneName, Events, SharePct; most events first, then "
        "by WorkTitle and SceneName.",
        ("First count events per scene in a CTE (WITH per_scene AS (...)).",
         "A window SUM(Events) OVER (PARTITION BY WorkKey) gives the work's total.",
         "Multiply by 100.0 before dividing, then ROUND(x, 1)."),
        "WITH per_scene AS (SELECT WorkKey, WorkTitle, SceneKey, SceneName, COUNT(*) AS Events "
        "FROM learn_events GROUP BY WorkKey, WorkTitle, SceneKey, SceneName) "
        "SELECT TOP (5) WorkTitle, SceneName, Events, "
        "ROUND(100.0 * Events / SUM(Events) OVER (PARTITION BY WorkKey), 1) AS SharePct "
        "FROM per_scene ORDER BY Events DESC, WorkTitle, SceneName",
        ordered=True, concepts=("CTE", "window SUM", "ROUND"),
    ),
    Exercise(
        10, "First event of every work", "stretch",
        "For each work with events, its first event by SceneNumber then EventNumber. Columns "
        "WorkTitle, SceneNumber, EventNumber, EventType; ordered by WorkTitle.",
        ("ROW_NUMBER() OVER (PARTITION BY WorkKey ORDER BY SceneNumber, EventNumber) numbers "
         "the events inside each work.", "Keep rows numbered 1, in an outer query or a CTE."),
        "WITH ranked AS (SELECT WorkTitle, SceneNumber, EventNumber, EventType, "
        "ROW_NUMBER() OVER (PARTITION BY WorkKey ORDER BY SceneNumber, EventNumber, EventKey) AS rn "
        "FROM learn_events) SELECT WorkTitle, SceneNumber, EventNumber, EventType FROM ranked "
        "WHERE rn = 1 ORDER BY WorkTitle",
        ordered=True, concepts=("ROW_NUMBER", "PARTITION BY"),
    ),
    Exercise(
        11, "Lists inside a cell", "stretch",
        "For each continuity-issue Severity, the number of issues and the distinct statuses as one "
        "comma-separated, alphabetical list. Columns Severity, Issues, Statuses.",
        ("STRING_AGG(x, ', ') WITHIN GROUP (ORDER BY x) joins values.",
         "Take distinct statuses first in a derived table or CTE."),
        "WITH s AS (SELECT DISTINCT Severity, Status FROM learn_continuity_issues), "
        "n AS (SELECT Severity, COUNT(*) AS Issues FROM learn_continuity_issues GROUP BY Severity) "
        "SELECT n.Severity, n.Issues, (SELECT STRING_AGG(s.Status, ', ') WITHIN GROUP "
        "(ORDER BY s.Status) FROM s WHERE s.Severity = n.Severity) AS Statuses FROM n",
        concepts=("STRING_AGG", "CTE", "correlated subquery"),
    ),
    Exercise(
        12, "Release decades", "stretch",
        "Count works per release decade (e.g. 1970 for 1977), ignoring works without a release "
        "date. Columns Decade and Works, in decade order.",
        ("YEAR(ReleaseDate) gives the year; integer division by 10 then times 10 gives the decade.",
         "In T-SQL, INT / INT is integer division."),
        "SELECT (YEAR(ReleaseDate) / 10) * 10 AS Decade, COUNT(*) AS Works FROM sem.vw_work "
        "WHERE ReleaseDate IS NOT NULL GROUP BY (YEAR(ReleaseDate) / 10) * 10 "
        "ORDER BY Decade",
        ordered=True, concepts=("date functions", "integer division"),
    ),
)


def get_exercise(number: int) -> Exercise:
    for ex in EXERCISES:
        if ex.number == number:
            return ex
    from holocron_lib.errors import UnknownObjectError

    raise UnknownObjectError("exercise", str(number), [str(e.number) for e in EXERCISES][:3])


def present(number: int) -> None:
    """Display the exercise's prompt, with its hints and its answer each folded until clicked."""
    ex = get_exercise(number)
    parts = [
        f"<p><strong>Exercise {ex.number} · {html.escape(ex.title)}</strong> "
        f"<em>({ex.level}; {', '.join(ex.concepts)})</em></p>",
        f"<p>{html.escape(ex.prompt)}</p>",
    ]
    for i, hint in enumerate(ex.hints, 1):
        parts.append(f"<details><summary>Hint {i}</summary><p>{html.escape(hint)}</p></details>")
    parts.append(
        "<details><summary>Answer</summary>"
        f"<pre>{html.escape(format_sql(ex.answer))}</pre></details>"
    )
    show_html("".join(parts), f"Exercise {ex.number}: {ex.prompt}")


def format_sql(sql: str) -> str:
    """Break a one-line query before its main clauses so the answer reads well."""
    import re

    return re.sub(
        r"\s+(FROM|WHERE|GROUP BY|ORDER BY|JOIN|SELECT TOP|SELECT (?!1)|WITH|UNION)\b",
        lambda m: "\n" + m.group(1), sql,
    ).strip()


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    message: str

    def _repr_html_(self) -> str:
        colour = "#e3f5e8" if self.passed else "#fde7e7"
        mark = "Correct" if self.passed else "Not yet"
        return (f'<div class="exercise-check" style="background:{colour}"><strong>{mark}:</strong> '
                f"{html.escape(self.message)}</div>")

    def __bool__(self) -> bool:
        return self.passed


def _normalise(frame, ordered: bool):
    import pandas as pd

    norm = frame.copy()
    norm.columns = [str(c).lower() for c in norm.columns]
    for col in norm.columns:
        if pd.api.types.is_float_dtype(norm[col]):
            norm[col] = norm[col].round(6)
        norm[col] = norm[col].astype(object).where(norm[col].notna(), None)
    rows = [tuple(r) for r in norm.itertuples(index=False, name=None)]
    return list(norm.columns), rows if ordered else sorted(rows, key=repr)


def check(db, number: int, result) -> CheckResult:
    """Compare the learner's DataFrame with the answer's rows on the same database.

    Column names are compared case-insensitively; row order counts only where the exercise
    asks for an order.
    """
    ex = get_exercise(number)
    expected = db.query(ex.answer)
    exp_cols, exp_rows = _normalise(expected, ex.ordered)
    got_cols, got_rows = _normalise(result, ex.ordered)
    if got_cols != exp_cols:
        return CheckResult(False, f"expected columns {exp_cols}, got {got_cols}")
    if len(got_rows) != len(exp_rows):
        return CheckResult(False, f"expected {len(exp_rows)} rows, got {len(got_rows)}")
    for i, (got, exp) in enumerate(zip(got_rows, exp_rows, strict=True)):
        if got != exp:
            where = f"row {i + 1}" if ex.ordered else "the rows"
            return CheckResult(False, f"{where} differ: expected {exp}, got {got}")
    return CheckResult(True, f"all {len(exp_rows)} rows match")


def answer_table(db, number: int, max_rows: int = 10) -> None:
    """Display the expected result, for the reader who wants to see it after trying."""
    show(db.query(get_exercise(number).answer), max_rows=max_rows)
