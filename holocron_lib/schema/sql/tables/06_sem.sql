-- sem: semantic staging of wiki pages (migrations 0015-0017, 0021, 0022); snake_case columns.
-- SourcePage.latest_ingest_id and PageClassification.run_id are soft links (no constraint).
--
-- T-SQL that runs unchanged on SQL Server; on DuckDB holocron_lib.ddl reads it and writes
-- the DuckDB DDL. Newest state of the Holocron database (DDL files + migrations 0001-0036).

CREATE SCHEMA sem;
GO

CREATE TABLE sem.SourcePage (
    source_page_id       UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    source_system        NVARCHAR(100) NOT NULL,
    resource_id          NVARCHAR(500) NOT NULL,
    variant              NVARCHAR(20) NULL,
    namespace            NVARCHAR(100) NULL,
    continuity_hint      NVARCHAR(50) NULL,
    content_hash_sha256  NVARCHAR(64) NULL,
    latest_ingest_id     UNIQUEIDENTIFIER NULL,
    source_registry_id   NVARCHAR(256) NULL,
    created_utc          DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    updated_utc          DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    is_active            BIT NOT NULL DEFAULT (1),
    CONSTRAINT PK_sem_SourcePage PRIMARY KEY CLUSTERED (source_page_id)
);
GO

CREATE UNIQUE INDEX UX_SourcePage_system_resource_variant_active
    ON sem.SourcePage (source_system, resource_id, variant)
    WHERE is_active = 1;
GO

CREATE TABLE sem.PageSignals (
    page_signals_id          UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    source_page_id           UNIQUEIDENTIFIER NOT NULL,
    content_hash_sha256      NVARCHAR(64) NULL,
    signals_version          INT NOT NULL DEFAULT (1),
    lead_sentence            NVARCHAR(1000) NULL,
    infobox_type             NVARCHAR(200) NULL,
    categories_json          NVARCHAR(MAX) NULL,
    is_list_page             BIT NOT NULL DEFAULT (0),
    is_disambiguation        BIT NOT NULL DEFAULT (0),
    has_timeline_markers     BIT NOT NULL DEFAULT (0),
    has_infobox              BIT NOT NULL DEFAULT (0),
    signals_json             NVARCHAR(MAX) NULL,
    extracted_utc            DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    extraction_method        NVARCHAR(50) NULL,
    extraction_duration_ms   INT NULL,
    is_current               BIT NOT NULL DEFAULT (1),
    content_format_detected  NVARCHAR(20) NULL,
    content_start_strategy   NVARCHAR(50) NULL,
    content_start_offset     INT NULL,
    lead_excerpt_text        NVARCHAR(MAX) NULL,
    lead_excerpt_len         INT NULL,
    lead_excerpt_hash        NVARCHAR(64) NULL,
    CONSTRAINT PK_sem_PageSignals PRIMARY KEY CLUSTERED (page_signals_id),
    CONSTRAINT FK_sem_PageSignals_SourcePage FOREIGN KEY (source_page_id) REFERENCES sem.SourcePage (source_page_id)
);
GO

CREATE UNIQUE INDEX UX_PageSignals_source_page_current
    ON sem.PageSignals (source_page_id)
    WHERE is_current = 1;
GO

CREATE TABLE sem.PageClassification (
    page_classification_id  UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    source_page_id          UNIQUEIDENTIFIER NOT NULL,
    taxonomy_version        NVARCHAR(20) NOT NULL DEFAULT ('v1'),
    primary_type            NVARCHAR(100) NOT NULL,
    type_set_json           NVARCHAR(MAX) NULL,
    confidence_score        DECIMAL(5,4) NULL,
    method                  NVARCHAR(20) NOT NULL,
    model_name              NVARCHAR(100) NULL,
    prompt_version          NVARCHAR(50) NULL,
    run_id                  UNIQUEIDENTIFIER NULL,
    evidence_json           NVARCHAR(MAX) NULL,
    rationale               NVARCHAR(2000) NULL,
    needs_review            BIT NOT NULL DEFAULT (0),
    review_notes            NVARCHAR(1000) NULL,
    suggested_tags_json     NVARCHAR(MAX) NULL,
    created_utc             DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    is_current              BIT NOT NULL DEFAULT (1),
    superseded_by_id        UNIQUEIDENTIFIER NULL,
    descriptor_sentence     NVARCHAR(400) NULL,
    work_medium             NVARCHAR(20) NULL,
    canon_context           NVARCHAR(20) NULL,
    CONSTRAINT PK_sem_PageClassification PRIMARY KEY CLUSTERED (page_classification_id),
    CONSTRAINT CK_sem_PageClassification_method CHECK (method IN (
        'rules', 'llm', 'hybrid', 'manual')),
    CONSTRAINT CK_sem_PageClassification_work_medium CHECK (work_medium IS NULL OR work_medium IN (
        'film', 'tv', 'game', 'book', 'comic', 'reference', 'episode', 'short',
        'other', 'unknown')),
    CONSTRAINT CK_sem_PageClassification_canon_context CHECK (canon_context IS NULL OR canon_context IN (
        'canon', 'legends', 'both', 'unknown')),
    CONSTRAINT FK_sem_PageClassification_SourcePage FOREIGN KEY (source_page_id) REFERENCES sem.SourcePage (source_page_id)
);
GO

CREATE UNIQUE INDEX UX_PageClassification_source_page_current
    ON sem.PageClassification (source_page_id)
    WHERE is_current = 1;
GO
