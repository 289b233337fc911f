"""Emulations of the ``llm`` queue and provenance procedures (job → run → artifact).

Each body follows the canonical procedure text: the same filters, ordering, status rules
and result columns. ``now`` is taken once per call, as the procedures' ``@now`` variable is.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pandas as pd

from holocron_lib.db.procedures.base import (
    Param,
    ResultSets,
    procedure,
    utc_now,
)
from holocron_lib.errors import ProcedureFailedError

JOB_COLUMNS = (
    "job_id, created_utc, status, priority, interrogation_key, input_json, evidence_ref_json, "
    "model_hint, max_attempts, attempt_count, available_utc, locked_by, locked_utc, last_error"
)
ENQUEUE_RESULT = ("job_id", "is_duplicate", "existing_status")
CLAIM_RESULT = tuple(c.strip() for c in JOB_COLUMNS.split(","))
DEDUPE_RESULT = CLAIM_RESULT + ("dedupe_key",)


def _same(value: str | None, word: str) -> bool:
    """``value = word`` under SQL Server's default collation: any case, trailing blanks ignored."""
    return value is not None and value.rstrip().upper() == word


def _require_row(tx, proc: str, table: str, key: str, value, referencing: str) -> None:
    """Stand in for the FK check SQL Server enforces and DuckDB only records."""
    if value is None:
        return
    if tx.scalar(f"SELECT COUNT(*) FROM {table} WHERE {key} = ?", [value]) == 0:
        raise ProcedureFailedError(
            proc,
            f"The INSERT statement conflicted with the FOREIGN KEY constraint on "
            f"{referencing} -> {table}.{key}: no {table} row has {key} = {value}",
        )


_ENQUEUE_PARAMS = (
    Param("priority", "INT", default=100, help="higher is claimed sooner"),
    Param("interrogation_key", "NVARCHAR(200)", required=True, help="job type"),
    Param("input_json", "NVARCHAR(MAX)", required=True),
    Param("evidence_ref_json", "NVARCHAR(MAX)"),
    Param("model_hint", "NVARCHAR(100)"),
    Param("max_attempts", "INT", default=3),
    Param("dedupe_key", "NVARCHAR(500)", help="idempotency key within interrogation_key"),
)


@procedure("llm.usp_enqueue_job", params=_ENQUEUE_PARAMS, returns=[ENQUEUE_RESULT])
def enqueue_job(
    tx,
    priority,
    interrogation_key,
    input_json,
    evidence_ref_json,
    model_hint,
    max_attempts,
    dedupe_key,
):
    """Queue a job; with a dedupe_key already used for this interrogation_key, return that job."""
    if dedupe_key is not None:
        found = tx.query(
            "SELECT TOP (1) job_id, 1 AS is_duplicate, status AS existing_status FROM llm.job "
            "WHERE interrogation_key = ? AND dedupe_key = ?",
            [interrogation_key, dedupe_key],
        )
        if len(found):
            return ResultSets([found])
    job_id = str(uuid.uuid4())
    now = utc_now()
    tx.execute(
        "INSERT INTO llm.job (job_id, created_utc, status, priority, interrogation_key, "
        "input_json, evidence_ref_json, model_hint, max_attempts, attempt_count, available_utc, "
        "dedupe_key) VALUES (?, ?, 'NEW', ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        [
            job_id,
            now,
            priority,
            interrogation_key,
            input_json,
            evidence_ref_json,
            model_hint,
            max_attempts,
            now,
            dedupe_key,
        ],
    )
    created = tx.query(
        "SELECT job_id, 0 AS is_duplicate, CAST(NULL AS VARCHAR(20)) AS existing_status "
        "FROM llm.job WHERE job_id = ?",
        [job_id],
    )
    return ResultSets([created])


