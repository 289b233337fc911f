-- vector: the embedding and retrieval runtime (migration 0023); foreign keys stay inside
-- the schema.
--
-- T-SQL that runs unchanged on SQL Server; on DuckDB holocron_lib.ddl reads it and writes
-- the DuckDB DDL. Newest state of the Holocron database (DDL files + migrations 0001-0036).

CREATE SCHEMA vector;
GO

CREATE TABLE vector.embedding_space (
    embedding_space_id      UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    provider                NVARCHAR(100) NOT NULL,
    model_name              NVARCHAR(200) NOT NULL,
    model_tag               NVARCHAR(100) NULL,
    model_digest            NVARCHAR(200) NULL,
    dimensions              INT NOT NULL,
    normalize_flag          BIT NOT NULL DEFAULT (1),
    distance_metric         NVARCHAR(50) NOT NULL DEFAULT ('cosine'),
    preprocess_policy_json  NVARCHAR(MAX) NULL,
    transform_ref           NVARCHAR(200) NULL,
    description             NVARCHAR(500) NULL,
    is_active               BIT NOT NULL DEFAULT (1),
    created_utc             DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT PK_vector_embedding_space PRIMARY KEY CLUSTERED (embedding_space_id),
    CONSTRAINT UQ_vector_embedding_space_identity UNIQUE (provider, model_name, model_tag, model_digest, dimensions)
);
GO

CREATE TABLE vector.job (
    job_id              UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    created_utc         DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    status              VARCHAR(20) NOT NULL DEFAULT ('NEW'),
    priority            INT NOT NULL DEFAULT (100),
    job_type            NVARCHAR(50) NOT NULL,
    input_json          NVARCHAR(MAX) NOT NULL,
    embedding_space_id  UNIQUEIDENTIFIER NULL,
    max_attempts        INT NOT NULL DEFAULT (3),
    attempt_count       INT NOT NULL DEFAULT (0),
    available_utc       DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    locked_by           NVARCHAR(200) NULL,
    locked_utc          DATETIME2 NULL,
    last_error          NVARCHAR(MAX) NULL,
    CONSTRAINT PK_vector_job PRIMARY KEY CLUSTERED (job_id),
    CONSTRAINT CK_vector_job_status CHECK (status IN (
        'NEW', 'RUNNING', 'SUCCEEDED', 'FAILED', 'DEADLETTER')),
    CONSTRAINT CK_vector_job_priority CHECK (priority >= 0),
    CONSTRAINT CK_vector_job_job_type CHECK (job_type IN (
        'CHUNK_SOURCE', 'EMBED_CHUNKS', 'REEMBED_SPACE', 'RETRIEVE_TEST',
        'DRIFT_TEST')),
    CONSTRAINT CK_vector_job_max_attempts CHECK (max_attempts >= 1),
    CONSTRAINT CK_vector_job_attempt_count CHECK (attempt_count >= 0),
    CONSTRAINT FK_vector_job_embedding_space FOREIGN KEY (embedding_space_id) REFERENCES vector.embedding_space (embedding_space_id)
);
GO

CREATE TABLE vector.run (
    run_id              UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    job_id              UNIQUEIDENTIFIER NOT NULL,
    started_utc         DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    completed_utc       DATETIME2 NULL,
    status              VARCHAR(20) NOT NULL DEFAULT ('RUNNING'),
    worker_id           NVARCHAR(200) NOT NULL,
    embedding_space_id  UNIQUEIDENTIFIER NULL,
    endpoint_url        NVARCHAR(500) NULL,
    model_name          NVARCHAR(100) NULL,
    model_tag           NVARCHAR(100) NULL,
    model_digest        NVARCHAR(200) NULL,
    options_json        NVARCHAR(MAX) NULL,
    metrics_json        NVARCHAR(MAX) NULL,
    error               NVARCHAR(MAX) NULL,
    CONSTRAINT PK_vector_run PRIMARY KEY CLUSTERED (run_id),
    CONSTRAINT CK_vector_run_status CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    CONSTRAINT FK_vector_run_job FOREIGN KEY (job_id) REFERENCES vector.job (job_id),
    CONSTRAINT FK_vector_run_embedding_space FOREIGN KEY (embedding_space_id) REFERENCES vector.embedding_space (embedding_space_id)
);
GO

