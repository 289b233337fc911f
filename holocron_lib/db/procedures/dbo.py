"""Emulations of the ``dbo`` entity procedures and the migration-log helpers.

The two batch-insert procedures are registered with their real parameters but fail the way
they fail on SQL Server against the newest schema: their text names columns that no longer
exist (``DimEntity.EntityId``, ``BridgeEntityRelation.FromEntityId``), so only the
JSON-parse-error path returns a result set.
"""

from __future__ import annotations

import json

import pandas as pd

from holocron_lib.db.procedures.base import (
    Param,
    ResultSets,
    procedure,
    top_count,
    utc_now,
)
from holocron_lib.errors import ProcedureFailedError

ENTITY_BATCH_RESULTS = (
    ("inserted_count", "updated_count", "skipped_count", "error_count", "error_message", "status"),
    (
        "row_num",
        "entity_name",
        "entity_type",
        "confidence",
        "processing_status",
        "existing_entity_id",
        "error_message",
    ),
)
RELATION_BATCH_RESULTS = (
    (
        "inserted_count",
        "skipped_count",
        "error_count",
        "unresolved_count",
        "error_message",
        "status",
    ),
    (
        "row_num",
        "from_entity_name",
        "to_entity_name",
        "relation_type",
        "confidence",
        "start_date",
        "end_date",
        "from_entity_id",
        "to_entity_id",
        "processing_status",
        "error_message",
    ),
)


def _openjson_error(text: str | None) -> str | None:
    """SQL Server's OPENJSON message for text it cannot shred, or None when it can."""
    if text is None:
        return None  # OPENJSON(NULL) yields no rows; it is not an error
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        char = text[exc.pos] if exc.pos < len(text) else ""
        return (
            "JSON text is not properly formatted. "
            f"Unexpected character '{char}' is found at position {exc.pos}."
        )
    if not isinstance(parsed, (list, dict)):
        return "JSON text is not properly formatted. Unexpected character is found at position 0."
    return None


_BATCH_ENTITY_NOTE = (
    "Fails on the newest schema as on SQL Server: it reads dbo.DimEntity.EntityId and writes "
    "ModifiedUtc, which do not exist. Only malformed JSON returns a result set."
)


@procedure(
    "dbo.usp_batch_insert_entities",
    params=(
        Param(
            "entities_json",
            "NVARCHAR(MAX)",
            required=True,
            help="JSON array of {name, type, confidence, attributes, evidence_quote, aliases}",
        ),
        Param("run_id", "UNIQUEIDENTIFIER", required=True),
        Param("job_id", "UNIQUEIDENTIFIER"),
        Param("source_page_id", "UNIQUEIDENTIFIER"),
        Param("batch_mode", "NVARCHAR(20)", default="staged", help="staged, candidate, promoted"),
    ),
    returns=ENTITY_BATCH_RESULTS,
    note=_BATCH_ENTITY_NOTE,
)
def batch_insert_entities(tx, entities_json, run_id, job_id, source_page_id, batch_mode):
    """Stage LLM-extracted entities; the live text cannot run against the newest DimEntity."""
    problem = _openjson_error(entities_json)
    if problem is not None:
        row = [[0, 0, 0, 1, problem, "JSON_PARSE_ERROR"]]
        return ResultSets([pd.DataFrame(row, columns=list(ENTITY_BATCH_RESULTS[0]))])
    raise ProcedureFailedError(
        "dbo.usp_batch_insert_entities",
        "Invalid column name 'EntityId'. The procedure matches and inserts entities through "
        "dbo.DimEntity.EntityId and ModifiedUtc, which the newest schema does not have "
        "(the key is EntityKey, the GUID EntityGuid), so SQL Server stops at its matching "
        "step and nothing is written. Insert into dbo.DimEntity directly instead.",
    )


@procedure(
    "dbo.usp_batch_insert_entity_relations",
    params=(
        Param(
            "relationships_json",
            "NVARCHAR(MAX)",
            required=True,
            help="JSON array of {from_entity, to_entity, relation_type, confidence, ...}",
        ),
        Param("run_id", "UNIQUEIDENTIFIER", required=True),
        Param("job_id", "UNIQUEIDENTIFIER"),
        Param("source_page_id", "UNIQUEIDENTIFIER"),
        Param("allow_duplicates", "BIT", default=0),
    ),
    returns=RELATION_BATCH_RESULTS,
    note=(
        "Fails on the newest schema as on SQL Server: it stores the INT EntityKey in "
        "UNIQUEIDENTIFIER columns and writes FromEntityId/ToEntityId (now FromEntityGuid/"
        "ToEntityGuid). Only malformed JSON returns a result set."
    ),
)
def batch_insert_entity_relations(
    tx, relationships_json, run_id, job_id, source_page_id, allow_duplicates
):
    """Stage LLM-extracted relationships; the live text cannot run on the newest schema."""
    problem = _openjson_error(relationships_json)
    if problem is not None:
        row = [[0, 0, 1, 0, problem, "JSON_PARSE_ERROR"]]
        return ResultSets([pd.DataFrame(row, columns=list(RELATION_BATCH_RESULTS[0]))])
    raise ProcedureFailedError(
        "dbo.usp_batch_insert_entity_relations",
        "Operand type clash: int is incompatible with uniqueidentifier. The procedure resolves "
        "entity names to the INT dbo.DimEntity.EntityKey but keeps them in UNIQUEIDENTIFIER "
        "columns, and inserts into BridgeEntityRelation.FromEntityId/ToEntityId, renamed "
        "FromEntityGuid/ToEntityGuid by migration 0032; SQL Server stops at the name-resolution "
        "step and nothing is written. Insert into dbo.BridgeEntityRelation directly instead.",
    )


