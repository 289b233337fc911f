-- llm: the LLM job queue, runs, artifacts and evidence bundles (migrations 0005, 0007, 0025,
-- 0033, 0035). The *_legacy retrieval tables renamed by 0024 are left out: nothing uses them.
-- llm.run and llm.artifact reference each other, so the run -> artifact keys are added after
-- both tables exist.
--
-- T-SQL that runs unchanged on SQL Server; on DuckDB holocron_lib.ddl reads it and writes
-- the DuckDB DDL. Newest state of the Holocron database (DDL files + migrations 0001-0036).

CREATE SCHEMA llm;
GO

CREATE TABLE llm.evidence_bundle (
    bundle_id             UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    created_utc           DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    build_version         NVARCHAR(20) NOT NULL DEFAULT ('2.0'),
    policy_json           NVARCHAR(MAX) NOT NULL,
    summary_json          NVARCHAR(MAX) NOT NULL,
    lake_uri              NVARCHAR(1000) NULL,
    bundle_sha256         NVARCHAR(64) NULL,
    bundle_kind           NVARCHAR(50) NULL,
    created_by            NVARCHAR(200) NULL,
    notes                 NVARCHAR(2000) NULL,
    assembly_artifact_id  UNIQUEIDENTIFIER NULL,
    bundle_json           NVARCHAR(MAX) NULL,
    CONSTRAINT PK_llm_evidence_bundle PRIMARY KEY CLUSTERED (bundle_id)
);
GO

CREATE TABLE llm.job (
    job_id                   UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    created_utc              DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    status                   VARCHAR(20) NOT NULL DEFAULT ('NEW'),
    priority                 INT NOT NULL DEFAULT (100),
    interrogation_key        NVARCHAR(200) NOT NULL,
    input_json               NVARCHAR(MAX) NOT NULL,
    evidence_ref_json        NVARCHAR(MAX) NULL,
    model_hint               NVARCHAR(100) NULL,
    max_attempts             INT NOT NULL DEFAULT (3),
    attempt_count            INT NOT NULL DEFAULT (0),
    available_utc            DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    locked_by                NVARCHAR(200) NULL,
    locked_utc               DATETIME2 NULL,
    last_error               NVARCHAR(MAX) NULL,
    dedupe_key               NVARCHAR(500) NULL,
    input_bundle_id          UNIQUEIDENTIFIER NULL,
    prompt_template_ref      NVARCHAR(200) NULL,
    prompt_template_version  NVARCHAR(50) NULL,
    contract_version         NVARCHAR(50) NULL,
    requested_output_types   NVARCHAR(500) NULL,
    job_fingerprint          NVARCHAR(64) NULL,
    CONSTRAINT PK_llm_job PRIMARY KEY CLUSTERED (job_id),
    CONSTRAINT CK_llm_job_status CHECK (status IN (
        'NEW', 'RUNNING', 'SUCCEEDED', 'FAILED', 'DEADLETTER')),
    CONSTRAINT CK_llm_job_priority CHECK (priority >= 0),
    CONSTRAINT CK_llm_job_max_attempts CHECK (max_attempts >= 1),
    CONSTRAINT CK_llm_job_attempt_count CHECK (attempt_count >= 0),
    CONSTRAINT FK_llm_job_input_bundle FOREIGN KEY (input_bundle_id) REFERENCES llm.evidence_bundle (bundle_id)
);
GO

CREATE UNIQUE INDEX UQ_llm_job_dedupe
    ON llm.job (interrogation_key, dedupe_key)
    WHERE dedupe_key IS NOT NULL;
GO

CREATE TABLE llm.run (
    run_id                       UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    job_id                       UNIQUEIDENTIFIER NOT NULL,
    started_utc                  DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    completed_utc                DATETIME2 NULL,
    status                       VARCHAR(20) NOT NULL DEFAULT ('RUNNING'),
    worker_id                    NVARCHAR(200) NOT NULL,
    ollama_base_url              NVARCHAR(500) NOT NULL,
    model_name                   NVARCHAR(100) NOT NULL,
    model_tag                    NVARCHAR(100) NULL,
    model_digest                 NVARCHAR(200) NULL,
    options_json                 NVARCHAR(MAX) NULL,
    metrics_json                 NVARCHAR(MAX) NULL,
    error                        NVARCHAR(MAX) NULL,
    request_artifact_id          UNIQUEIDENTIFIER NULL,
    response_artifact_id         UNIQUEIDENTIFIER NULL,
    output_artifact_id           UNIQUEIDENTIFIER NULL,
    prompt_rendered_artifact_id  UNIQUEIDENTIFIER NULL,
    prompt_template_ref          NVARCHAR(200) NULL,
    prompt_template_version      NVARCHAR(50) NULL,
    prompt_hash                  NVARCHAR(64) NULL,
    parent_run_id                UNIQUEIDENTIFIER NULL,
    run_fingerprint              NVARCHAR(64) NULL,
    CONSTRAINT PK_llm_run PRIMARY KEY CLUSTERED (run_id),
    CONSTRAINT CK_llm_run_status CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    CONSTRAINT FK_llm_run_job FOREIGN KEY (job_id) REFERENCES llm.job (job_id),
    CONSTRAINT FK_llm_run_parent_run FOREIGN KEY (parent_run_id) REFERENCES llm.run (run_id)
);
GO

