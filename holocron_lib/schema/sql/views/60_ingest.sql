-- The live ingest views (migration 0012). Migration 0010's snake_case views are not part
-- of the live database and are not defined here.

-- Work items created in the last 90 days.
CREATE VIEW ingest.vw_WorkItems_Recent AS
SELECT
    wi.work_item_id,
    wi.source_system,
    wi.source_name,
    wi.resource_type,
    wi.resource_id,
    wi.variant,
    wi.request_uri,
    wi.request_method,
    wi.status,
    wi.priority,
    wi.attempt AS retry_count,
    wi.rank,
    wi.created_at,
    wi.updated_at,
    wi.error_message,
    wi.error_type,
    wi.run_id
FROM ingest.work_items AS wi
WHERE wi.created_at >= DATEADD(DAY, -90, SYSUTCDATETIME())
GO

-- The newest 2xx fetch of each resource and variant.
CREATE VIEW ingest.vw_LatestSuccessfulFetch AS
SELECT
    ranked.ingest_id,
    ranked.source_system,
    ranked.source_name,
    ranked.resource_type,
    ranked.resource_id,
    ranked.variant,
    ranked.request_uri,
    ranked.request_method,
    ranked.status_code,
    ranked.content_type,
    ranked.content_length,
    ranked.file_path,
    ranked.hash_sha256,
    ranked.fetched_at_utc,
    ranked.duration_ms,
    ranked.error_message,
    ranked.error_type,
    ranked.work_item_id,
    ranked.run_id
FROM (
    SELECT
        ir.ingest_id,
        ir.source_system,
        ir.source_name,
        ir.resource_type,
        ir.resource_id,
        ir.variant,
        ir.request_uri,
        ir.request_method,
        ir.status_code,
        ir.content_type,
        ir.content_length,
        ir.file_path,
        ir.hash_sha256,
        ir.fetched_at_utc,
        ir.duration_ms,
        ir.error_message,
        ir.error_type,
        ir.work_item_id,
        ir.run_id,
        ROW_NUMBER() OVER (
            PARTITION BY ir.source_system, ir.source_name, ir.resource_type, ir.resource_id,
                ir.variant
            ORDER BY ir.fetched_at_utc DESC
        ) AS fetch_rank
    FROM ingest.IngestRecords AS ir
    WHERE ir.status_code >= 200 AND ir.status_code < 300
) AS ranked
WHERE ranked.fetch_rank = 1
GO

-- Queue size and age per source, status and variant.
CREATE VIEW ingest.vw_WorkItems_QueueSummary AS
SELECT
    wi.source_system,
    wi.source_name,
    wi.status,
    wi.variant,
    COUNT(*) AS item_count,
    MIN(wi.created_at) AS oldest_item,
    MAX(wi.created_at) AS newest_item,
    SUM(CASE WHEN wi.attempt > 0 THEN 1 ELSE 0 END) AS items_with_retries,
    MAX(wi.attempt) AS max_retries
FROM ingest.work_items AS wi
GROUP BY wi.source_system, wi.source_name, wi.status, wi.variant
GO
