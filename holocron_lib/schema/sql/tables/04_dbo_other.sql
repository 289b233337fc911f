-- dbo tables created by migrations, without block G: tagging (0019), LLM relationship
-- placeholders (0027, 0031, 0032, 0034) and the migration step log (0032).
-- dbo.BridgeEntityWork is absent: migration 0027 cannot create it on the real database.
--
-- T-SQL that runs unchanged on SQL Server; on DuckDB holocron_lib.ddl reads it and writes
-- the DuckDB DDL. Newest state of the Holocron database (DDL files + migrations 0001-0036).

CREATE TABLE dbo.DimTag (
    TagKey             INT IDENTITY(1,1) NOT NULL,
    TagGuid            UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimTag_TagGuid DEFAULT (NEWID()),
    TagName            NVARCHAR(200) NOT NULL,
    TagNameNormalized  NVARCHAR(200) NULL,
    TagType            NVARCHAR(50) NOT NULL,
    DisplayName        NVARCHAR(200) NULL,
    Description        NVARCHAR(1000) NULL,
    SortOrder          INT NOT NULL CONSTRAINT DF_DimTag_SortOrder DEFAULT (100),
    Visibility         NVARCHAR(20) NOT NULL CONSTRAINT DF_DimTag_Visibility DEFAULT ('public'),
    ColorHex           NVARCHAR(7) NULL,
    IconRef            NVARCHAR(100) NULL,
    IsActive           BIT NOT NULL CONSTRAINT DF_DimTag_IsActive DEFAULT (1),
    IsLatest           BIT NOT NULL CONSTRAINT DF_DimTag_IsLatest DEFAULT (1),
    VersionNum         INT NOT NULL CONSTRAINT DF_DimTag_VersionNum DEFAULT (1),
    ValidFromUtc       DATETIME2(3) NOT NULL CONSTRAINT DF_DimTag_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc         DATETIME2(3) NULL,
    CreatedUtc         DATETIME2(3) NOT NULL CONSTRAINT DF_DimTag_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc         DATETIME2(3) NULL,
    SourceSystem       NVARCHAR(100) NULL,
    SourceRef          NVARCHAR(400) NULL,
    CONSTRAINT PK_DimTag PRIMARY KEY CLUSTERED (TagKey),
    CONSTRAINT UQ_DimTag_TagGuid UNIQUE (TagGuid),
    CONSTRAINT CK_DimTag_Visibility CHECK (Visibility IN (
        'public', 'hidden', 'internal', 'deprecated'))
);
GO

CREATE UNIQUE INDEX UX_DimTag_TagType_TagName_Active
    ON dbo.DimTag (TagType, TagName)
    WHERE IsLatest = 1 AND IsActive = 1;
GO

CREATE TABLE dbo.BridgeTagAssignment (
    AssignmentId      UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_BridgeTagAssignment_AssignmentId DEFAULT (NEWID()),
    TagKey            INT NOT NULL,
    TargetType        NVARCHAR(50) NOT NULL,
    TargetId          NVARCHAR(200) NOT NULL,
    Weight            DECIMAL(5,4) NULL,
    Confidence        DECIMAL(5,4) NULL,
    AssignedBy        NVARCHAR(100) NULL,
    AssignmentMethod  NVARCHAR(50) NOT NULL CONSTRAINT DF_BridgeTagAssignment_AssignmentMethod DEFAULT ('manual'),
    SourcePageId      UNIQUEIDENTIFIER NULL,
    ClassificationId  UNIQUEIDENTIFIER NULL,
    RunId             UNIQUEIDENTIFIER NULL,
    AssignedUtc       DATETIME2(3) NOT NULL CONSTRAINT DF_BridgeTagAssignment_AssignedUtc DEFAULT (SYSUTCDATETIME()),
    IsActive          BIT NOT NULL CONSTRAINT DF_BridgeTagAssignment_IsActive DEFAULT (1),
    RemovedUtc        DATETIME2(3) NULL,
    RemovedBy         NVARCHAR(100) NULL,
    CONSTRAINT PK_BridgeTagAssignment PRIMARY KEY CLUSTERED (AssignmentId),
    CONSTRAINT CK_BridgeTagAssignment_TargetType CHECK (TargetType IN (
        'SourcePage', 'Entity', 'Chunk', 'Claim', 'Event', 'Work', 'Character',
        'Location', 'Classification', 'Other')),
    CONSTRAINT CK_BridgeTagAssignment_AssignmentMethod CHECK (AssignmentMethod IN (
        'manual', 'rules', 'llm', 'hybrid', 'import', 'system')),
    CONSTRAINT FK_BridgeTagAssignment_DimTag FOREIGN KEY (TagKey) REFERENCES dbo.DimTag (TagKey)
);
GO

