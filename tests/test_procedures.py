"""Stored-procedure emulations: parameters, result-set shapes and effects on the tables."""

from __future__ import annotations

import shutil
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd
import pytest

from holocron_lib.db.procedures import (
    call_emulated,
    get_procedure,
    list_procedures,
    normalize_name,
)
from holocron_lib.errors import (
    HolocronError,
    ParameterError,
    ProcedureFailedError,
    ProcedureNotEmulatedError,
    ProcedureParameterError,
)

# name -> [(parameter, T-SQL type, required, default)] as in the CREATE PROCEDURE headers.
EXPECTED_PARAMS = {
    "llm.usp_enqueue_job": [
        ("priority", "INT", False, 100),
        ("interrogation_key", "NVARCHAR(200)", True, None),
        ("input_json", "NVARCHAR(MAX)", True, None),
        ("evidence_ref_json", "NVARCHAR(MAX)", False, None),
        ("model_hint", "NVARCHAR(100)", False, None),
        ("max_attempts", "INT", False, 3),
        ("dedupe_key", "NVARCHAR(500)", False, None),
    ],
    "llm.usp_enqueue_job_idempotent": [
        ("interrogation_key", "NVARCHAR(200)", True, None),
        ("dedupe_key", "NVARCHAR(500)", True, None),
        ("input_json", "NVARCHAR(MAX)", True, None),
        ("evidence_ref_json", "NVARCHAR(MAX)", False, None),
        ("model_hint", "NVARCHAR(100)", False, None),
        ("priority", "INT", False, 100),
        ("max_attempts", "INT", False, 3),
    ],
    "llm.usp_get_job_by_dedupe_key": [
        ("interrogation_key", "NVARCHAR(200)", True, None),
        ("dedupe_key", "NVARCHAR(500)", True, None),
    ],
    "llm.usp_claim_next_job": [("worker_id", "NVARCHAR(200)", True, None)],
    "llm.usp_complete_job": [
        ("job_id", "UNIQUEIDENTIFIER", True, None),
        ("status", "VARCHAR(20)", True, None),
        ("error", "NVARCHAR(MAX)", False, None),
        ("backoff_seconds", "INT", False, 60),
    ],
    "llm.usp_create_run": [
        ("job_id", "UNIQUEIDENTIFIER", True, None),
        ("worker_id", "NVARCHAR(200)", True, None),
        ("ollama_base_url", "NVARCHAR(500)", True, None),
        ("model_name", "NVARCHAR(100)", True, None),
        ("model_tag", "NVARCHAR(100)", False, None),
        ("model_digest", "NVARCHAR(200)", False, None),
        ("options_json", "NVARCHAR(MAX)", False, None),
    ],
    "llm.usp_complete_run": [
        ("run_id", "UNIQUEIDENTIFIER", True, None),
        ("status", "VARCHAR(20)", True, None),
        ("metrics_json", "NVARCHAR(MAX)", False, None),
        ("error", "NVARCHAR(MAX)", False, None),
    ],
    "llm.usp_create_artifact": [
        ("run_id", "UNIQUEIDENTIFIER", True, None),
        ("artifact_type", "NVARCHAR(100)", True, None),
        ("lake_uri", "NVARCHAR(1000)", False, None),
        ("content_sha256", "NVARCHAR(64)", False, None),
        ("byte_count", "BIGINT", False, None),
        ("content", "NVARCHAR(MAX)", False, None),
        ("content_mime_type", "NVARCHAR(100)", False, None),
        ("stored_in_sql", "BIT", False, 0),
        ("mirrored_to_lake", "BIT", False, 0),
    ],
    "llm.usp_escalate_aged_jobs": [
        ("age_threshold_minutes", "INT", False, 60),
        ("priority_boost", "INT", False, 50),
        ("max_priority", "INT", False, 300),
        ("max_jobs_per_run", "INT", False, 100),
    ],
    "llm.usp_get_queue_health_summary": [],
    "dbo.usp_batch_insert_entities": [
        ("entities_json", "NVARCHAR(MAX)", True, None),
        ("run_id", "UNIQUEIDENTIFIER", True, None),
        ("job_id", "UNIQUEIDENTIFIER", False, None),
        ("source_page_id", "UNIQUEIDENTIFIER", False, None),
        ("batch_mode", "NVARCHAR(20)", False, "staged"),
    ],
    "dbo.usp_batch_insert_entity_relations": [
        ("relationships_json", "NVARCHAR(MAX)", True, None),
        ("run_id", "UNIQUEIDENTIFIER", True, None),
        ("job_id", "UNIQUEIDENTIFIER", False, None),
        ("source_page_id", "UNIQUEIDENTIFIER", False, None),
        ("allow_duplicates", "BIT", False, 0),
    ],
    "dbo.usp_get_entities_by_type": [
        ("entity_type", "NVARCHAR(100)", True, None),
        ("promotion_state", "NVARCHAR(30)", False, None),
        ("run_id", "UNIQUEIDENTIFIER", False, None),
        ("limit", "INT", False, 100),
    ],
    "dbo.usp_count_entities_by_type": [("entity_type", "NVARCHAR(100)", False, None)],
    "dbo.usp_count_relations_by_type": [("relation_type", "NVARCHAR(100)", False, None)],
    "dbo.usp_get_unclassified_entities": [
        ("limit", "INT", False, 200),
        ("fill_missing_only", "BIT", False, 0),
        ("require_normalization", "BIT", False, 0),
        ("require_tags", "BIT", False, 0),
    ],
    "dbo.usp_get_entity_classification_status": [("limit", "INT", False, 200)],
    "dbo.__usp_log_migration_start": [
        ("migration_id", "NVARCHAR(50)", True, None),
        ("step_name", "NVARCHAR(200)", True, None),
        ("rows_before", "BIGINT", False, None),
        ("details", "NVARCHAR(MAX)", False, None),
        ("log_id", "INT", True, None),
    ],
    "dbo.__usp_log_migration_end": [
        ("log_id", "INT", True, None),
        ("status", "NVARCHAR(20)", True, None),
        ("rows_after", "BIGINT", False, None),
        ("error_message", "NVARCHAR(MAX)", False, None),
        ("details", "NVARCHAR(MAX)", False, None),
    ],
}


