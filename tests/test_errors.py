import pickle

import pytest

from holocron_lib import errors

CANARY = "Canary-Pa55word-7f3e"

SAMPLES = [
    errors.SettingsError("SEED_SQLSERVER_PASSWORD", "is required when SEED_SQLSERVER_HOST is set"),
    errors.TranslationError("SELECT TOP 5 * FROM x", "unsupported"),
    errors.UnknownObjectError("table", "dbo.DimEntty", ["dbo.DimEntity"]),
    errors.ProcedureNotEmulatedError("llm.usp_nope", ["llm.usp_claim_next_job"]),
    errors.SeedError("019_FactEvent.json", "unknown column", row=3, column="Foo"),
    errors.DatabaseError("login failed", "sqlserver"),
    errors.ConnectionFailedError("server unreachable", "sqlserver"),
    errors.NotebookNotFoundError("runbooks/nope", ["runbooks/01_verify_local_stack"]),
    errors.ParameterError("runbooks/x", "mode", "not allowed", ["dry-run", "apply"]),
    errors.NotebookExecutionError("runbooks/x", 3, "ValueError", "boom", "artifacts/x.ipynb"),
]


@pytest.mark.parametrize("err", SAMPLES, ids=lambda e: type(e).__name__)
def test_error_pickles_with_same_message(err):
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is type(err)
    assert str(clone) == str(err)
    assert isinstance(clone, errors.HolocronError)


def test_messages_name_the_culprit():
    assert "row 3, column Foo" in str(SAMPLES[4])
    assert "dbo.DimEntity" in str(SAMPLES[2])
    assert "'apply'" in str(SAMPLES[8])
    assert "cell 3" in str(SAMPLES[9])
    assert "llm.usp_nope" in str(SAMPLES[3])


def test_close_matches_is_case_insensitive():
    assert errors.close_matches("dimentity", ["DimEntity", "DimWork"]) == ["DimEntity"]


def test_an_sql_excerpt_is_one_line_cut_to_its_limit():
    sql = "SELECT a,\n       b\n\tFROM   dbo.T\n"
    assert errors.excerpt(sql) == "SELECT a, b FROM dbo.T"
    long = "SELECT " + ", ".join(f"col{i}" for i in range(100)) + " FROM dbo.T"
    cut = errors.excerpt(long, 40)
    assert len(cut) == 40 and cut.endswith("...") and cut.startswith("SELECT col0, col1")
    assert errors.excerpt(long[:40], 40) == long[:40]


def test_a_translation_error_shows_a_bounded_excerpt():
    err = errors.TranslationError("SELECT\n  " + "x, " * 200 + "y", "unsupported")
    shown = str(err).split("\n  in: ")[1]
    assert len(shown) == 160 and shown.startswith("SELECT x, x")