CREATE UNIQUE INDEX UX_BridgeTagAssignment_Tag_Target_Active
    ON dbo.BridgeTagAssignment (TagKey, TargetType, TargetId)
    WHERE IsActive = 1;
GO

CREATE TABLE dbo.BridgeTagRelation (
    RelationId       UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_BridgeTagRelation_RelationId DEFAULT (NEWID()),
    FromTagKey       INT NOT NULL,
    ToTagKey         INT NOT NULL,
    RelationType     NVARCHAR(50) NOT NULL,
    IsBidirectional  BIT NOT NULL CONSTRAINT DF_BridgeTagRelation_IsBidirectional DEFAULT (0),
    Weight           DECIMAL(5,4) NULL,
    Notes            NVARCHAR(500) NULL,
    CreatedUtc       DATETIME2(3) NOT NULL CONSTRAINT DF_BridgeTagRelation_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    CreatedBy        NVARCHAR(100) NULL,
    IsActive         BIT NOT NULL CONSTRAINT DF_BridgeTagRelation_IsActive DEFAULT (1),
    CONSTRAINT PK_BridgeTagRelation PRIMARY KEY CLUSTERED (RelationId),
    CONSTRAINT CK_BridgeTagRelation_RelationType CHECK (RelationType IN (
        'synonym', 'broader', 'narrower', 'related', 'replaces', 'replaced_by')),
    CONSTRAINT CK_BridgeTagRelation_NoSelfReference CHECK (FromTagKey <> ToTagKey),
    CONSTRAINT FK_BridgeTagRelation_FromTag FOREIGN KEY (FromTagKey) REFERENCES dbo.DimTag (TagKey),
    CONSTRAINT FK_BridgeTagRelation_ToTag FOREIGN KEY (ToTagKey) REFERENCES dbo.DimTag (TagKey)
);
GO

CREATE UNIQUE INDEX UX_BridgeTagRelation_From_To_Type_Active
    ON dbo.BridgeTagRelation (FromTagKey, ToTagKey, RelationType)
    WHERE IsActive = 1;
GO

CREATE TABLE dbo.BridgeEntityRelation (
    RelationId          UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_BridgeEntityRelation_RelationId DEFAULT (NEWID()),
    FromEntityGuid      UNIQUEIDENTIFIER NOT NULL,
    ToEntityGuid        UNIQUEIDENTIFIER NOT NULL,
    RelationType        NVARCHAR(100) NOT NULL,
    Confidence          DECIMAL(5,4) NULL,
    StartDate           NVARCHAR(100) NULL,
    EndDate             NVARCHAR(100) NULL,
    WorkContextJson     NVARCHAR(MAX) NULL,
    SourcePageId        UNIQUEIDENTIFIER NULL,
    RunId               UNIQUEIDENTIFIER NULL,
    JobId               UNIQUEIDENTIFIER NULL,
    CreatedUtc          DATETIME2(3) NOT NULL CONSTRAINT DF_BridgeEntityRelation_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    ModifiedUtc         DATETIME2(3) NULL,
    IsActive            BIT NOT NULL CONSTRAINT DF_BridgeEntityRelation_IsActive DEFAULT (1),
    NeedsReview         BIT NOT NULL CONSTRAINT DF_BridgeEntityRelation_NeedsReview DEFAULT (0),
    ReviewedUtc         DATETIME2(3) NULL,
    ReviewedBy          NVARCHAR(100) NULL,
    EvidenceBundleGuid  UNIQUEIDENTIFIER NULL,
    CONSTRAINT PK_BridgeEntityRelation PRIMARY KEY CLUSTERED (RelationId)
);
GO