# --- a database to run against ------------------------------------------------------------

_FALLBACK_DDL = """
CREATE SCHEMA IF NOT EXISTS llm;
CREATE SCHEMA IF NOT EXISTS dbo;
CREATE TABLE llm.job (
  job_id UUID PRIMARY KEY DEFAULT uuid(), created_utc TIMESTAMP NOT NULL DEFAULT now(),
  status VARCHAR(20) NOT NULL DEFAULT 'NEW'
    CHECK (status IN ('NEW','RUNNING','SUCCEEDED','FAILED','DEADLETTER')),
  priority INTEGER NOT NULL DEFAULT 100 CHECK (priority >= 0),
  interrogation_key VARCHAR(200) NOT NULL, input_json VARCHAR NOT NULL,
  evidence_ref_json VARCHAR, model_hint VARCHAR(100),
  max_attempts INTEGER NOT NULL DEFAULT 3, attempt_count INTEGER NOT NULL DEFAULT 0,
  available_utc TIMESTAMP NOT NULL DEFAULT now(), locked_by VARCHAR(200), locked_utc TIMESTAMP,
  last_error VARCHAR, dedupe_key VARCHAR(500), input_bundle_id UUID);
CREATE TABLE llm.run (
  run_id UUID PRIMARY KEY, job_id UUID NOT NULL, started_utc TIMESTAMP NOT NULL,
  completed_utc TIMESTAMP, status VARCHAR(20) NOT NULL
    CHECK (status IN ('RUNNING','SUCCEEDED','FAILED')),
  worker_id VARCHAR(200) NOT NULL, ollama_base_url VARCHAR(500) NOT NULL,
  model_name VARCHAR(100) NOT NULL, model_tag VARCHAR(100), model_digest VARCHAR(200),
  options_json VARCHAR, metrics_json VARCHAR, error VARCHAR);
CREATE TABLE llm.artifact (
  artifact_id UUID PRIMARY KEY, run_id UUID NOT NULL,
  artifact_type VARCHAR(100) NOT NULL CHECK (artifact_type IN ('request_json','response_json',
    'evidence_bundle','prompt_text','parsed_output','raw_response','prompt_template',
    'prompt_rendered','llm_request','llm_response_raw','llm_output_json',
    'llm_output_validation_report','merge_payload','merge_result_report')),
  content_sha256 VARCHAR(64), byte_count BIGINT, lake_uri VARCHAR(1000),
  created_utc TIMESTAMP NOT NULL, content_mime_type VARCHAR(100), schema_version VARCHAR(50),
  content VARCHAR, stored_in_sql BOOLEAN NOT NULL DEFAULT false,
  mirrored_to_lake BOOLEAN NOT NULL DEFAULT false);
CREATE VIEW llm.vw_queue_health AS
  SELECT status, COUNT(*) AS job_count,
    CAST(TRUNC(AVG(date_diff('minute', created_utc, CAST(now() AS TIMESTAMP)))) AS INTEGER)
      AS avg_age_minutes,
    MIN(date_diff('minute', created_utc, CAST(now() AS TIMESTAMP))) AS min_age_minutes,
    MAX(date_diff('minute', created_utc, CAST(now() AS TIMESTAMP))) AS max_age_minutes,
    SUM(CASE WHEN date_diff('minute', created_utc, CAST(now() AS TIMESTAMP)) > 60
        THEN 1 ELSE 0 END) AS jobs_over_1h,
    SUM(CASE WHEN date_diff('minute', created_utc, CAST(now() AS TIMESTAMP)) > 240
        THEN 1 ELSE 0 END) AS jobs_over_4h,
    SUM(CASE WHEN date_diff('minute', created_utc, CAST(now() AS TIMESTAMP)) > 1440
        THEN 1 ELSE 0 END) AS jobs_over_24h
  FROM llm.job GROUP BY status;
CREATE VIEW llm.vw_queue_aged_jobs AS
  SELECT job_id, interrogation_key, status, priority, attempt_count, max_attempts, created_utc,
    date_diff('minute', created_utc, CAST(now() AS TIMESTAMP)) AS age_minutes,
    CASE WHEN date_diff('minute', created_utc, CAST(now() AS TIMESTAMP)) > 1440 THEN 'critical'
         WHEN date_diff('minute', created_utc, CAST(now() AS TIMESTAMP)) > 240 THEN 'warning'
         WHEN date_diff('minute', created_utc, CAST(now() AS TIMESTAMP)) > 60 THEN 'elevated'
         ELSE 'normal' END AS age_severity,
    last_error
  FROM llm.job WHERE status IN ('NEW','RUNNING')
    AND date_diff('minute', created_utc, CAST(now() AS TIMESTAMP)) > 60;
CREATE TABLE dbo.DimEntity (
  EntityKey INTEGER PRIMARY KEY, EntityGuid UUID NOT NULL DEFAULT uuid(),
  FranchiseKey INTEGER NOT NULL, EntityType VARCHAR(50) NOT NULL, DisplayName VARCHAR(200) NOT NULL,
  DisplayNameNormalized VARCHAR(200), SortName VARCHAR(200), AliasCsv VARCHAR(1000),
  ExternalKey VARCHAR(200), IsActive BOOLEAN NOT NULL DEFAULT true,
  IsLatest BOOLEAN NOT NULL DEFAULT true, CreatedUtc TIMESTAMP NOT NULL DEFAULT now(),
  PromotionState VARCHAR(30) NOT NULL DEFAULT 'staged', SourcePageId UUID,
  PrimaryTypeInferred VARCHAR(100), TypeSetJsonInferred VARCHAR, AdjudicationRunId UUID);
CREATE TABLE dbo.BridgeEntityRelation (
  RelationId UUID PRIMARY KEY DEFAULT uuid(), FromEntityGuid UUID NOT NULL,
  ToEntityGuid UUID NOT NULL, RelationType VARCHAR(100) NOT NULL, Confidence DECIMAL(5,4),
  StartDate VARCHAR(100), EndDate VARCHAR(100), CreatedUtc TIMESTAMP NOT NULL DEFAULT now(),
  IsActive BOOLEAN NOT NULL DEFAULT true, NeedsReview BOOLEAN NOT NULL DEFAULT false);
CREATE SEQUENCE dbo.seq_migration_log;
CREATE TABLE dbo.__migration_log (
  log_id INTEGER PRIMARY KEY DEFAULT nextval('dbo.seq_migration_log'),
  migration_id VARCHAR(50) NOT NULL, step_name VARCHAR(200) NOT NULL,
  started_utc TIMESTAMP NOT NULL DEFAULT now(), completed_utc TIMESTAMP,
  status VARCHAR(20) NOT NULL DEFAULT 'started', rows_before BIGINT, rows_after BIGINT,
  details VARCHAR, error_message VARCHAR);
"""