@procedure(
    "llm.usp_enqueue_job_idempotent",
    params=(
        Param("interrogation_key", "NVARCHAR(200)", required=True),
        Param("dedupe_key", "NVARCHAR(500)", required=True),
        Param("input_json", "NVARCHAR(MAX)", required=True),
        Param("evidence_ref_json", "NVARCHAR(MAX)"),
        Param("model_hint", "NVARCHAR(100)"),
        Param("priority", "INT", default=100),
        Param("max_attempts", "INT", default=3),
    ),
    returns=[ENQUEUE_RESULT],
)
def enqueue_job_idempotent(tx, interrogation_key, dedupe_key, **rest):
    """usp_enqueue_job that refuses a NULL or blank dedupe_key (RAISERROR severity 16)."""
    if dedupe_key is None or not dedupe_key.strip():
        raise ProcedureFailedError(
            "llm.usp_enqueue_job_idempotent",
            "dedupe_key is required for idempotent job enqueue",
        )
    return enqueue_job(tx, interrogation_key=interrogation_key, dedupe_key=dedupe_key, **rest)


@procedure(
    "llm.usp_get_job_by_dedupe_key",
    params=(
        Param("interrogation_key", "NVARCHAR(200)", required=True),
        Param("dedupe_key", "NVARCHAR(500)", required=True),
    ),
    returns=[DEDUPE_RESULT],
)
def get_job_by_dedupe_key(tx, interrogation_key, dedupe_key):
    """The job (0 or 1 row) holding this dedupe_key for this interrogation_key."""
    found = tx.query(
        f"SELECT {JOB_COLUMNS}, dedupe_key FROM llm.job "
        "WHERE interrogation_key = ? AND dedupe_key = ?",
        [interrogation_key, dedupe_key],
    )
    return ResultSets([found])


@procedure(
    "llm.usp_claim_next_job",
    params=(Param("worker_id", "NVARCHAR(200)", required=True, help="stored in locked_by"),),
    returns=[CLAIM_RESULT],
    note="No result set when nothing is claimable.",
)
def claim_next_job(tx, worker_id):
    """Lease the most urgent claimable NEW job to a worker; no result set when none is ready."""
    now = utc_now()
    job_id = tx.scalar(
        "SELECT TOP (1) job_id FROM llm.job "
        "WHERE status = 'NEW' AND available_utc <= ? AND attempt_count < max_attempts "
        "ORDER BY priority DESC, available_utc ASC, created_utc ASC",
        [now],
    )
    if job_id is None:
        return ResultSets([])
    tx.execute(
        "UPDATE llm.job SET status = 'RUNNING', locked_by = ?, locked_utc = ?, "
        "attempt_count = attempt_count + 1 WHERE job_id = ?",
        [worker_id, now, str(job_id)],
    )
    return ResultSets(
        [tx.query(f"SELECT {JOB_COLUMNS} FROM llm.job WHERE job_id = ?", [str(job_id)])]
    )


@procedure(
    "llm.usp_complete_job",
    params=(
        Param("job_id", "UNIQUEIDENTIFIER", required=True),
        Param("status", "VARCHAR(20)", required=True, help="SUCCEEDED, FAILED or DEADLETTER"),
        Param("error", "NVARCHAR(MAX)"),
        Param("backoff_seconds", "INT", default=60, help="retry delay per attempt made"),
    ),
    returns=[("final_status",)],
)
def complete_job(tx, job_id, status, error, backoff_seconds):
    """Finish a job: FAILED retries with back-off until attempts run out, then DEADLETTER."""
    now = utc_now()
    info = tx.query("SELECT attempt_count, max_attempts FROM llm.job WHERE job_id = ?", [job_id])
    attempts = None if info.empty else int(info.iloc[0]["attempt_count"])
    maximum = None if info.empty else int(info.iloc[0]["max_attempts"])
    failed = _same(status, "FAILED")
    new_status = status
    # An unknown job_id leaves both counts NULL: neither FAILED branch applies (NULL compare).
    if failed and attempts is not None and attempts < maximum:
        new_status = "NEW"
        tx.execute(
            "UPDATE llm.job SET status = ?, locked_by = NULL, locked_utc = NULL, last_error = ?, "
            "available_utc = ? WHERE job_id = ?",
            [new_status, error, now + timedelta(seconds=backoff_seconds * attempts), job_id],
        )
    elif failed and attempts is not None:
        new_status = "DEADLETTER"
        tx.execute(
            "UPDATE llm.job SET status = ?, locked_by = NULL, locked_utc = NULL, last_error = ? "
            "WHERE job_id = ?",
            [new_status, error, job_id],
        )
    else:
        succeeded = _same(status, "SUCCEEDED")
        tx.execute(
            "UPDATE llm.job SET status = ?, locked_by = NULL, locked_utc = NULL, last_error = ? "
            "WHERE job_id = ?",
            [new_status, None if succeeded else error, job_id],
        )
    return ResultSets([pd.DataFrame({"final_status": [new_status]})])


