"""The exercises companion: the bundled set and a checkout's lessons, presented and checked.

`tests/lessons/` holds lesson files in a checkout's `docs/lessons/` layout, written for these
tests: module 01 has an answer with an empty result, module 02 an answer of two statements
and one that names a column the view lacks (broken on every database).
"""

from pathlib import Path

import pandas as pd
import pytest
from seeded_db import fresh

from holocron_lib.errors import LessonFileError, UnknownObjectError
from holocron_lib.notebook import companion, exercises
from holocron_lib.notebook.lessons import read_lessons, split_statements
from holocron_lib.settings import load_settings

LESSONS = Path(__file__).resolve().parent / "lessons"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    with fresh(tmp_path_factory) as conn:
        yield conn


@pytest.fixture(scope="module")
def lessons():
    return exercises.load_exercises(LESSONS)


@pytest.fixture
def shown(monkeypatch):
    import IPython.display

    objects = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: objects.append(obj))
    return objects


# --- the bundled set ------------------------------------------------------------------------


def test_present_displays_the_prompt_with_hints_and_answer_folded(shown):
    assert companion.present(1) is None
    [prompt] = shown
    markup = prompt._repr_html_()
    assert "Exercise 1" in markup and markup.count("<details>") == len(exercises.get_exercise(1).hints) + 1
    assert str(prompt).startswith("Exercise 1: ")


def test_answer_table_displays_the_expected_rows(db, shown):
    assert companion.answer_table(db, 2, max_rows=3) is None
    expected = db.query(exercises.get_exercise(2).answer)
    assert f"Showing 3 of {len(expected):,} rows" in shown[0]._repr_html_()


def test_check_is_a_value_that_renders_itself(db):
    answer = db.query(exercises.get_exercise(2).answer)
    result = companion.check(db, 2, answer)
    assert result and "Correct" in result._repr_html_() and repr(result).startswith("Correct: ")
    wrong = companion.check(db, 2, answer.head(1))
    assert not wrong and "expected" in wrong.message and not wrong.broken


def test_without_the_setting_the_bundled_set_is_used(clean_env):
    settings = load_settings()
    assert settings.lessons_dir is None
    chosen = exercises.load_exercises(settings.lessons_dir)
    assert chosen is exercises.BUNDLED and len(chosen.exercises()) == 12
    assert all(ex.starter for ex in chosen.exercises()), "each bundled exercise has a sample"
    assert "HOLOCRON_LESSONS_DIR" in chosen.summary()


def test_the_setting_names_the_lessons_folder(clean_env, monkeypatch):
    monkeypatch.setenv("HOLOCRON_LESSONS_DIR", "checkout/docs/lessons")
    assert load_settings().lessons_dir == clean_env / "checkout" / "docs" / "lessons"


def test_walking_the_bundled_set_checks_each_sample_attempt(db, shown):
    report = companion.walk_through(db, exercises.BUNDLED, answer_rows=3)
    assert list(report["exercise"]) == [str(n) for n in range(1, 13)]
    assert (report["status"] == "ok").all()
    verdicts = [str(o) for o in shown if str(o).startswith(("Correct", "Not yet"))]
    assert len(verdicts) == 12
    assert verdicts[1].startswith("Correct: all "), "the second sample is a correct attempt"
    assert verdicts[0].startswith("Not yet: row 1 differs")


# --- reading lesson files -------------------------------------------------------------------


def test_lesson_modules_are_read_with_their_header_fields():
    read = read_lessons(LESSONS)
    assert read.problems == ()
    first, second = read.modules
    assert (first.number, first.slug, first.title) == (1, "character_directory", "Character Directory")
    assert first.objective.startswith("Read one learning view the way a directory reads")
    assert first.skills == ("Choosing columns with SELECT", "Limiting rows with TOP and ORDER BY",
                            "Filtering with WHERE")
    assert first.tables == ("learn_characters",) and first.difficulty == "Beginner"
    assert second.tables == ("learn_events", "learn_event_participants")
    assert second.objective == "Put events in order and count them per work and per participant."


def test_exercises_join_goal_hints_and_tables_with_their_answers():
    first = read_lessons(LESSONS).modules[0].exercises[0]
    assert (first.module, first.number, first.title) == (1, 1, "The first ten names")
    assert first.goal == ("List the first ten characters in alphabetical order of their name, "
                          "with their species.")
    assert first.hints == ("TOP (10) goes right after SELECT", "Sort by CharacterName")
    assert first.tables == ("learn_characters",)
    assert first.answers == ("SELECT TOP (10) CharacterName, Species\nFROM learn_characters\n"
                             "ORDER BY CharacterName",), "variations and comments left out"
    assert "Comment: without ORDER BY the engine may return any ten rows." in first.notes


def test_an_answer_of_two_statements_keeps_both():
    two = read_lessons(LESSONS).modules[1].exercises[1]
    assert len(two.answers) == 2 and "'a; b'" in two.answers[0]


def test_statements_split_on_semicolons_outside_strings_brackets_and_comments():
    sql = "SELECT 'x;y' AS [a;b]; -- no; split\nSELECT 2;\n\n"
    assert split_statements(sql) == ["SELECT 'x;y' AS [a;b]", "SELECT 2"]
    assert split_statements("SELECT 'it''s; fine'") == ["SELECT 'it''s; fine'"]


def test_a_missing_folder_names_the_setting(tmp_path):
    with pytest.raises(LessonFileError, match="HOLOCRON_LESSONS_DIR"):
        read_lessons(tmp_path / "nope")
    with pytest.raises(LessonFileError, match="no NN_<slug>_exercises.sql"):
        read_lessons(tmp_path)