def _translate(sql: str) -> str:
    try:
        from holocron_lib.tsql.translate import translate
    except ImportError:
        import sqlglot

        return sqlglot.transpile(sql, read="tsql", write="duckdb")[0]
    return translate(sql)


class _Db:
    """The slice of the Database interface the emulations use, over one DuckDB connection."""

    backend = "duckdb"

    def __init__(self, con):
        self.con = con

    def query(self, tsql, params=None):
        return self.con.execute(_translate(tsql), list(params or [])).df()

    def scalar(self, tsql, params=None):
        row = self.con.execute(_translate(tsql), list(params or [])).fetchone()
        return None if row is None else row[0]

    def execute(self, tsql, params=None):
        row = self.con.execute(_translate(tsql), list(params or [])).fetchone()
        return 0 if row is None else row[0]

    @contextmanager
    def transaction(self):
        self.con.begin()
        try:
            yield self
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    def call(self, name, **params):
        return call_emulated(self, name, params)


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory):
    """An empty database with the schema, made once: applying it costs a second a test."""
    path = tmp_path_factory.mktemp("procedures") / "schema.duckdb"
    con = duckdb.connect(str(path))
    try:
        from holocron_lib.schema.apply import apply_schema
    except ImportError:
        con.execute(_FALLBACK_DDL)
    else:
        apply_schema(con)
    con.close()
    return path


@pytest.fixture
def db(schema_file, tmp_path):
    """A private copy of the empty schema database for one test."""
    copy = tmp_path / "procedures.duckdb"
    shutil.copyfile(schema_file, copy)
    con = duckdb.connect(str(copy))
    yield _Db(con)
    con.close()


def _utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


def add_job(
    db,
    *,
    age_minutes=0,
    status="NEW",
    priority=100,
    key="test_v1",
    dedupe=None,
    attempts=0,
    max_attempts=3,
    available_in_minutes=0,
):
    """Insert one job created ``age_minutes`` ago; returns its id as text."""
    job_id = str(uuid.uuid4())
    now = _utcnow()
    db.execute(
        "INSERT INTO llm.job (job_id, created_utc, status, priority, interrogation_key, "
        "input_json, max_attempts, attempt_count, available_utc, dedupe_key) "
        "VALUES (?, ?, ?, ?, ?, '{}', ?, ?, ?, ?)",
        [
            job_id,
            now - timedelta(minutes=age_minutes),
            status,
            priority,
            key,
            max_attempts,
            attempts,
            now + timedelta(minutes=available_in_minutes) - timedelta(seconds=1),
            dedupe,
        ],
    )
    return job_id


def job(db, job_id):
    return db.query("SELECT * FROM llm.job WHERE job_id = ?", [job_id]).iloc[0]


def add_entity(db, key, name, entity_type="Character", **extra):
    cols = {"EntityKey": key, "FranchiseKey": 1, "EntityType": entity_type, "DisplayName": name}
    cols.update(extra)
    try:  # the project DDL has the governance block; the fallback DDL does not
        db.query("SELECT RowHash FROM dbo.DimEntity WHERE 1 = 0")
        cols.setdefault("RowHash", b"\x00" * 32)
    except duckdb.Error:
        pass
    marks = ", ".join("?" for _ in cols)
    db.execute(
        f"INSERT INTO dbo.DimEntity ({', '.join(cols)}) VALUES ({marks})", list(cols.values())
    )


# --- the registry -------------------------------------------------------------------------


def test_every_live_procedure_is_registered():
    assert sorted(p["name"] for p in list_procedures()) == sorted(EXPECTED_PARAMS)


@pytest.mark.parametrize("name", sorted(EXPECTED_PARAMS))
def test_parameters_match_the_procedure_header(name):
    declared = [(p.name, p.sql_type, p.required, p.default) for p in get_procedure(name).params]
    assert declared == EXPECTED_PARAMS[name]


def test_list_procedures_describes_params_and_result_sets():
    listed = {p["name"]: p for p in list_procedures()}
    claim = listed["llm.usp_claim_next_job"]
    assert claim["params"][0]["name"] == "worker_id" and claim["params"][0]["required"]
    assert claim["result_sets"][0][:3] == ["job_id", "created_utc", "status"]
    assert len(listed["llm.usp_get_queue_health_summary"]["result_sets"]) == 3
    assert listed["llm.usp_complete_run"]["result_sets"] == []
    assert "EntityId" in listed["dbo.usp_batch_insert_entities"]["note"]


@pytest.mark.parametrize(
    "spelling, expected",
    [
        ("llm.usp_claim_next_job", "llm.usp_claim_next_job"),
        ("[llm].[usp_claim_next_job]", "llm.usp_claim_next_job"),
        ("LLM.USP_Claim_Next_Job", "llm.usp_claim_next_job"),
        ("Holocron.llm.usp_claim_next_job", "llm.usp_claim_next_job"),
        ("Holocron..usp_count_entities_by_type", "dbo.usp_count_entities_by_type"),
        ("usp_count_entities_by_type", "dbo.usp_count_entities_by_type"),
        ("[usp_count_entities_by_type]", "dbo.usp_count_entities_by_type"),
    ],
)
def test_names_are_normalised(spelling, expected):
    assert normalize_name(spelling) == expected
    assert get_procedure(spelling).name == expected


