"""The exercises page: present each exercise, check a learner's rows, report broken answers.

An answer is run on the database the page runs on. One that fails there (a lesson's answer
that names a column the view lacks fails on SQL Server too) makes that exercise *broken*:
the page says so where the exercise is presented and carries on with the next one, and the
checker declines to judge it rather than calling every attempt wrong.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from holocron_lib.errors import HolocronError
from holocron_lib.notebook.display import show, show_html, table_html
from holocron_lib.notebook.exercises import BUNDLED, Exercise, ExerciseSet

REPORT_COLUMNS = ["exercise", "title", "status", "expected_rows", "error"]


@dataclass(frozen=True)
class AnswerRun:
    """The answer's statements run once: their results, or the first error."""

    frames: tuple = ()
    error: str | None = None

    @property
    def broken(self) -> bool:
        return self.error is not None

    @property
    def rows(self) -> int:
        return len(self.frames[-1]) if self.frames else 0


def _exercise(exercise: Exercise | str | int, exercises: ExerciseSet) -> Exercise:
    return exercise if isinstance(exercise, Exercise) else exercises.get(exercise)


def run_answer(db, exercise: Exercise) -> AnswerRun:
    """Run every statement of the answer key on ``db``; a failure is kept, not raised."""
    if not exercise.answers:
        return AnswerRun(error="the answer key has no statement for this exercise")
    frames = []
    for sql in exercise.answers:
        try:
            frames.append(db.query(sql))
        except HolocronError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return AnswerRun(error=f"{type(exc).__name__}: {first}")
    return AnswerRun(tuple(frames))


def is_ordered(exercise: Exercise, sql: str) -> bool:
    """Whether row order is part of an answer: the exercise says so, or else the statement
    ends with its own ORDER BY (one inside OVER () or a subquery does not count)."""
    if exercise.ordered is not None:
        return exercise.ordered
    try:
        tree = sqlglot.parse_one(sql, read="tsql")
    except SqlglotError:
        return bool(re.search(r"\bORDER\s+BY\b[^()]*$", sql, re.IGNORECASE))
    return isinstance(tree, exp.Query) and tree.args.get("order") is not None


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    message: str
    broken: bool = False  # the answer itself fails here, so nothing could be judged

    def _repr_html_(self) -> str:
        colour = "#fff4d6" if self.broken else "#e3f5e8" if self.passed else "#fde7e7"
        mark = "Cannot check" if self.broken else "Correct" if self.passed else "Not yet"
        return (f'<div class="exercise-check" style="background:{colour}"><strong>{mark}:</strong> '
                f"{html.escape(self.message)}</div>")

    def __str__(self) -> str:
        mark = "Cannot check" if self.broken else "Correct" if self.passed else "Not yet"
        return f"{mark}: {self.message}"

    __repr__ = __str__  # what a notebook shows as plain text, not the dataclass fields

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


def _compare(expected, result, ordered: bool) -> str | None:
    """Why ``result`` differs from ``expected``, or None when it matches."""
    exp_cols, exp_rows = _normalise(expected, ordered)
    got_cols, got_rows = _normalise(result, ordered)
    if got_cols != exp_cols:
        return f"expected columns {exp_cols}, got {got_cols}"
    if len(got_rows) != len(exp_rows):
        return f"expected {len(exp_rows)} rows, got {len(got_rows)}"
    for i, (got, want) in enumerate(zip(got_rows, exp_rows, strict=True)):
        if got != want:
            where = f"row {i + 1} differs" if ordered else "the rows differ"
            return f"{where}: expected {want}, got {got}"
    return None


def check(db, exercise: Exercise | str | int, result, exercises: ExerciseSet = BUNDLED,
          answer: AnswerRun | None = None) -> CheckResult:
    """Compare the learner's DataFrame with the answer's rows on the same database.

    Column names are compared case-insensitively; row order counts only where the answer
    asks for an order. An answer of several statements is matched by any of them. An
    answer that fails on this database gives a result that is neither pass nor fail.
    """
    ex = _exercise(exercise, exercises)
    answer = answer or run_answer(db, ex)
    if answer.broken:
        return CheckResult(False, f"exercise {ex.key} is broken on this database, so no attempt "
                                  f"can be judged: its answer fails ({answer.error})", broken=True)
    reasons = []
    for i, (sql, expected) in enumerate(zip(ex.answers, answer.frames, strict=True)):
        reason = _compare(expected, result, is_ordered(ex, sql))
        if reason is None:
            which = f" (statement {i + 1} of the answer)" if len(ex.answers) > 1 else ""
            return CheckResult(True, f"all {len(expected)} rows match{which}")
        reasons.append(reason)
    if len(reasons) == 1:
        return CheckResult(False, reasons[0])
    return CheckResult(False, "; ".join(f"statement {i + 1}: {r}" for i, r in enumerate(reasons)))