@procedure(
    "dbo.usp_get_entities_by_type",
    params=(
        Param("entity_type", "NVARCHAR(100)", required=True, help="case-insensitive"),
        Param("promotion_state", "NVARCHAR(30)"),
        Param("run_id", "UNIQUEIDENTIFIER", help="filter on AdjudicationRunId"),
        Param("limit", "INT", default=100),
    ),
    returns=[
        (
            "DisplayName",
            "EntityType",
            "PrimaryTypeInferred",
            "TypeSetJsonInferred",
            "PromotionState",
            "AdjudicationRunId",
            "SourcePageId",
            "CreatedUtc",
        )
    ],
)
def get_entities_by_type(tx, entity_type, promotion_state, run_id, limit):
    """The newest active entities of one type, optionally by promotion state and run."""
    top = top_count("dbo.usp_get_entities_by_type", limit)
    frame = tx.query(
        f"SELECT TOP ({top}) DisplayName, EntityType, PrimaryTypeInferred, TypeSetJsonInferred, "
        "PromotionState, AdjudicationRunId, SourcePageId, CreatedUtc FROM dbo.DimEntity "
        "WHERE LOWER(EntityType) = LOWER(?) AND IsLatest = 1 AND IsActive = 1 "
        "AND (? IS NULL OR PromotionState = ?) "
        "AND (CAST(? AS UNIQUEIDENTIFIER) IS NULL OR AdjudicationRunId = CAST(? AS UNIQUEIDENTIFIER)) "
        "ORDER BY CreatedUtc DESC",
        [entity_type, promotion_state, promotion_state, run_id, run_id],
    )
    return ResultSets([frame])


@procedure(
    "dbo.usp_count_entities_by_type",
    params=(Param("entity_type", "NVARCHAR(100)", help="case-insensitive; NULL for all"),),
    returns=[("EntityType", "PromotionState", "entity_count")],
)
def count_entities_by_type(tx, entity_type):
    """Active latest entities counted by type and promotion state."""
    frame = tx.query(
        "SELECT EntityType, PromotionState, COUNT(*) AS entity_count FROM dbo.DimEntity "
        "WHERE IsLatest = 1 AND IsActive = 1 "
        "AND (? IS NULL OR LOWER(EntityType) = LOWER(?)) "
        "GROUP BY EntityType, PromotionState ORDER BY EntityType, PromotionState",
        [entity_type, entity_type],
    )
    return ResultSets([frame])


@procedure(
    "dbo.usp_count_relations_by_type",
    params=(Param("relation_type", "NVARCHAR(100)", help="NULL for all"),),
    returns=[("RelationType", "relation_count", "needs_review_count", "avg_confidence")],
)
def count_relations_by_type(tx, relation_type):
    """Active entity relations counted by type, with review backlog and mean confidence."""
    frame = tx.query(
        "SELECT RelationType, COUNT(*) AS relation_count, "
        "SUM(CASE WHEN NeedsReview = 1 THEN 1 ELSE 0 END) AS needs_review_count, "
        "AVG(Confidence) AS avg_confidence FROM dbo.BridgeEntityRelation "
        "WHERE IsActive = 1 AND (? IS NULL OR RelationType = ?) "
        "GROUP BY RelationType ORDER BY relation_count DESC",
        [relation_type, relation_type],
    )
    return ResultSets([frame])


@procedure(
    "dbo.usp_get_unclassified_entities",
    params=(
        Param("limit", "INT", default=200),
        Param("fill_missing_only", "BIT", default=0),
        Param("require_normalization", "BIT", default=0),
        Param("require_tags", "BIT", default=0),
    ),
    returns=[
        (
            "EntityKey",
            "EntityGuid",
            "DisplayName",
            "EntityType",
            "DisplayNameNormalized",
            "SortName",
            "AliasCsv",
            "IsLatest",
            "IsActive",
            "ExternalKey",
            "SourcePageId",
        )
    ],
)
def get_unclassified_entities(tx, limit, fill_missing_only, require_normalization, require_tags):
    """Entities still needing classification work: no type, or (by flag) missing fields."""
    top = top_count("dbo.usp_get_unclassified_entities", limit)
    frame = tx.query(
        f"SELECT TOP ({top}) e.EntityKey, e.EntityGuid, e.DisplayName, e.EntityType, "
        "e.DisplayNameNormalized, e.SortName, e.AliasCsv, e.IsLatest, e.IsActive, e.ExternalKey, "
        "e.SourcePageId FROM dbo.DimEntity e WHERE e.IsLatest = 1 AND e.IsActive = 1 AND ("
        "e.EntityType IS NULL "
        "OR (? = 1 AND (e.DisplayNameNormalized IS NULL OR e.SortName IS NULL)) "
        "OR (? = 1 AND (e.DisplayNameNormalized IS NULL OR e.SortName IS NULL)) "
        "OR (? = 1 AND e.AliasCsv IS NULL)) ORDER BY e.EntityKey ASC",
        [fill_missing_only, require_normalization, require_tags],
    )
    return ResultSets([frame])


