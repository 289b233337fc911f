"""The exercises companion's helpers: prompts and answers display themselves; checks are values."""

import pytest
from seeded_db import fresh

from holocron_lib.notebook import exercises


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    with fresh(tmp_path_factory) as conn:
        yield conn


@pytest.fixture
def shown(monkeypatch):
    import IPython.display

    objects = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: objects.append(obj))
    return objects


def test_present_displays_the_prompt_with_hints_and_answer_folded(shown):
    assert exercises.present(1) is None
    [prompt] = shown
    markup = prompt._repr_html_()
    assert "Exercise 1" in markup and markup.count("<details>") == len(exercises.get_exercise(1).hints) + 1
    assert str(prompt).startswith("Exercise 1: ")


def test_answer_table_displays_the_expected_rows(db, shown):
    assert exercises.answer_table(db, 2, max_rows=3) is None
    expected = db.query(exercises.get_exercise(2).answer)
    assert f"Showing 3 of {len(expected):,} rows" in shown[0]._repr_html_()


def test_check_is_a_value_that_renders_itself(db):
    answer = db.query(exercises.get_exercise(2).answer)
    result = exercises.check(db, 2, answer)
    assert result and "Correct" in result._repr_html_()
    wrong = exercises.check(db, 2, answer.head(1))
    assert not wrong and "expected" in wrong.message