def answer_table(db, exercise: Exercise | str | int, max_rows: int = 10,
                 exercises: ExerciseSet = BUNDLED) -> None:
    """Display the expected result, for the reader who wants to see it after trying."""
    ex = _exercise(exercise, exercises)
    answer = run_answer(db, ex)
    if answer.broken:
        print(f"Exercise {ex.key} has no expected rows here: its answer fails ({answer.error}).")
        return
    show(answer.frames[-1], max_rows=max_rows)


def format_sql(sql: str) -> str:
    """Break a one-line query before its main clauses so the answer reads well."""
    if "\n" in sql.strip():
        return sql.strip()
    return re.sub(
        r"\s+(FROM|WHERE|GROUP BY|ORDER BY|JOIN|SELECT TOP|SELECT (?!1)|WITH|UNION)\b",
        lambda m: "\n" + m.group(1), sql,
    ).strip()


def _heading(ex: Exercise) -> str:
    where = f"Exercise {ex.number}" if ex.module == 0 else f"Module {ex.module:02d} · Exercise {ex.number}"
    about = "; ".join(p for p in (ex.level, ", ".join(ex.concepts)) if p)
    return (f"<p><strong>{where} · {html.escape(ex.title)}</strong>"
            + (f" <em>({html.escape(about)})</em>" if about else "") + "</p>")


def present(exercise: Exercise | str | int, exercises: ExerciseSet = BUNDLED, *,
            answer: AnswerRun | None = None, answer_rows: int = 0) -> None:
    """Display the exercise: its goal and tables, each hint and the answer folded until
    clicked. With ``answer`` (a run of it) also whether it runs here, and up to
    ``answer_rows`` expected rows, folded too; a broken answer is said in red."""
    ex = _exercise(exercise, exercises)
    parts = [_heading(ex), f"<p>{html.escape(ex.prompt)}</p>"]
    if ex.tables and ex.module:
        parts.append(f"<p><em>Tables:</em> {html.escape(', '.join(ex.tables))}</p>")
    for i, hint in enumerate(ex.hints, 1):
        parts.append(f"<details><summary>Hint {i}</summary><p>{html.escape(hint)}</p></details>")
    statements = "\n\n".join(format_sql(s) + ";" * (len(ex.answers) > 1) for s in ex.answers)
    notes = "".join(f"<p>{html.escape(n)}</p>" for n in ex.notes)
    parts.append(f"<details><summary>Answer</summary><pre>{html.escape(statements or '—')}</pre>"
                 f"{notes}</details>")
    text = f"Exercise {ex.key}: {ex.prompt}"
    if answer is not None and answer.broken:
        parts.append('<div class="exercise-broken" style="background:#fde7e7"><strong>Broken '
                     f"here:</strong> the answer fails on this database ({html.escape(answer.error)})"
                     ". Compare your query with the goal by eye; the check cannot judge it.</div>")
        text += f"\nBroken here: the answer fails on this database ({answer.error})"
    elif answer is not None and answer_rows:
        frame = answer.frames[-1]
        parts.append(f"<details><summary>Expected result ({len(frame):,} rows)</summary>"
                     f"{table_html(frame, max_rows=answer_rows)}</details>")
    show_html("".join(parts), text)


def starter_query(exercise: Exercise) -> str:
    """A query that runs, to start an attempt from: the exercise's sample, else a look at
    its first table."""
    if exercise.starter:
        return exercise.starter
    table = exercise.tables[0] if exercise.tables else "learn_characters"
    return f"SELECT TOP (5) * FROM {table}"


def walk_through(db, exercises: ExerciseSet, module: int = 0, answer_rows: int = 5):
    """Present every exercise of ``module`` (0: all) with its answer run on ``db``, and a
    sample attempt checked where the exercise has one. Returns one row per exercise; the
    broken ones are reported and skipped over, never raised."""
    import pandas as pd

    rows = []
    for ex in exercises.exercises(module):
        answer = run_answer(db, ex)
        present(ex, answer=answer, answer_rows=answer_rows)
        if ex.starter and not answer.broken:
            attempt = db.query(ex.starter)
            show(attempt, max_rows=5, title=f"A sample attempt at exercise {ex.key}: {ex.starter_note}")
            result = check(db, ex, attempt, answer=answer)
            show_html(result._repr_html_(), str(result))
        rows.append({"exercise": ex.key, "title": ex.title,
                     "status": "broken" if answer.broken else "ok",
                     "expected_rows": None if answer.broken else answer.rows,
                     "error": answer.error or ""})
    report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    print(walk_summary(report))
    return report


def walk_summary(report) -> str:
    """One line: how many exercises were presented and which answers are broken here."""
    broken = report[report["status"] == "broken"]
    line = f"{len(report)} exercise(s) presented"
    if broken.empty:
        return line + "; every answer runs on this database."
    return (line + f"; {len(broken)} answer(s) fail on this database and are marked broken: "
            + ", ".join(broken["exercise"]))


def broken(report):
    """The rows of a `walk_through` report whose answer fails on this database."""
    return report[report["status"] == "broken"].reset_index(drop=True)
