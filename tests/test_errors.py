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
    errors.StoreUnavailableError("runs.sqlite (SQLite)", "file is not a database",
                                 "move the file aside", "sqlite"),
    errors.WaitingLimitError("ana", 20, 20),
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


def test_store_and_limit_errors_say_what_to_do():
    store, limit = SAMPLES[-2], SAMPLES[-1]
    assert str(store) == ("the run store runs.sqlite (SQLite) cannot be used: file is not a "
                          "database; move the file aside")
    assert isinstance(store, errors.DatabaseError) and store.backend == "sqlite"
    assert "HOLOCRON_MAX_WAITING_PER_USER" in str(limit) and limit.limit == 20