CREATE TABLE dbo.DimOccurrence (
    OccurrenceGuid       UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimOccurrence_OccurrenceGuid DEFAULT (NEWID()),
    EventName            NVARCHAR(500) NOT NULL,
    EventNameNormalized  NVARCHAR(500) NULL,
    EventType            NVARCHAR(100) NULL,
    EventDate            NVARCHAR(100) NULL,
    EventStartDate       NVARCHAR(100) NULL,
    EventEndDate         NVARCHAR(100) NULL,
    EventLocation        NVARCHAR(500) NULL,
    LocationEntityId     UNIQUEIDENTIFIER NULL,
    Description          NVARCHAR(MAX) NULL,
    SourcePageId         UNIQUEIDENTIFIER NULL,
    RunId                UNIQUEIDENTIFIER NULL,
    Confidence           DECIMAL(5,4) NULL,
    CreatedUtc           DATETIME2(3) NOT NULL CONSTRAINT DF_DimOccurrence_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    ModifiedUtc          DATETIME2(3) NULL,
    IsActive             BIT NOT NULL CONSTRAINT DF_DimOccurrence_IsActive DEFAULT (1),
    IsLatest             BIT NOT NULL CONSTRAINT DF_DimOccurrence_IsLatest DEFAULT (1),
    CONSTRAINT PK_DimOccurrence PRIMARY KEY CLUSTERED (OccurrenceGuid)
);
GO

CREATE TABLE dbo.BridgeEntityOccurrence (
    BridgeId           UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_BridgeEntityOccurrence_BridgeId DEFAULT (NEWID()),
    EntityId           UNIQUEIDENTIFIER NOT NULL,
    OccurrenceKey      UNIQUEIDENTIFIER NOT NULL,
    ParticipationRole  NVARCHAR(100) NULL,
    Confidence         DECIMAL(5,4) NULL,
    SourcePageId       UNIQUEIDENTIFIER NULL,
    RunId              UNIQUEIDENTIFIER NULL,
    CreatedUtc         DATETIME2(3) NOT NULL CONSTRAINT DF_BridgeEntityOccurrence_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    IsActive           BIT NOT NULL CONSTRAINT DF_BridgeEntityOccurrence_IsActive DEFAULT (1),
    CONSTRAINT PK_BridgeEntityOccurrence PRIMARY KEY CLUSTERED (BridgeId)
);
GO

CREATE TABLE dbo.__migration_log (
    log_id         INT IDENTITY(1,1) NOT NULL,
    migration_id   NVARCHAR(50) NOT NULL,
    step_name      NVARCHAR(200) NOT NULL,
    started_utc    DATETIME2(3) NOT NULL CONSTRAINT DF___migration_log_started_utc DEFAULT (SYSUTCDATETIME()),
    completed_utc  DATETIME2(3) NULL,
    status         NVARCHAR(20) NOT NULL CONSTRAINT DF___migration_log_status DEFAULT ('started'),
    rows_before    BIGINT NULL,
    rows_after     BIGINT NULL,
    details        NVARCHAR(MAX) NULL,
    error_message  NVARCHAR(MAX) NULL,
    CONSTRAINT PK___migration_log PRIMARY KEY CLUSTERED (log_id),
    CONSTRAINT CK___migration_log_status CHECK (status IN (
        'started', 'completed', 'failed', 'skipped'))
);
GO