@procedure(
    "dbo.usp_get_entity_classification_status",
    params=(Param("limit", "INT", default=200),),
    returns=[
        (
            "EntityKey",
            "EntityGuid",
            "DisplayName",
            "EntityType",
            "IsLatest",
            "IsActive",
            "LastJobId",
            "LastJobStatus",
            "LastJobAttemptCount",
            "LastJobError",
            "ClassificationState",
        )
    ],
    note="One row per matching entity_classify job, so an entity can appear more than once.",
)
def get_entity_classification_status(tx, limit):
    """Each active entity with its entity_classify job (if any) and a classification state."""
    top = top_count("dbo.usp_get_entity_classification_status", limit)
    frame = tx.query(
        f"SELECT TOP ({top}) e.EntityKey, e.EntityGuid, e.DisplayName, e.EntityType, "
        "e.IsLatest, e.IsActive, j.job_id AS LastJobId, j.status AS LastJobStatus, "
        "j.attempt_count AS LastJobAttemptCount, j.last_error AS LastJobError, "
        "CASE WHEN e.EntityType IS NOT NULL AND e.IsLatest = 1 AND e.IsActive = 1 "
        "THEN 'classified' "
        "WHEN j.status = 'RUNNING' THEN 'in_progress' "
        "WHEN j.status IN ('FAILED', 'DEADLETTER') THEN 'failed' "
        "WHEN j.status = 'SUCCEEDED' THEN 'succeeded' "
        "WHEN j.status = 'NEW' THEN 'pending' "
        "ELSE 'unprocessed' END AS ClassificationState "
        "FROM dbo.DimEntity e LEFT JOIN llm.job j "
        "ON j.dedupe_key = CONCAT('entity_classify:', CAST(e.EntityKey AS NVARCHAR(30))) "
        "WHERE e.IsLatest = 1 AND e.IsActive = 1 ORDER BY e.EntityKey ASC",
    )
    return ResultSets([frame])


@procedure(
    "dbo.__usp_log_migration_start",
    params=(
        Param("migration_id", "NVARCHAR(50)", required=True),
        Param("step_name", "NVARCHAR(200)", required=True),
        Param("rows_before", "BIGINT"),
        Param("details", "NVARCHAR(MAX)"),
        Param("log_id", "INT", required=True, output=True, help="receives the new log_id"),
    ),
    returns=[],
    note="No result set; the new row's id comes back in outputs['log_id'].",
)
def log_migration_start(tx, migration_id, step_name, rows_before, details, log_id):
    """Open a 'started' step in dbo.__migration_log; its id is the OUTPUT @log_id."""
    tx.execute(
        "INSERT INTO dbo.__migration_log (migration_id, step_name, rows_before, details, status) "
        "VALUES (?, ?, ?, ?, 'started')",
        [migration_id, step_name, rows_before, details],
    )
    new_id = tx.scalar(
        "SELECT MAX(log_id) FROM dbo.__migration_log WHERE migration_id = ? AND step_name = ?",
        [migration_id, step_name],
    )
    before = "N/A" if rows_before is None else str(rows_before)
    return ResultSets(
        [],
        outputs={"log_id": int(new_id)},
        messages=[f"  [START] {step_name} (rows_before: {before})"],
    )


@procedure(
    "dbo.__usp_log_migration_end",
    params=(
        Param("log_id", "INT", required=True),
        Param("status", "NVARCHAR(20)", required=True, help="completed, failed or skipped"),
        Param("rows_after", "BIGINT"),
        Param("error_message", "NVARCHAR(MAX)"),
        Param("details", "NVARCHAR(MAX)", help="kept from the start row when NULL"),
    ),
    returns=[],
    note="No result set.",
)
def log_migration_end(tx, log_id, status, rows_after, error_message, details):
    """Close a migration step: completion time, status, row count, error, details."""
    tx.execute(
        "UPDATE dbo.__migration_log SET completed_utc = ?, status = ?, rows_after = ?, "
        "error_message = ?, details = ISNULL(?, details) WHERE log_id = ?",
        [utc_now(), status, rows_after, error_message, details, log_id],
    )
    state = (status or "").lower()
    messages = []
    if state == "completed":
        after = "N/A" if rows_after is None else str(rows_after)
        messages.append(f"  [DONE] Completed (rows_after: {after})")
    elif state == "failed":
        messages.append(f"  [FAIL] {error_message or 'Unknown error'}")
    elif state == "skipped":
        messages.append(f"  [SKIP] {details or 'No changes needed'}")
    return ResultSets([], messages=messages)
