"""Graded T-SQL exercises: the bundled set, or the lessons of a Holocron checkout.

The answer to each exercise is itself T-SQL, run against the same database as the
learner's query, so the checker compares like with like on any backend and any seed scale.
With ``HOLOCRON_LESSONS_DIR`` set, the exercises are the checkout's `docs/lessons/` files,
read where they are (`lessons`); the twelve below are the set used without it. Presenting
and checking are in `companion`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from holocron_lib.errors import UnknownObjectError
from holocron_lib.notebook.lessons import LessonSet, read_lessons


@dataclass(frozen=True)
class Exercise:
    """One exercise. ``module`` 0 is the bundled set; ``ordered`` None means an answer's own
    ORDER BY decides whether row order counts."""

    number: int
    title: str
    level: str  # warm-up, core, stretch; a lesson's difficulty
    prompt: str
    hints: tuple[str, ...]
    answer: str  # the answer key's (first) statement; "" when it has none
    ordered: bool | None = False  # whether row order is part of the answer
    concepts: tuple[str, ...] = field(default_factory=tuple)
    module: int = 0
    tables: tuple[str, ...] = ()
    more_answers: tuple[str, ...] = ()  # further statements of the same answer
    notes: tuple[str, ...] = ()
    starter: str = ""  # a sample attempt the page runs and checks
    starter_note: str = ""

    @property
    def key(self) -> str:
        """``"5"`` for a bundled exercise, ``"03.2"`` for exercise 2 of lesson module 3."""
        return str(self.number) if self.module == 0 else f"{self.module:02d}.{self.number}"

    @property
    def answers(self) -> tuple[str, ...]:
        return (self.answer, *self.more_answers) if self.answer else ()


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


STARTERS: dict[int, tuple[str, str]] = {
    1: ("A first attempt with no ORDER BY: which ten rows come back is up to the engine.",
        "SELECT TOP (10) CharacterName, Species FROM learn_characters"),
    2: ("A correct attempt, to show what success looks like.",
        "SELECT WorkType, COUNT(*) AS Works FROM sem.vw_work GROUP BY WorkType "
        "ORDER BY COUNT(*) DESC, WorkType"),
    3: ("Close: the missing genders still show as empty. Wrap Gender in ISNULL.",
        "SELECT Gender, COUNT(*) AS Characters FROM learn_characters GROUP BY Gender"),
    4: ("Note the capital T: it still matches every case, as on SQL Server.",
        "SELECT LocationName, LocationType FROM learn_locations WHERE LocationName LIKE 'Tat%'"),
    5: ("COUNT(*) counts participations, and an entity can hold two roles in one event.",
        "SELECT TOP (5) ParticipantName, COUNT(*) AS Events FROM learn_event_participants "
        "GROUP BY ParticipantName ORDER BY COUNT(*) DESC, ParticipantName"),
    6: ("", "SELECT TOP (5) ClaimKey, Predicate, ConfidenceScore FROM learn_claims"),
    7: ("", "SELECT TOP (5) WorkTitle, WorkCode, EventType FROM learn_events"),
    8: ("", "SELECT TOP (5) CharacterName, EntityKey FROM learn_characters"),
    9: ("", "SELECT TOP (5) WorkTitle, SceneName, COUNT(*) AS Events FROM learn_events "
            "GROUP BY WorkTitle, SceneName"),
    10: ("", "SELECT TOP (5) WorkTitle, SceneNumber, EventNumber, EventType FROM learn_events"),
    11: ("", "SELECT TOP (5) Severity, Status, IssueSummary FROM learn_continuity_issues"),
    12: ("", "SELECT TOP (5) WorkTitle, ReleaseDate, YEAR(ReleaseDate) AS ReleaseYear "
             "FROM sem.vw_work"),
}
RUNS_FOR_A_START = "A starting point that runs: change the query until the check says it matches."


@dataclass(frozen=True)
class Module:
    number: int
    title: str
    level: str
    objective: str
    skills: tuple[str, ...]
    tables: tuple[str, ...]
    exercises: tuple[Exercise, ...]


@dataclass(frozen=True)
class ExerciseSet:
    """The exercises a page presents: ``source`` is "bundled" or the lessons folder."""

    source: str
    modules: tuple[Module, ...]
    problems: tuple[str, ...] = ()  # lesson files that could not be read, each named

    def exercises(self, module: int = 0) -> list[Exercise]:
        """Every exercise, or those of one module (0: all of them)."""
        chosen = [m for m in self.modules if not module or m.number == int(module)]
        if module and not chosen:
            raise UnknownObjectError("lesson module", str(module),
                                     [str(m.number) for m in self.modules][:5])
        return [ex for m in chosen for ex in m.exercises]

    def get(self, key: str | int) -> Exercise:
        """The exercise with ``key`` ("03.2", or "5" / 5 in the bundled set)."""
        wanted = str(key).strip()
        for ex in self.exercises():
            if wanted in (ex.key, f"{ex.module}.{ex.number}"):
                return ex
        raise UnknownObjectError("exercise", wanted, [ex.key for ex in self.exercises()][:5])

    def summary(self) -> str:
        n = len(self.exercises())
        if self.source == "bundled":
            return (f"{n} bundled exercises on the learning and semantic views (set "
                    "HOLOCRON_LESSONS_DIR to a checkout's docs/lessons/ to work through its "
                    "lessons instead)")
        line = f"{n} exercises in {len(self.modules)} lesson modules from {self.source}"
        if self.problems:
            line += f"; {len(self.problems)} file(s) could not be read: " + "; ".join(self.problems)
        return line

    def index(self):
        """One row per module: what it covers and how many exercises it holds."""
        import pandas as pd

        return pd.DataFrame(
            [{"module": m.number, "title": m.title, "level": m.level,
              "exercises": len(m.exercises), "tables": ", ".join(m.tables),
              "skills": "; ".join(m.skills)} for m in self.modules],
            columns=["module", "title", "level", "exercises", "tables", "skills"])


def _bundled_exercises() -> tuple[Exercise, ...]:
    out = []
    for ex in EXERCISES:
        note, sql = STARTERS.get(ex.number, ("", ""))
        out.append(replace(ex, starter=sql, starter_note=note or RUNS_FOR_A_START))
    return tuple(out)


BUNDLED = ExerciseSet("bundled", (Module(
    0, "Learning and semantic views", "warm-up to stretch",
    "Twelve graded exercises on the learn_* and sem.vw_* views, from TOP to window functions.",
    tuple(dict.fromkeys(c for ex in EXERCISES for c in ex.concepts)),
    ("learn_*", "sem.vw_work"), _bundled_exercises()),))


def from_lessons(lessons: LessonSet) -> ExerciseSet:
    """A checkout's lessons as an exercise set (answer order decided by each ORDER BY)."""
    modules = []
    for m in lessons.modules:
        exercises = tuple(
            Exercise(e.number, e.title, m.difficulty, e.goal, e.hints,
                     e.answers[0] if e.answers else "", None, (), m.number,
                     e.tables or m.tables, e.answers[1:], e.notes)
            for e in m.exercises)
        modules.append(Module(m.number, m.title, m.difficulty, m.objective, m.skills, m.tables,
                              exercises))
    return ExerciseSet(str(lessons.folder), tuple(modules), lessons.problems)


def load_exercises(lessons_dir: Path | None = None) -> ExerciseSet:
    """The checkout's lessons when ``lessons_dir`` (HOLOCRON_LESSONS_DIR) is set, else the
    bundled set."""
    if lessons_dir is None:
        return BUNDLED
    return from_lessons(read_lessons(Path(lessons_dir)))


def get_exercise(key: str | int, exercises: ExerciseSet = BUNDLED) -> Exercise:
    """One exercise of ``exercises`` (the bundled set by default), by number or key."""
    return exercises.get(key)