@procedure(
    "llm.usp_create_run",
    params=(
        Param("job_id", "UNIQUEIDENTIFIER", required=True),
        Param("worker_id", "NVARCHAR(200)", required=True),
        Param("ollama_base_url", "NVARCHAR(500)", required=True),
        Param("model_name", "NVARCHAR(100)", required=True),
        Param("model_tag", "NVARCHAR(100)"),
        Param("model_digest", "NVARCHAR(200)"),
        Param("options_json", "NVARCHAR(MAX)"),
    ),
    returns=[("run_id",)],
)
def create_run(
    tx, job_id, worker_id, ollama_base_url, model_name, model_tag, model_digest, options_json
):
    """Record the start of one execution attempt of a job (status RUNNING, started now)."""
    _require_row(tx, "llm.usp_create_run", "llm.job", "job_id", job_id, "llm.run.job_id")
    run_id = str(uuid.uuid4())
    tx.execute(
        "INSERT INTO llm.run (run_id, job_id, started_utc, status, worker_id, ollama_base_url, "
        "model_name, model_tag, model_digest, options_json) "
        "VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            job_id,
            utc_now(),
            worker_id,
            ollama_base_url,
            model_name,
            model_tag,
            model_digest,
            options_json,
        ],
    )
    return ResultSets([tx.query("SELECT run_id FROM llm.run WHERE run_id = ?", [run_id])])


@procedure(
    "llm.usp_complete_run",
    params=(
        Param("run_id", "UNIQUEIDENTIFIER", required=True),
        Param("status", "VARCHAR(20)", required=True, help="SUCCEEDED or FAILED"),
        Param("metrics_json", "NVARCHAR(MAX)"),
        Param("error", "NVARCHAR(MAX)"),
    ),
    returns=[],
    note="Returns no result set.",
)
def complete_run(tx, run_id, status, metrics_json, error):
    """Stamp a run finished now with its status, metrics and error; returns no result set."""
    tx.execute(
        "UPDATE llm.run SET completed_utc = ?, status = ?, metrics_json = ?, error = ? "
        "WHERE run_id = ?",
        [utc_now(), status, metrics_json, error, run_id],
    )
    return ResultSets([])


@procedure(
    "llm.usp_create_artifact",
    params=(
        Param("run_id", "UNIQUEIDENTIFIER", required=True),
        Param("artifact_type", "NVARCHAR(100)", required=True),
        Param("lake_uri", "NVARCHAR(1000)", help="path relative to the lake root"),
        Param("content_sha256", "NVARCHAR(64)"),
        Param("byte_count", "BIGINT"),
        Param("content", "NVARCHAR(MAX)", help="the payload itself (SQL-first storage)"),
        Param("content_mime_type", "NVARCHAR(100)"),
        Param("stored_in_sql", "BIT", default=0),
        Param("mirrored_to_lake", "BIT", default=0),
    ),
    returns=[("artifact_id",)],
)
def create_artifact(
    tx,
    run_id,
    artifact_type,
    lake_uri,
    content_sha256,
    byte_count,
    content,
    content_mime_type,
    stored_in_sql,
    mirrored_to_lake,
):
    """Record a payload a run produced (in SQL, in the lake, or both); returns its id."""
    _require_row(tx, "llm.usp_create_artifact", "llm.run", "run_id", run_id, "llm.artifact.run_id")
    artifact_id = str(uuid.uuid4())
    tx.execute(
        "INSERT INTO llm.artifact (artifact_id, run_id, artifact_type, content_sha256, byte_count, "
        "lake_uri, content, content_mime_type, stored_in_sql, mirrored_to_lake, created_utc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            artifact_id,
            run_id,
            artifact_type,
            content_sha256,
            byte_count,
            lake_uri,
            content,
            content_mime_type,
            stored_in_sql,
            mirrored_to_lake,
            utc_now(),
        ],
    )
    return ResultSets(
        [tx.query("SELECT artifact_id FROM llm.artifact WHERE artifact_id = ?", [artifact_id])]
    )