def test_a_bad_module_is_named_and_the_others_are_kept(tmp_path):
    for path in LESSONS.glob("*.sql"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "02_event_timeline_exercises.sql"
    broken.write_text(broken.read_text(encoding="utf-8").replace("MODULE 02:", "MODULE:"),
                      encoding="utf-8")
    (tmp_path / "03_orphan_answers.sql").write_text("/* MODULE 03: x */\n", encoding="utf-8")
    read = read_lessons(tmp_path)
    assert [m.number for m in read.modules] == [1]
    assert read.problems == (
        "02_event_timeline_exercises.sql, line 1: its opening comment has no 'MODULE NN: "
        "<title>' line",
        "03_orphan_answers.sql: has no exercises file beside it")
    assert "2 file(s) could not be read" in exercises.from_lessons(read).summary()


def test_an_exercise_without_an_answer_is_broken(tmp_path, db):
    for path in LESSONS.glob("01_*_exercises.sql"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    lone = exercises.load_exercises(tmp_path)
    run = companion.run_answer(db, lone.get("01.1"))
    assert run.broken and "no statement" in run.error


# --- lessons on this database ---------------------------------------------------------------


def test_lesson_keys_and_modules(lessons):
    assert [ex.key for ex in lessons.exercises()] == ["01.1", "01.2", "01.3", "02.1", "02.2", "02.3"]
    assert [ex.key for ex in lessons.exercises(2)] == ["02.1", "02.2", "02.3"]
    assert lessons.get("2.1") is lessons.get("02.1")
    with pytest.raises(UnknownObjectError):
        lessons.exercises(7)
    assert list(lessons.index()["exercises"]) == [3, 3]


def test_row_order_counts_where_the_answer_orders(lessons):
    ordered = lessons.get("01.1")
    assert companion.is_ordered(ordered, ordered.answer)
    unordered = lessons.get("01.2")
    assert not companion.is_ordered(unordered, unordered.answer)
    window_only = "SELECT ROW_NUMBER() OVER (ORDER BY x) AS n FROM t"
    assert not companion.is_ordered(unordered, window_only)


def test_a_learner_query_is_checked_against_the_lesson_answer(db, lessons):
    exercise = lessons.get("01.1")
    right = db.query("SELECT TOP (10) CharacterName, Species FROM learn_characters "
                     "ORDER BY CharacterName")
    assert companion.check(db, exercise, right)
    shuffled = right.iloc[::-1].reset_index(drop=True)
    assert companion.check(db, exercise, shuffled).message.startswith("row 1 differs")
    counts = db.query("SELECT COUNT(*) AS Characters, Gender FROM learn_characters GROUP BY Gender")
    assert not companion.check(db, lessons.get("01.2"), counts), "columns in the wrong order"
    counts = counts[["Gender", "Characters"]].iloc[::-1]
    assert companion.check(db, lessons.get("01.2"), counts), "row order is free without ORDER BY"


def test_an_empty_expected_result_is_a_valid_exercise(db, lessons):
    exercise = lessons.get("01.3")
    run = companion.run_answer(db, exercise)
    assert not run.broken and run.rows == 0
    nothing = pd.DataFrame(columns=["CharacterName", "Species"])
    assert companion.check(db, exercise, nothing).message == "all 0 rows match"


def test_any_statement_of_a_two_statement_answer_matches(db, lessons):
    exercise = lessons.get("02.2")
    events = db.query("SELECT COUNT(*) AS Events FROM learn_events")
    result = companion.check(db, exercise, events)
    assert result and result.message.endswith("(statement 2 of the answer)")
    wrong = companion.check(db, exercise, pd.DataFrame({"Events": [-1]}))
    assert wrong.message.startswith("statement 1: expected columns ['scenes']")


def test_a_failing_answer_is_broken_and_the_check_declines(db, lessons):
    exercise = lessons.get("02.3")
    run = companion.run_answer(db, exercise)
    assert run.broken and "ParticipantRank" in run.error
    result = companion.check(db, exercise, pd.DataFrame({"EventKey": [1]}))
    assert not result and result.broken and "Cannot check" in result._repr_html_()
    assert "exercise 02.3 is broken on this database" in result.message


def test_the_walk_marks_the_broken_exercise_and_carries_on(db, lessons, shown, capsys):
    report = companion.walk_through(db, lessons, answer_rows=2)
    assert list(report["status"]) == ["ok", "ok", "ok", "ok", "ok", "broken"]
    assert list(companion.broken(report)["exercise"]) == ["02.3"]
    pages = [o._repr_html_() for o in shown]
    assert len(pages) == 6, "one presentation per exercise, no sample attempts for lessons"
    assert "Broken here:" in pages[5] and "ParticipantRank" in pages[5]
    assert "Expected result (10 rows)" in pages[0] and "<summary>Answer</summary>" in pages[0]
    assert "Tables:</em> learn_characters" in pages[0]
    assert capsys.readouterr().out.strip().endswith(
        "6 exercise(s) presented; 1 answer(s) fail on this database and are marked broken: 02.3")


def test_the_answer_stays_folded_until_revealed(lessons, shown):
    companion.present(lessons.get("01.1"))
    markup = shown[0]._repr_html_()
    before, folded = markup.split("<details><summary>Answer</summary>")
    assert "ORDER BY CharacterName" not in before and "ORDER BY CharacterName" in folded


def test_a_starter_query_runs_for_a_lesson_exercise(db, lessons):
    frame = db.query(companion.starter_query(lessons.get("02.1")))
    assert 0 < len(frame) <= 5 and "WorkTitle" in frame.columns