CREATE TABLE vector.source_registry (
    source_id         NVARCHAR(256) NOT NULL,
    source_type       NVARCHAR(100) NOT NULL,
    source_ref_json   NVARCHAR(MAX) NOT NULL,
    content_sha256    NVARCHAR(64) NULL,
    last_indexed_utc  DATETIME2 NULL,
    chunk_count       INT NULL,
    tags_json         NVARCHAR(MAX) NULL,
    status            NVARCHAR(50) NOT NULL DEFAULT ('indexed'),
    created_utc       DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    updated_utc       DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT PK_vector_source_registry PRIMARY KEY CLUSTERED (source_id),
    CONSTRAINT CK_vector_source_registry_status CHECK (status IN ('indexed', 'pending', 'error'))
);
GO

CREATE TABLE vector.chunk (
    chunk_id         NVARCHAR(128) NOT NULL,
    source_id        NVARCHAR(256) NULL,
    source_type      NVARCHAR(100) NOT NULL,
    source_ref_json  NVARCHAR(MAX) NOT NULL,
    offsets_json     NVARCHAR(MAX) NOT NULL,
    content          NVARCHAR(MAX) NOT NULL,
    content_sha256   NVARCHAR(64) NOT NULL,
    byte_count       BIGINT NOT NULL,
    policy_json      NVARCHAR(MAX) NOT NULL,
    created_utc      DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT PK_vector_chunk PRIMARY KEY CLUSTERED (chunk_id),
    CONSTRAINT FK_vector_chunk_source_registry FOREIGN KEY (source_id) REFERENCES vector.source_registry (source_id)
);
GO

CREATE TABLE vector.embedding (
    embedding_id          UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    chunk_id              NVARCHAR(128) NOT NULL,
    embedding_space_id    UNIQUEIDENTIFIER NOT NULL,
    input_content_sha256  NVARCHAR(64) NOT NULL,
    run_id                UNIQUEIDENTIFIER NULL,
    vector_json           NVARCHAR(MAX) NOT NULL,
    vector_sha256         NVARCHAR(64) NOT NULL,
    created_utc           DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT PK_vector_embedding PRIMARY KEY CLUSTERED (embedding_id),
    CONSTRAINT UQ_vector_embedding_chunk_space_input UNIQUE (chunk_id, embedding_space_id, input_content_sha256),
    CONSTRAINT FK_vector_embedding_chunk FOREIGN KEY (chunk_id) REFERENCES vector.chunk (chunk_id),
    CONSTRAINT FK_vector_embedding_embedding_space FOREIGN KEY (embedding_space_id) REFERENCES vector.embedding_space (embedding_space_id),
    CONSTRAINT FK_vector_embedding_run FOREIGN KEY (run_id) REFERENCES vector.run (run_id)
);
GO

CREATE TABLE vector.retrieval (
    retrieval_id          UNIQUEIDENTIFIER NOT NULL DEFAULT (NEWID()),
    run_id                UNIQUEIDENTIFIER NULL,
    embedding_space_id    UNIQUEIDENTIFIER NOT NULL,
    query_text            NVARCHAR(MAX) NOT NULL,
    query_embedding_json  NVARCHAR(MAX) NULL,
    top_k                 INT NOT NULL,
    filters_json          NVARCHAR(MAX) NULL,
    policy_json           NVARCHAR(MAX) NULL,
    created_utc           DATETIME2 NOT NULL DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT PK_vector_retrieval PRIMARY KEY CLUSTERED (retrieval_id),
    CONSTRAINT FK_vector_retrieval_run FOREIGN KEY (run_id) REFERENCES vector.run (run_id),
    CONSTRAINT FK_vector_retrieval_embedding_space FOREIGN KEY (embedding_space_id) REFERENCES vector.embedding_space (embedding_space_id)
);
GO

CREATE TABLE vector.retrieval_hit (
    retrieval_id   UNIQUEIDENTIFIER NOT NULL,
    [rank]         INT NOT NULL,
    chunk_id       NVARCHAR(128) NOT NULL,
    score          FLOAT NOT NULL,
    metadata_json  NVARCHAR(MAX) NULL,
    CONSTRAINT PK_vector_retrieval_hit PRIMARY KEY CLUSTERED (retrieval_id, [rank]),
    CONSTRAINT FK_vector_retrieval_hit_retrieval FOREIGN KEY (retrieval_id) REFERENCES vector.retrieval (retrieval_id),
    CONSTRAINT FK_vector_retrieval_hit_chunk FOREIGN KEY (chunk_id) REFERENCES vector.chunk (chunk_id)
);
GO