CREATE TABLE llm.artifact (
    artifact_id        UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    run_id             UNIQUEIDENTIFIER NOT NULL,
    artifact_type      NVARCHAR(100) NOT NULL,
    content_sha256     NVARCHAR(64) NULL,
    byte_count         BIGINT NULL,
    lake_uri           NVARCHAR(1000) NULL,
    created_utc        DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    content_mime_type  NVARCHAR(100) NULL,
    schema_version     NVARCHAR(50) NULL,
    content            NVARCHAR(MAX) NULL,
    stored_in_sql      BIT NOT NULL CONSTRAINT DF_llm_artifact_stored_in_sql DEFAULT (0),
    mirrored_to_lake   BIT NOT NULL CONSTRAINT DF_llm_artifact_mirrored_to_lake DEFAULT (0),
    CONSTRAINT PK_llm_artifact PRIMARY KEY CLUSTERED (artifact_id),
    CONSTRAINT CK_llm_artifact_artifact_type CHECK (artifact_type IN (
        'request_json', 'response_json', 'evidence_bundle', 'prompt_text',
        'parsed_output', 'raw_response', 'prompt_template', 'prompt_rendered',
        'llm_request', 'llm_response_raw', 'llm_output_json',
        'llm_output_validation_report', 'merge_payload', 'merge_result_report')),
    CONSTRAINT FK_llm_artifact_run FOREIGN KEY (run_id) REFERENCES llm.run (run_id)
);
GO

ALTER TABLE llm.run
    ADD CONSTRAINT FK_llm_run_request_artifact FOREIGN KEY (request_artifact_id) REFERENCES llm.artifact (artifact_id);
GO

ALTER TABLE llm.run
    ADD CONSTRAINT FK_llm_run_response_artifact FOREIGN KEY (response_artifact_id) REFERENCES llm.artifact (artifact_id);
GO

ALTER TABLE llm.run
    ADD CONSTRAINT FK_llm_run_output_artifact FOREIGN KEY (output_artifact_id) REFERENCES llm.artifact (artifact_id);
GO

ALTER TABLE llm.run
    ADD CONSTRAINT FK_llm_run_prompt_rendered_artifact FOREIGN KEY (prompt_rendered_artifact_id) REFERENCES llm.artifact (artifact_id);
GO

CREATE TABLE llm.run_evidence (
    run_id           UNIQUEIDENTIFIER NOT NULL,
    bundle_id        UNIQUEIDENTIFIER NOT NULL,
    attached_utc     DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    role             NVARCHAR(50) NULL,
    attached_by      NVARCHAR(200) NULL,
    attached_reason  NVARCHAR(500) NULL,
    CONSTRAINT PK_llm_run_evidence PRIMARY KEY CLUSTERED (run_id, bundle_id),
    CONSTRAINT FK_llm_run_evidence_run FOREIGN KEY (run_id) REFERENCES llm.run (run_id),
    CONSTRAINT FK_llm_run_evidence_bundle FOREIGN KEY (bundle_id) REFERENCES llm.evidence_bundle (bundle_id)
);
GO

CREATE TABLE llm.evidence_item (
    item_id         UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    bundle_id       UNIQUEIDENTIFIER NOT NULL,
    evidence_id     NVARCHAR(200) NOT NULL,
    evidence_type   NVARCHAR(100) NOT NULL,
    lake_uri        NVARCHAR(1000) NULL,
    byte_count      BIGINT NOT NULL,
    content_sha256  NVARCHAR(64) NOT NULL,
    metadata_json   NVARCHAR(MAX) NULL,
    source_system   NVARCHAR(100) NULL,
    source_uri      NVARCHAR(2000) NULL,
    source_ref      NVARCHAR(400) NULL,
    selector_json   NVARCHAR(MAX) NULL,
    ordinal         INT NULL,
    role            NVARCHAR(50) NULL,
    excerpt_hash    NVARCHAR(64) NULL,
    created_utc     DATETIME2(3) NOT NULL CONSTRAINT DF_llm_evidence_item_created_utc DEFAULT (SYSUTCDATETIME()),
    content         NVARCHAR(MAX) NULL,
    CONSTRAINT PK_llm_evidence_item PRIMARY KEY CLUSTERED (item_id),
    CONSTRAINT UQ_llm_evidence_item_bundle_evidence UNIQUE (bundle_id, evidence_id),
    CONSTRAINT FK_llm_evidence_item_bundle FOREIGN KEY (bundle_id) REFERENCES llm.evidence_bundle (bundle_id)
);
GO