def test_unknown_procedure_lists_close_matches():
    with pytest.raises(ProcedureNotEmulatedError) as info:
        get_procedure("llm.usp_claim_next_jobs")
    assert info.value.suggestions[0] == "llm.usp_claim_next_job"
    assert "llm.usp_claim_next_job" in str(info.value)


def test_unknown_procedure_in_the_wrong_schema_still_gets_suggestions():
    with pytest.raises(ProcedureNotEmulatedError) as info:
        get_procedure("usp_claim_next_job")  # resolves to dbo., but it lives in llm
    assert "llm.usp_claim_next_job" in info.value.suggestions


def test_procedure_that_never_compiled_is_not_emulated():
    with pytest.raises(ProcedureNotEmulatedError) as info:
        get_procedure("dbo.usp_get_entity_relations")
    assert info.value.name == "dbo.usp_get_entity_relations"


def test_missing_required_parameter_is_named(db):
    with pytest.raises(ProcedureParameterError) as info:
        call_emulated(db, "llm.usp_enqueue_job", {"interrogation_key": "k"})
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, HolocronError)
    assert not isinstance(err, ParameterError)  # a procedure's parameter, not a notebook's
    assert err.parameter == "input_json" and err.procedure == "llm.usp_enqueue_job"
    assert "@input_json" in str(err) and "@dedupe_key" in str(err)
    assert db.scalar("SELECT COUNT(*) FROM llm.job") == 0


def test_unknown_parameter_lists_the_valid_ones(db):
    with pytest.raises(ProcedureParameterError) as info:
        call_emulated(db, "llm.usp_claim_next_job", {"worker": "w1"})
    assert info.value.parameter == "worker"
    assert info.value.allowed == ("@worker_id",)
    assert "@worker_id" in str(info.value)


def test_parameter_names_accept_at_sign_and_any_case(db):
    add_job(db)
    result = call_emulated(db, "llm.usp_claim_next_job", {"@Worker_ID": "w1"})
    assert result[0].loc[0, "locked_by"] == "w1"


@pytest.mark.parametrize(
    "proc, params, bad",
    [
        ("llm.usp_escalate_aged_jobs", {"priority_boost": "lots"}, "priority_boost"),
        ("llm.usp_complete_job", {"job_id": "not-a-guid", "status": "SUCCEEDED"}, "job_id"),
        ("llm.usp_enqueue_job", {"interrogation_key": "k", "input_json": {"a": 1}}, "input_json"),
        ("dbo.usp_get_unclassified_entities", {"require_tags": "maybe"}, "require_tags"),
    ],
)
def test_values_that_do_not_convert_are_refused(db, proc, params, bad):
    with pytest.raises(ProcedureParameterError) as info:
        call_emulated(db, proc, params)
    assert info.value.parameter == bad


def test_values_are_coerced_to_the_declared_type(db):
    add_job(db, age_minutes=90, priority=10)
    out = call_emulated(
        db, "llm.usp_escalate_aged_jobs", {"priority_boost": "7", "max_jobs_per_run": 5.0}
    )
    assert out[0].loc[0, "priority_boost"] == 7
    assert db.scalar("SELECT MAX(priority) FROM llm.job") == 17
    long_key = "x" * 250  # NVARCHAR(200): SQL Server truncates parameter values silently
    call_emulated(db, "llm.usp_enqueue_job", {"interrogation_key": long_key, "input_json": "{}"})
    assert db.scalar("SELECT MAX(LEN(interrogation_key)) FROM llm.job") == 200


# --- llm queue ----------------------------------------------------------------------------


def enqueue(db, **params):
    params.setdefault("interrogation_key", "test_v1")
    params.setdefault("input_json", '{"page": 1}')
    return call_emulated(db, "llm.usp_enqueue_job", params)


def test_enqueue_inserts_a_new_job(db):
    result = enqueue(db, priority=150, model_hint="llama3.2")
    assert len(result) == 1
    assert list(result[0].columns) == ["job_id", "is_duplicate", "existing_status"]
    row = result[0].iloc[0]
    assert row["is_duplicate"] == 0 and row["existing_status"] is None
    stored = job(db, str(row["job_id"]))
    assert (stored["status"], stored["priority"], stored["attempt_count"]) == ("NEW", 150, 0)
    assert stored["created_utc"] == stored["available_utc"]


def test_enqueue_twice_with_a_dedupe_key_returns_the_first_job(db):
    first = enqueue(db, dedupe_key="entity_classify:7")[0].iloc[0]
    second = enqueue(db, dedupe_key="entity_classify:7", priority=5)[0].iloc[0]
    assert second["is_duplicate"] == 1 and second["existing_status"] == "NEW"
    assert str(second["job_id"]) == str(first["job_id"])
    assert db.scalar("SELECT COUNT(*) FROM llm.job") == 1
    other = enqueue(db, dedupe_key="entity_classify:7", interrogation_key="other_v1")[0]
    assert other.loc[0, "is_duplicate"] == 0  # dedupe is per interrogation_key
    enqueue(db)
    enqueue(db)  # without a dedupe_key nothing is deduplicated
    assert db.scalar("SELECT COUNT(*) FROM llm.job") == 4


def test_idempotent_enqueue_requires_a_dedupe_key(db):
    with pytest.raises(ProcedureFailedError, match="dedupe_key is required"):
        call_emulated(
            db,
            "llm.usp_enqueue_job_idempotent",
            {"interrogation_key": "k", "dedupe_key": "   ", "input_json": "{}"},
        )
    params = {"interrogation_key": "k", "dedupe_key": "d1", "input_json": "{}"}
    first = call_emulated(db, "llm.usp_enqueue_job_idempotent", params)[0]
    again = call_emulated(db, "llm.usp_enqueue_job_idempotent", params)[0]
    assert list(again.columns) == ["job_id", "is_duplicate", "existing_status"]
    assert (first.loc[0, "is_duplicate"], again.loc[0, "is_duplicate"]) == (0, 1)


