"""Every error of the library, found by walking the package: it lives in `holocron_lib.errors`,
pickles to an equal error, and its message names its subject.

Secrets in messages are checked where secrets reach an error: test_settings.py (a bad secret
setting), test_sqlserver_odbc.py (connection strings and failing statements) and
test_execute.py (a failing run's recorded error).
"""

from __future__ import annotations

import importlib
import pickle
import pkgutil

import pytest

import holocron_lib
from holocron_lib import errors

# class name -> (constructor arguments, texts the message must contain: its subject).
EXAMPLES: dict[str, tuple[tuple, tuple[str, ...]]] = {
    "SettingsError": (("SEED_SQLSERVER_PORT", "must be a whole number"), ("SEED_SQLSERVER_PORT",)),
    "TranslationError": (("SELECT TOP 5 * FROM dbo.DimEntity", "unsupported"),
                         ("SELECT TOP 5 * FROM dbo.DimEntity",)),
    "UnknownObjectError": (("table", "dbo.DimEntty", ("dbo.DimEntity",)),
                           ("table", "'dbo.DimEntty'", "'dbo.DimEntity'")),
    "ProcedureNotEmulatedError": (("llm.usp_nope", ("llm.usp_claim_next_job",)),
                                  ("'llm.usp_nope'", "llm.usp_claim_next_job")),
    "NotebookNotFoundError": (("runbooks/nope", ("runbooks/01_verify_local_stack",)),
                              ("'runbooks/nope'", "'runbooks/01_verify_local_stack'")),
    "SeedError": (("019_FactEvent.json", "unknown column", 3, "Foo"),
                  ("019_FactEvent.json, row 3, column Foo",)),
    "DatabaseError": (("Invalid object name 'dbo.Nope'", "sqlserver"), ("[sqlserver]", "dbo.Nope")),
    "ConnectionFailedError": (("server db.example:1433 did not answer", "sqlserver"),
                              ("[sqlserver]", "db.example:1433")),
    "DatabaseBusyError": ((".holocron/work.duckdb", "run 12 (process 4242 on build-01)", 300),
                          (".holocron/work.duckdb", "run 12 (process 4242", "300 s",
                           "HOLOCRON_DB_WAIT")),
    "ProcedureFailedError": (("llm.usp_enqueue_job", "dedupe_key is required"),
                             ("llm.usp_enqueue_job", "dedupe_key is required")),
    "ParameterError": (("runbooks/02_single_ingestion_run", "MODE", "not allowed", ("dry-run", "apply")),
                       ("'runbooks/02_single_ingestion_run'", "'MODE'", "'dry-run'", "'apply'")),
    "ProcedureParameterError": (("llm.usp_claim_next_job", "worker", "is not a parameter",
                                 ("@worker_id",)),
                                ("llm.usp_claim_next_job", "'worker'", "@worker_id")),
    "NotebookExecutionError": (("runbooks/x", 3, "ValueError", "boom", "artifacts/x.ipynb"),
                               ("'runbooks/x'", "cell 3", "ValueError: boom", "artifacts/x.ipynb")),
    "BookBuildError": (("jupyter-book exited with status 1", "runbooks/05_checkpoint_rerun"),
                       ("runbooks/05_checkpoint_rerun", "status 1")),
    "LakePathError": (("../../etc/passwd", "must not contain '..'"), ("'../../etc/passwd'",)),
    "EmbeddingError": (("http://localhost:11434", "HTTP 404 for model 'nomic-embed-text'"),
                       ("http://localhost:11434", "'nomic-embed-text'")),
    "QueueFullError": ((1000,), ("1000 runs",)),
    "RunStateError": ((7, "succeeded", "cancel"), ("run 7", "succeeded")),
    "PresetError": (("simple_params", "loud", "is not valid: 'COUNT' must be at most 5"),
                    ("'loud'", "'simple_params'", "'COUNT'")),
    "PresetExistsError": (("simple_params", "loud"), ("'loud'", "'simple_params'", "exists")),
    "TokenError": (("it has expired",), ("bearer token", "expired")),
    "ScheduleExistsError": (("nightly",), ("'nightly'", "exists")),
    "ScheduleError": (("nightly", "'61 * * * *' is not a cron expression"),
                      ("'nightly'", "'61 * * * *'")),
    "LessonFileError": (("07_scene_dashboards_answers.sql", "no MODULE line", 2),
                        ("07_scene_dashboards_answers.sql, line 2", "no MODULE line")),
    "StoreUnavailableError": (("runs.sqlite (SQLite)", "file is not a database", "move the file aside",
                               "sqlite"), ("runs.sqlite (SQLite)", "file is not a database")),
    "WaitingLimitError": (("ana", 20, 20), ("ana", "HOLOCRON_MAX_WAITING_PER_USER")),
    "RecordError": (("rows_ingested", "a set is not JSON"), ("'rows_ingested'", "set")),
}


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def discover_errors() -> list[type]:
    """Every subclass of HolocronError defined in the library, after importing all of it."""
    for module in pkgutil.walk_packages(holocron_lib.__path__, "holocron_lib."):
        importlib.import_module(module.name)
    classes = {c for c in _subclasses(errors.HolocronError) if c.__module__.startswith("holocron_lib")}
    return sorted(classes, key=lambda c: c.__name__)


