-- ingest: the acquisition queue, raw fetch results, run headers and worker liveness
-- (migrations 0002, 0009, 0011, 0012, 0013). Timestamps are *_at without a Utc suffix; defaults
-- here are system-named, as the migrations left them.
--
-- T-SQL that runs unchanged on SQL Server; on DuckDB holocron_lib.ddl reads it and writes
-- the DuckDB DDL. Newest state of the Holocron database (DDL files + migrations 0001-0036).

CREATE SCHEMA ingest;
GO

CREATE TABLE ingest.work_items (
    work_item_id             NVARCHAR(36) NOT NULL,
    source_system            NVARCHAR(100) NOT NULL,
    source_name              NVARCHAR(100) NOT NULL,
    resource_type            NVARCHAR(100) NOT NULL,
    resource_id              NVARCHAR(500) NOT NULL,
    request_uri              NVARCHAR(2000) NOT NULL,
    request_method           NVARCHAR(10) NOT NULL,
    request_headers          NVARCHAR(MAX) NULL,
    request_body             NVARCHAR(MAX) NULL,
    metadata                 NVARCHAR(MAX) NULL,
    priority                 INT NOT NULL DEFAULT (100),
    status                   NVARCHAR(20) NOT NULL,
    attempt                  INT NOT NULL DEFAULT (0),
    run_id                   NVARCHAR(36) NULL,
    discovered_from          NVARCHAR(36) NULL,
    created_at               DATETIME2 NOT NULL,
    updated_at               DATETIME2 NOT NULL,
    error_message            NVARCHAR(MAX) NULL,
    dedupe_key               NVARCHAR(800) NOT NULL,
    variant                  NVARCHAR(20) NULL,
    [rank]                   INT NULL,
    claimed_by               NVARCHAR(100) NULL,
    claimed_at               DATETIME2 NULL,
    lease_expires_at         DATETIME2 NULL,
    last_error               NVARCHAR(MAX) NULL,
    next_retry_at            DATETIME2 NULL,
    request_started_at       DATETIME2 NULL,
    request_finished_at      DATETIME2 NULL,
    last_heartbeat_at        DATETIME2 NULL,
    error_type               NVARCHAR(200) NULL,
    rank_source_artifact_id  NVARCHAR(100) NULL,
    CONSTRAINT PK_ingest_work_items PRIMARY KEY CLUSTERED (work_item_id),
    CONSTRAINT CK_ingest_work_items_status CHECK (status IN (
        'pending', 'in_progress', 'completed', 'failed', 'skipped')),
    CONSTRAINT CK_ingest_work_items_attempt CHECK (attempt >= 0)
);
GO

CREATE UNIQUE INDEX UX_work_items_dedupe_key
    ON ingest.work_items (dedupe_key);
GO

CREATE TABLE ingest.IngestRecords (
    ingest_id             UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    source_system         NVARCHAR(100) NOT NULL,
    source_name           NVARCHAR(100) NOT NULL,
    resource_type         NVARCHAR(100) NOT NULL,
    resource_id           NVARCHAR(500) NOT NULL,
    request_uri           NVARCHAR(2000) NOT NULL,
    request_method        NVARCHAR(10) NOT NULL,
    request_headers       NVARCHAR(MAX) NULL,
    status_code           INT NOT NULL,
    response_headers      NVARCHAR(MAX) NULL,
    payload               NVARCHAR(MAX) NOT NULL,
    fetched_at_utc        DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    hash_sha256           NVARCHAR(64) NULL,
    run_id                UNIQUEIDENTIFIER NULL,
    work_item_id          UNIQUEIDENTIFIER NULL,
    attempt               INT NOT NULL DEFAULT (1),
    error_message         NVARCHAR(MAX) NULL,
    duration_ms           INT NULL,
    variant               NVARCHAR(20) NULL,
    content_type          NVARCHAR(200) NULL,
    content_length        BIGINT NULL,
    file_path             NVARCHAR(2000) NULL,
    request_timestamp     DATETIME2 NULL,
    response_timestamp    DATETIME2 NULL,
    request_body          NVARCHAR(MAX) NULL,
    response_body_binary  VARBINARY(MAX) NULL,
    error_type            NVARCHAR(200) NULL,
    CONSTRAINT PK_ingest_IngestRecords PRIMARY KEY CLUSTERED (ingest_id),
    CONSTRAINT CK_ingest_IngestRecords_status_code CHECK (status_code BETWEEN 0 AND 999),
    CONSTRAINT CK_ingest_IngestRecords_attempt CHECK (attempt > 0)
);
GO

CREATE TABLE ingest.ingest_runs (
    run_id            UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    started_at        DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    completed_at      DATETIME2 NULL,
    status            NVARCHAR(20) NOT NULL DEFAULT ('running'),
    items_processed   INT NOT NULL DEFAULT (0),
    items_succeeded   INT NOT NULL DEFAULT (0),
    items_failed      INT NOT NULL DEFAULT (0),
    items_discovered  INT NOT NULL DEFAULT (0),
    config_hash       NVARCHAR(64) NULL,
    metadata          NVARCHAR(MAX) NULL,
    CONSTRAINT PK_ingest_ingest_runs PRIMARY KEY CLUSTERED (run_id),
    CONSTRAINT CK_ingest_ingest_runs_status CHECK (status IN (
        'running', 'completed', 'failed', 'cancelled'))
);
GO

CREATE TABLE ingest.seen_resources (
    resource_key   NVARCHAR(800) NOT NULL,
    source_system  NVARCHAR(100) NOT NULL,
    source_name    NVARCHAR(100) NOT NULL,
    resource_type  NVARCHAR(100) NOT NULL,
    resource_id    NVARCHAR(500) NOT NULL,
    first_seen_at  DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    last_seen_at   DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    seen_count     INT NOT NULL DEFAULT (1),
    last_run_id    UNIQUEIDENTIFIER NULL,
    CONSTRAINT PK_ingest_seen_resources PRIMARY KEY CLUSTERED (resource_key)
);
GO

CREATE TABLE ingest.worker_heartbeats (
    worker_id             NVARCHAR(100) NOT NULL PRIMARY KEY,
    hostname              NVARCHAR(255) NOT NULL,
    pid                   INT NOT NULL,
    started_at            DATETIME2 NOT NULL,
    last_heartbeat_at     DATETIME2 NOT NULL,
    items_processed       INT NOT NULL DEFAULT (0),
    items_succeeded       INT NOT NULL DEFAULT (0),
    items_failed          INT NOT NULL DEFAULT (0),
    status                NVARCHAR(20) NOT NULL DEFAULT ('active'),
    current_work_item_id  NVARCHAR(36) NULL
);
GO

CREATE TABLE ingest.run_metrics (
    run_id            NVARCHAR(36) NOT NULL PRIMARY KEY,
    started_at        DATETIME2 NOT NULL,
    ended_at          DATETIME2 NULL,
    max_workers       INT NOT NULL,
    items_processed   INT NOT NULL DEFAULT (0),
    items_succeeded   INT NOT NULL DEFAULT (0),
    items_failed      INT NOT NULL DEFAULT (0),
    items_discovered  INT NOT NULL DEFAULT (0),
    retry_count       INT NOT NULL DEFAULT (0),
    backoff_events    INT NOT NULL DEFAULT (0),
    status            NVARCHAR(20) NOT NULL DEFAULT ('running')
);
GO