def test_get_job_by_dedupe_key(db):
    job_id = add_job(db, dedupe="d-42")
    found = call_emulated(
        db, "llm.usp_get_job_by_dedupe_key", {"interrogation_key": "test_v1", "dedupe_key": "d-42"}
    )
    assert list(found[0].columns) == list(get_procedure("llm.usp_get_job_by_dedupe_key").returns[0])
    assert [str(j) for j in found[0]["job_id"]] == [job_id]
    none = call_emulated(
        db, "llm.usp_get_job_by_dedupe_key", {"interrogation_key": "test_v1", "dedupe_key": "x"}
    )
    assert len(none) == 1 and none[0].empty


def test_claim_takes_the_most_urgent_ready_job(db):
    add_job(db, priority=100, age_minutes=30)
    urgent = add_job(db, priority=200, age_minutes=5)
    add_job(db, priority=500, available_in_minutes=10)  # backing off: not ready yet
    add_job(db, priority=900, status="RUNNING")
    add_job(db, priority=800, attempts=3, max_attempts=3)  # out of attempts
    result = call_emulated(db, "llm.usp_claim_next_job", {"worker_id": "worker-1"})
    assert len(result) == 1
    claimed = result[0]
    assert list(claimed.columns) == list(get_procedure("llm.usp_claim_next_job").returns[0])
    assert str(claimed.loc[0, "job_id"]) == urgent
    assert claimed.loc[0, "status"] == "RUNNING" and claimed.loc[0, "attempt_count"] == 1
    stored = job(db, urgent)
    assert stored["locked_by"] == "worker-1" and pd.notna(stored["locked_utc"])


def test_claim_breaks_priority_ties_by_oldest_available(db):
    add_job(db, priority=100, age_minutes=1)
    older = add_job(db, priority=100, available_in_minutes=-20)
    claimed = call_emulated(db, "llm.usp_claim_next_job", {"worker_id": "w"})[0]
    assert str(claimed.loc[0, "job_id"]) == older


def test_claim_on_an_empty_queue_returns_no_result_set(db):
    assert call_emulated(db, "llm.usp_claim_next_job", {"worker_id": "w"}) == []
    add_job(db, status="SUCCEEDED")
    assert call_emulated(db, "llm.usp_claim_next_job", {"worker_id": "w"}) == []


def claim(db, **kwargs):
    job_id = add_job(db, **kwargs)
    call_emulated(db, "llm.usp_claim_next_job", {"worker_id": "w"})
    return job_id


def test_failure_with_attempts_left_goes_back_to_new_with_backoff(db):
    job_id = claim(db)
    before = _utcnow()
    result = call_emulated(
        db,
        "llm.usp_complete_job",
        {"job_id": job_id, "status": "FAILED", "error": "timeout", "backoff_seconds": 120},
    )
    assert list(result[0].columns) == ["final_status"] and result[0].loc[0, "final_status"] == "NEW"
    stored = job(db, job_id)
    assert stored["status"] == "NEW" and stored["last_error"] == "timeout"
    assert stored["locked_by"] is None and stored["attempt_count"] == 1
    delay = (stored["available_utc"] - before).total_seconds()
    assert 110 < delay < 130  # backoff x attempt_count (1)
    assert call_emulated(db, "llm.usp_claim_next_job", {"worker_id": "w"}) == []


def test_failure_at_max_attempts_deadletters(db):
    job_id = claim(db, attempts=2, max_attempts=3)
    result = call_emulated(
        db, "llm.usp_complete_job", {"job_id": job_id, "status": "FAILED", "error": "bad json"}
    )
    assert result[0].loc[0, "final_status"] == "DEADLETTER"
    stored = job(db, job_id)
    assert (stored["status"], stored["last_error"], stored["attempt_count"]) == (
        "DEADLETTER",
        "bad json",
        3,
    )


def test_success_clears_the_error_and_the_lock(db):
    job_id = claim(db)
    db.execute("UPDATE llm.job SET last_error = 'earlier' WHERE job_id = ?", [job_id])
    result = call_emulated(
        db, "llm.usp_complete_job", {"job_id": job_id, "status": "SUCCEEDED", "error": "ignored"}
    )
    assert result[0].loc[0, "final_status"] == "SUCCEEDED"
    stored = job(db, job_id)
    assert stored["status"] == "SUCCEEDED" and stored["last_error"] is None
    assert stored["locked_by"] is None and pd.isna(stored["locked_utc"])


def test_complete_unknown_job_changes_nothing(db):
    add_job(db)
    result = call_emulated(
        db, "llm.usp_complete_job", {"job_id": str(uuid.uuid4()), "status": "FAILED"}
    )
    assert result[0].loc[0, "final_status"] == "FAILED"
    assert db.scalar("SELECT COUNT(*) FROM llm.job WHERE status <> 'NEW'") == 0


def test_run_lifecycle_and_artifacts(db):
    job_id = claim(db)
    created = call_emulated(
        db,
        "llm.usp_create_run",
        {
            "job_id": job_id,
            "worker_id": "w",
            "ollama_base_url": "http://ollama:11434",
            "model_name": "llama3.2",
        },
    )
    assert list(created[0].columns) == ["run_id"]
    run_id = str(created[0].loc[0, "run_id"])
    run = db.query("SELECT * FROM llm.run WHERE run_id = ?", [run_id]).iloc[0]
    assert run["status"] == "RUNNING" and str(run["job_id"]) == job_id

    art = call_emulated(
        db,
        "llm.usp_create_artifact",
        {
            "run_id": run_id,
            "artifact_type": "llm_output_json",
            "content": '{"ok": true}',
            "stored_in_sql": True,
            "content_mime_type": "application/json",
        },
    )
    assert list(art[0].columns) == ["artifact_id"]
    stored = db.query(
        "SELECT * FROM llm.artifact WHERE artifact_id = ?", [str(art[0].loc[0, "artifact_id"])]
    ).iloc[0]
    assert stored["content"] == '{"ok": true}' and bool(stored["stored_in_sql"])
    assert not bool(stored["mirrored_to_lake"]) and stored["lake_uri"] is None

    done = call_emulated(
        db,
        "llm.usp_complete_run",
        {"run_id": run_id, "status": "SUCCEEDED", "metrics_json": '{"tokens": 12}'},
    )
    assert done == []
    run = db.query("SELECT * FROM llm.run WHERE run_id = ?", [run_id]).iloc[0]
    assert run["status"] == "SUCCEEDED" and run["metrics_json"] == '{"tokens": 12}'
    assert pd.notna(run["completed_utc"])