ERRORS = discover_errors()


def example(cls: type) -> tuple[errors.HolocronError, tuple[str, ...]]:
    assert cls.__name__ in EXAMPLES, f"add example arguments for {cls.__name__} to EXAMPLES"
    args, subjects = EXAMPLES[cls.__name__]
    return cls(*args), subjects


def test_discovery_walks_the_class_tree_recursively():
    """Grandchildren of HolocronError (subclasses of subclasses) are found too."""
    names = {c.__name__ for c in ERRORS}
    assert {"ConnectionFailedError", "ProcedureFailedError", "ProcedureNotEmulatedError"} <= names
    assert errors.HolocronError not in ERRORS


def test_every_example_belongs_to_a_real_error():
    assert sorted(EXAMPLES) == sorted(c.__name__ for c in ERRORS)


@pytest.mark.parametrize("cls", ERRORS, ids=lambda c: c.__name__)
def test_error_lives_in_the_errors_module(cls):
    assert cls.__module__ == "holocron_lib.errors"
    assert getattr(errors, cls.__name__) is cls


@pytest.mark.parametrize("cls", ERRORS, ids=lambda c: c.__name__)
def test_error_pickles_to_an_equal_error(cls):
    err, _ = example(cls)
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is cls
    assert str(clone) == str(err)
    assert clone.args == err.args
    assert vars(clone) == vars(err)


@pytest.mark.parametrize("cls", ERRORS, ids=lambda c: c.__name__)
def test_error_message_names_its_subject(cls):
    err, subjects = example(cls)
    message = str(err)
    missing = [s for s in subjects if s not in message]
    assert missing == [], f"{message!r} does not name {missing}"


@pytest.mark.parametrize("cls", ERRORS, ids=lambda c: c.__name__)
def test_error_is_also_the_builtin_a_caller_would_catch(cls):
    err, _ = example(cls)
    assert isinstance(err, errors.HolocronError)
    assert isinstance(err, ValueError | LookupError | RuntimeError)


def test_procedure_parameter_error_names_the_procedure_not_a_notebook():
    err = errors.ProcedureParameterError("llm.usp_complete_job", "status", "missing", ["@status"])
    assert err.procedure == "llm.usp_complete_job"
    assert not hasattr(err, "notebook")
    assert not isinstance(err, errors.ParameterError)


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


def test_store_and_limit_errors_say_what_to_do():
    store = errors.StoreUnavailableError("runs.sqlite (SQLite)", "file is not a database",
                                         "move the file aside", "sqlite")
    limit = errors.WaitingLimitError("ana", 20, 20)
    assert str(store) == ("the run store runs.sqlite (SQLite) cannot be used: file is not a "
                          "database; move the file aside")
    assert isinstance(store, errors.DatabaseError) and store.backend == "sqlite"
    assert "HOLOCRON_MAX_WAITING_PER_USER" in str(limit) and limit.limit == 20