def test_run_for_a_missing_job_violates_the_foreign_key(db):
    with pytest.raises(ProcedureFailedError, match="FOREIGN KEY"):
        call_emulated(
            db,
            "llm.usp_create_run",
            {
                "job_id": str(uuid.uuid4()),
                "worker_id": "w",
                "ollama_base_url": "u",
                "model_name": "m",
            },
        )
    assert db.scalar("SELECT COUNT(*) FROM llm.run") == 0


def test_artifact_type_outside_the_check_list_is_rejected_atomically(db):
    job_id = claim(db)
    run_id = str(
        call_emulated(
            db,
            "llm.usp_create_run",
            {"job_id": job_id, "worker_id": "w", "ollama_base_url": "u", "model_name": "m"},
        )[0].loc[0, "run_id"]
    )
    with pytest.raises(Exception):  # noqa: B017  (the CHECK constraint, in the engine's words)
        call_emulated(db, "llm.usp_create_artifact", {"run_id": run_id, "artifact_type": "zip"})
    assert db.scalar("SELECT COUNT(*) FROM llm.artifact") == 0


def test_escalation_boosts_only_aged_new_jobs_up_to_the_cap(db):
    aged = add_job(db, age_minutes=120, priority=100)
    near_cap = add_job(db, age_minutes=120, priority=280)
    at_cap = add_job(db, age_minutes=120, priority=300)
    fresh = add_job(db, age_minutes=5, priority=100)
    running = add_job(db, age_minutes=120, priority=100, status="RUNNING")
    result = call_emulated(db, "llm.usp_escalate_aged_jobs", {})
    assert list(result[0].columns) == [
        "jobs_escalated",
        "age_threshold_minutes",
        "priority_boost",
        "max_priority",
    ]
    assert result[0].iloc[0].tolist() == [2, 60, 50, 300]
    priorities = {j: int(job(db, j)["priority"]) for j in (aged, near_cap, at_cap, fresh, running)}
    assert priorities == {aged: 150, near_cap: 300, at_cap: 300, fresh: 100, running: 100}


def test_escalation_respects_max_jobs_per_run(db):
    for _ in range(3):
        add_job(db, age_minutes=90)
    result = call_emulated(db, "llm.usp_escalate_aged_jobs", {"max_jobs_per_run": 2})
    assert result[0].loc[0, "jobs_escalated"] == 2
    assert db.scalar("SELECT COUNT(*) FROM llm.job WHERE priority = 150") == 2
    with pytest.raises(ProcedureFailedError, match="TOP"):
        call_emulated(db, "llm.usp_escalate_aged_jobs", {"max_jobs_per_run": -1})


def test_queue_health_summary_has_three_result_sets(db):
    add_job(db, age_minutes=10)
    add_job(db, age_minutes=91)
    add_job(db, age_minutes=300)
    add_job(db, age_minutes=30, status="RUNNING")
    add_job(db, age_minutes=60 * 30, status="SUCCEEDED")  # older than 24 h: not counted
    add_job(db, age_minutes=60, status="SUCCEEDED")
    add_job(db, status="DEADLETTER")
    result = call_emulated(db, "llm.usp_get_queue_health_summary", {})
    assert len(result) == 3
    declared = get_procedure("llm.usp_get_queue_health_summary").returns
    assert [list(r.columns) for r in result] == [list(cols) for cols in declared]
    totals = result[0].iloc[0]
    assert totals["pending_jobs"] == 3 and totals["running_jobs"] == 1
    assert totals["succeeded_24h"] == 1 and totals["failed_24h"] == 0
    assert totals["deadletter_total"] == 1 and totals["stale_job_count"] == 2
    # T-SQL AVG over INT truncates: 401 / 3 gives 133, not 133.67 (134 if a minute boundary
    # passed between inserting and querying, which adds one minute to every age).
    avg_age = totals["avg_pending_age_minutes"]
    assert avg_age in (133, 134) and float(avg_age).is_integer()
    assert pd.api.types.is_integer_dtype(result[0]["avg_pending_age_minutes"])
    assert totals["max_pending_age_minutes"] in (300, 301)
    by_status = result[1].set_index("status")
    assert by_status.loc["NEW", "job_count"] == 3
    aged = result[2]
    assert list(aged["age_minutes"]) == sorted(aged["age_minutes"], reverse=True)
    assert set(aged["status"]) <= {"NEW", "RUNNING"} and len(aged) == 2


def test_queue_health_summary_on_an_empty_queue(db):
    result = call_emulated(db, "llm.usp_get_queue_health_summary", {})
    totals = result[0].iloc[0]
    assert totals["pending_jobs"] == 0
    assert totals["avg_pending_age_minutes"] is None and totals["max_pending_age_minutes"] is None
    assert result[1].empty and result[2].empty


# --- dbo entity procedures ----------------------------------------------------------------


def test_entities_by_type_is_case_insensitive_and_newest_first(db):
    run = str(uuid.uuid4())
    now = _utcnow()
    add_entity(db, 1, "Luke Skywalker", CreatedUtc=now - timedelta(days=2))
    add_entity(
        db,
        2,
        "Leia Organa",
        CreatedUtc=now - timedelta(days=1),
        AdjudicationRunId=run,
        PromotionState="promoted",
    )
    add_entity(db, 3, "Tatooine", "Location")
    add_entity(db, 4, "Old Ben", IsLatest=False)
    result = call_emulated(db, "usp_get_entities_by_type", {"entity_type": "character"})
    assert list(result[0].columns) == list(get_procedure("usp_get_entities_by_type").returns[0])
    assert list(result[0]["DisplayName"]) == ["Leia Organa", "Luke Skywalker"]
    by_run = call_emulated(
        db, "usp_get_entities_by_type", {"entity_type": "Character", "run_id": run}
    )[0]
    assert list(by_run["DisplayName"]) == ["Leia Organa"]
    by_state = call_emulated(
        db, "usp_get_entities_by_type", {"entity_type": "Character", "promotion_state": "staged"}
    )[0]
    assert list(by_state["DisplayName"]) == ["Luke Skywalker"]
    top1 = call_emulated(db, "usp_get_entities_by_type", {"entity_type": "Character", "limit": 1})
    assert len(top1[0]) == 1


def test_count_entities_by_type(db):
    add_entity(db, 1, "Luke Skywalker")
    add_entity(db, 2, "Leia Organa", PromotionState="promoted")
    add_entity(db, 3, "Han Solo")
    add_entity(db, 4, "Tatooine", "Location")
    add_entity(db, 5, "Gone", IsActive=False)
    result = call_emulated(db, "dbo.usp_count_entities_by_type", {})
    assert list(result[0].columns) == ["EntityType", "PromotionState", "entity_count"]
    rows = [tuple(r) for r in result[0].itertuples(index=False)]
    assert rows == [
        ("Character", "promoted", 1),
        ("Character", "staged", 2),
        ("Location", "staged", 1),
    ]
    only = call_emulated(db, "dbo.usp_count_entities_by_type", {"entity_type": "LOCATION"})[0]
    assert list(only["entity_count"]) == [1]


def test_count_relations_by_type(db):
    def rel(kind, confidence, review, active=True):
        db.execute(
            "INSERT INTO dbo.BridgeEntityRelation (RelationId, FromEntityGuid, ToEntityGuid, "
            "RelationType, Confidence, NeedsReview, IsActive, CreatedUtc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                str(uuid.uuid4()),
                str(uuid.uuid4()),
                str(uuid.uuid4()),
                kind,
                confidence,
                review,
                active,
                _utcnow(),
            ],
        )

    rel("parent_of", 0.9, False)
    rel("mentor_of", 0.5, True)
    rel("mentor_of", 0.7, False)
    rel("mentor_of", 0.1, True, active=False)
    result = call_emulated(db, "dbo.usp_count_relations_by_type", {})
    frame = result[0]
    assert list(frame.columns) == [
        "RelationType",
        "relation_count",
        "needs_review_count",
        "avg_confidence",
    ]
    assert list(frame["RelationType"]) == ["mentor_of", "parent_of"]
    assert list(frame["relation_count"]) == [2, 1]
    assert list(frame["needs_review_count"]) == [1, 0]
    assert float(frame.loc[0, "avg_confidence"]) == pytest.approx(0.6)


def test_unclassified_entities_flags(db):
    add_entity(
        db, 1, "Complete", DisplayNameNormalized="complete", SortName="Complete", AliasCsv="c"
    )
    add_entity(db, 2, "No sort name", DisplayNameNormalized="no sort name", AliasCsv="n")
    add_entity(db, 3, "No aliases", DisplayNameNormalized="no aliases", SortName="Aliases, No")
    proc = "dbo.usp_get_unclassified_entities"
    base = call_emulated(db, proc, {})
    assert list(base[0].columns) == list(get_procedure(proc).returns[0])
    assert base[0].empty  # EntityType is NOT NULL in the schema, so nothing is "unclassified"
    assert list(call_emulated(db, proc, {"fill_missing_only": 1})[0]["EntityKey"]) == [2]
    assert list(call_emulated(db, proc, {"require_normalization": True})[0]["EntityKey"]) == [2]
    assert list(call_emulated(db, proc, {"require_tags": "true"})[0]["EntityKey"]) == [3]
    both = call_emulated(db, proc, {"require_tags": 1, "fill_missing_only": 1, "limit": 1})[0]
    assert list(both["EntityKey"]) == [2]


def test_entity_classification_status_joins_jobs_by_dedupe_key(db):
    add_entity(db, 1, "Luke Skywalker")
    add_entity(db, 2, "Tatooine", "Location")
    job_id = add_job(db, dedupe="entity_classify:1", status="FAILED")
    add_job(db, dedupe="entity_classify:1", key="other_v1")
    proc = "dbo.usp_get_entity_classification_status"
    frame = call_emulated(db, proc, {})[0]
    assert list(frame.columns) == list(get_procedure(proc).returns[0])
    assert list(frame["EntityKey"]) == [1, 1, 2]  # one row per matching job
    assert job_id in {str(j) for j in frame["LastJobId"]}
    assert set(frame["ClassificationState"]) == {"classified"}
    assert len(call_emulated(db, proc, {"limit": 2})[0]) == 2


def test_batch_insert_entities_fails_as_on_sql_server(db):
    add_entity(db, 1, "Luke Skywalker")
    params = {
        "entities_json": '[{"name": "Luke Skywalker", "type": "Character"}]',
        "run_id": str(uuid.uuid4()),
    }
    with pytest.raises(ProcedureFailedError) as info:
        call_emulated(db, "dbo.usp_batch_insert_entities", params)
    assert "EntityId" in str(info.value) and "EntityKey" in str(info.value)
    assert db.scalar("SELECT COUNT(*) FROM dbo.DimEntity") == 1


def test_batch_insert_entities_reports_malformed_json(db):
    result = call_emulated(
        db, "dbo.usp_batch_insert_entities", {"entities_json": "[{oops", "run_id": uuid.uuid4()}
    )
    assert len(result) == 1
    assert list(result[0].columns) == list(
        get_procedure("dbo.usp_batch_insert_entities").returns[0]
    )
    row = result[0].iloc[0]
    assert row["status"] == "JSON_PARSE_ERROR" and row["error_count"] == 1
    assert "position 2" in row["error_message"]


def test_batch_insert_relations_fails_as_on_sql_server(db):
    params = {
        "relationships_json": '[{"from_entity": "Luke", "to_entity": "Leia", '
        '"relation_type": "sibling_of"}]',
        "run_id": str(uuid.uuid4()),
    }
    with pytest.raises(ProcedureFailedError, match="uniqueidentifier"):
        call_emulated(db, "dbo.usp_batch_insert_entity_relations", params)
    bad = call_emulated(
        db,
        "dbo.usp_batch_insert_entity_relations",
        {"relationships_json": "not json", "run_id": str(uuid.uuid4())},
    )
    proc = get_procedure("dbo.usp_batch_insert_entity_relations")
    assert list(bad[0].columns) == list(proc.returns[0])
    assert bad[0].loc[0, "status"] == "JSON_PARSE_ERROR"


def test_migration_log_start_and_end(db):
    started = call_emulated(
        db,
        "dbo.__usp_log_migration_start",
        {"migration_id": "0099", "step_name": "rename", "rows_before": 5, "log_id": None},
    )
    assert started == [] and started.messages == ["  [START] rename (rows_before: 5)"]
    log_id = started.outputs["log_id"]
    row = db.query("SELECT * FROM dbo.__migration_log WHERE log_id = ?", [log_id]).iloc[0]
    assert (row["status"], row["rows_before"], row["migration_id"]) == ("started", 5, "0099")

    ended = call_emulated(
        db,
        "dbo.__usp_log_migration_end",
        {"log_id": log_id, "status": "completed", "rows_after": 7},
    )
    assert ended == [] and ended.messages == ["  [DONE] Completed (rows_after: 7)"]
    row = db.query("SELECT * FROM dbo.__migration_log WHERE log_id = ?", [log_id]).iloc[0]
    assert row["status"] == "completed" and row["rows_after"] == 7
    assert pd.notna(row["completed_utc"])


def test_migration_log_start_requires_the_output_parameter(db):
    with pytest.raises(ProcedureParameterError) as info:
        call_emulated(db, "dbo.__usp_log_migration_start", {"migration_id": "1", "step_name": "s"})
    assert info.value.parameter == "log_id"


def test_a_failing_emulation_leaves_no_partial_writes(db):
    job_id = claim(db)
    with pytest.raises(ProcedureParameterError):
        call_emulated(
            db,
            "llm.usp_complete_job",
            {"job_id": job_id, "status": "FAILED", "backoff_seconds": "soon"},
        )
    assert job(db, job_id)["status"] == "RUNNING"


def test_status_words_compare_like_sql_server(db):
    job_id = claim(db)
    result = call_emulated(db, "llm.usp_complete_job", {"job_id": job_id, "status": "failed "})
    assert result[0].loc[0, "final_status"] == "NEW"


def test_a_call_inside_an_open_transaction_joins_it(db):
    class Handle:
        """A transaction handle: query/scalar/execute, no transaction() of its own."""

        def __init__(self, inner):
            self.query, self.scalar, self.execute = inner.query, inner.scalar, inner.execute

    with pytest.raises(RuntimeError), db.transaction():
        params = {"interrogation_key": "k", "input_json": "{}"}
        call_emulated(Handle(db), "llm.usp_enqueue_job", params)
        assert db.scalar("SELECT COUNT(*) FROM llm.job") == 1
        raise RuntimeError("caller rolls back")
    assert db.scalar("SELECT COUNT(*) FROM llm.job") == 0


def _shape_case(db, name):
    """Arguments for one ordinary call of ``name`` after a small setup."""
    job_id = add_job(db, age_minutes=120, dedupe="entity_classify:1")
    add_entity(db, 1, "Luke Skywalker")
    run_id = str(uuid.uuid4())
    db.execute(
        "INSERT INTO llm.run (run_id, job_id, started_utc, status, worker_id, ollama_base_url, "
        "model_name) VALUES (?, ?, ?, 'RUNNING', 'w', 'u', 'm')",
        [run_id, job_id, _utcnow()],
    )
    return {
        "llm.usp_enqueue_job": {"interrogation_key": "k", "input_json": "{}"},
        "llm.usp_enqueue_job_idempotent": {
            "interrogation_key": "k",
            "dedupe_key": "d",
            "input_json": "{}",
        },
        "llm.usp_get_job_by_dedupe_key": {
            "interrogation_key": "test_v1",
            "dedupe_key": "entity_classify:1",
        },
        "llm.usp_claim_next_job": {"worker_id": "w"},
        "llm.usp_complete_job": {"job_id": job_id, "status": "SUCCEEDED"},
        "llm.usp_create_run": {
            "job_id": job_id,
            "worker_id": "w",
            "ollama_base_url": "u",
            "model_name": "m",
        },
        "llm.usp_complete_run": {"run_id": run_id, "status": "FAILED", "error": "x"},
        "llm.usp_create_artifact": {"run_id": run_id, "artifact_type": "prompt_text"},
        "llm.usp_escalate_aged_jobs": {},
        "llm.usp_get_queue_health_summary": {},
        "dbo.usp_batch_insert_entities": {"entities_json": "{", "run_id": run_id},
        "dbo.usp_batch_insert_entity_relations": {"relationships_json": "{", "run_id": run_id},
        "dbo.usp_get_entities_by_type": {"entity_type": "Character"},
        "dbo.usp_count_entities_by_type": {},
        "dbo.usp_count_relations_by_type": {},
        "dbo.usp_get_unclassified_entities": {"require_tags": 1},
        "dbo.usp_get_entity_classification_status": {},
        "dbo.__usp_log_migration_start": {"migration_id": "1", "step_name": "s", "log_id": None},
        "dbo.__usp_log_migration_end": {"log_id": 1, "status": "skipped"},
    }[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_PARAMS))
def test_result_sets_match_the_declared_shape(db, name):
    proc = get_procedure(name)
    result = call_emulated(db, name, _shape_case(db, name))
    if name.startswith("dbo.usp_batch_insert"):  # only the JSON-error path returns, with RS1
        assert [list(r.columns) for r in result] == [list(proc.returns[0])]
    else:
        assert [list(r.columns) for r in result] == [list(cols) for cols in proc.returns]
