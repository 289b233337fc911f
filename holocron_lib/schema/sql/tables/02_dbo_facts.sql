-- dbo facts: FactEvent (event spine), ContinuityIssue and FactClaim.
-- Block G includes EvidenceBundleGuid (a soft link to llm.evidence_bundle.bundle_id).
--
-- T-SQL that runs unchanged on SQL Server; on DuckDB holocron_lib.ddl reads it and writes
-- the DuckDB DDL. Newest state of the Holocron database (DDL files + migrations 0001-0036).

CREATE TABLE dbo.FactEvent (
    EventKey            BIGINT IDENTITY(1,1) NOT NULL,
    FactEventGuid       UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_FactEvent_FactEventGuid DEFAULT (NEWID()),
    FranchiseKey        INT NOT NULL,
    ContinuityFrameKey  INT NOT NULL,
    WorkKey             INT NOT NULL,
    SceneKey            INT NOT NULL,
    ParentEventKey      BIGINT NULL,
    EventOrdinal        INT NOT NULL,
    EventTypeKey        INT NOT NULL,
    LocationKey         INT NULL,
    StartSec            INT NULL,
    EndSec              INT NULL,
    EraKey              INT NULL,
    UniverseYearMin     INT NULL,
    UniverseYearMax     INT NULL,
    DateKey             INT NULL,
    TimeKey             INT NULL,
    EventTimestampUtc   DATETIME2(3) NULL,
    SummaryShort        NVARCHAR(1000) NOT NULL,
    SummaryNormalized   NVARCHAR(1000) NULL,
    ConfidenceScore     DECIMAL(5,4) NOT NULL,
    ExtractionMethod    NVARCHAR(20) NOT NULL,
    Notes               NVARCHAR(1000) NULL,
    RowHash             VARBINARY(32) NOT NULL,
    IsActive            BIT NOT NULL CONSTRAINT DF_FactEvent_IsActive DEFAULT (1),
    IsLatest            BIT NOT NULL CONSTRAINT DF_FactEvent_IsLatest DEFAULT (1),
    VersionNum          INT NOT NULL CONSTRAINT DF_FactEvent_VersionNum DEFAULT (1),
    ValidFromUtc        DATETIME2(3) NOT NULL CONSTRAINT DF_FactEvent_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc          DATETIME2(3) NULL,
    CreatedUtc          DATETIME2(3) NOT NULL CONSTRAINT DF_FactEvent_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc          DATETIME2(3) NULL,
    SourceSystem        NVARCHAR(100) NULL,
    SourceRef           NVARCHAR(400) NULL,
    IngestBatchKey      NVARCHAR(100) NULL,
    EvidenceBundleGuid  UNIQUEIDENTIFIER NULL,
    AttributesJson      NVARCHAR(MAX) NULL,
    CONSTRAINT PK_FactEvent PRIMARY KEY CLUSTERED (EventKey),
    CONSTRAINT UQ_FactEvent_FactEventGuid UNIQUE (FactEventGuid),
    CONSTRAINT FK_FactEvent_DimFranchise FOREIGN KEY (FranchiseKey) REFERENCES dbo.DimFranchise (FranchiseKey),
    CONSTRAINT FK_FactEvent_DimContinuityFrame FOREIGN KEY (ContinuityFrameKey) REFERENCES dbo.DimContinuityFrame (ContinuityFrameKey),
    CONSTRAINT FK_FactEvent_DimWork FOREIGN KEY (WorkKey) REFERENCES dbo.DimWork (WorkKey),
    CONSTRAINT FK_FactEvent_DimScene FOREIGN KEY (SceneKey) REFERENCES dbo.DimScene (SceneKey),
    CONSTRAINT FK_FactEvent_ParentEvent FOREIGN KEY (ParentEventKey) REFERENCES dbo.FactEvent (EventKey),
    CONSTRAINT FK_FactEvent_DimEventType FOREIGN KEY (EventTypeKey) REFERENCES dbo.DimEventType (EventTypeKey),
    CONSTRAINT FK_FactEvent_DimLocation FOREIGN KEY (LocationKey) REFERENCES dbo.DimLocation (LocationKey),
    CONSTRAINT FK_FactEvent_DimEra FOREIGN KEY (EraKey) REFERENCES dbo.DimEra (EraKey),
    CONSTRAINT FK_FactEvent_DimDate FOREIGN KEY (DateKey) REFERENCES dbo.DimDate (DateKey),
    CONSTRAINT FK_FactEvent_DimTime FOREIGN KEY (TimeKey) REFERENCES dbo.DimTime (TimeKey)
);
GO

CREATE UNIQUE INDEX UX_FactEvent_FranchiseKey_WorkKey_SceneKey_EventOrdinal_IsLatest
    ON dbo.FactEvent (FranchiseKey, WorkKey, SceneKey, EventOrdinal)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.ContinuityIssue (
    ContinuityIssueKey   BIGINT IDENTITY(1,1) NOT NULL,
    ContinuityIssueGuid  UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_ContinuityIssue_ContinuityIssueGuid DEFAULT (NEWID()),
    FranchiseKey         INT NOT NULL,
    ContinuityFrameKey   INT NOT NULL,
    IssueTypeKey         INT NOT NULL,
    IssueSummary         NVARCHAR(300) NOT NULL,
    IssueDescription     NVARCHAR(2000) NULL,
    Scope                NVARCHAR(50) NOT NULL,
    WorkKey              INT NULL,
    SceneKey             INT NULL,
    SeverityScore        INT NOT NULL,
    SeverityLabel        NVARCHAR(20) NOT NULL,
    DisputeLevel         NVARCHAR(20) NOT NULL,
    Status               NVARCHAR(30) NOT NULL,
    ConfidenceScore      DECIMAL(5,4) NULL,
    Notes                NVARCHAR(1000) NULL,
    RowHash              VARBINARY(32) NOT NULL,
    IsActive             BIT NOT NULL CONSTRAINT DF_ContinuityIssue_IsActive DEFAULT (1),
    IsLatest             BIT NOT NULL CONSTRAINT DF_ContinuityIssue_IsLatest DEFAULT (1),
    VersionNum           INT NOT NULL CONSTRAINT DF_ContinuityIssue_VersionNum DEFAULT (1),
    ValidFromUtc         DATETIME2(3) NOT NULL CONSTRAINT DF_ContinuityIssue_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc           DATETIME2(3) NULL,
    CreatedUtc           DATETIME2(3) NOT NULL CONSTRAINT DF_ContinuityIssue_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc           DATETIME2(3) NULL,
    SourceSystem         NVARCHAR(100) NULL,
    SourceRef            NVARCHAR(400) NULL,
    IngestBatchKey       NVARCHAR(100) NULL,
    EvidenceBundleGuid   UNIQUEIDENTIFIER NULL,
    AttributesJson       NVARCHAR(MAX) NULL,
    CONSTRAINT PK_ContinuityIssue PRIMARY KEY CLUSTERED (ContinuityIssueKey),
    CONSTRAINT UQ_ContinuityIssue_ContinuityIssueGuid UNIQUE (ContinuityIssueGuid),
    CONSTRAINT FK_ContinuityIssue_DimFranchise FOREIGN KEY (FranchiseKey) REFERENCES dbo.DimFranchise (FranchiseKey),
    CONSTRAINT FK_ContinuityIssue_DimContinuityFrame FOREIGN KEY (ContinuityFrameKey) REFERENCES dbo.DimContinuityFrame (ContinuityFrameKey),
    CONSTRAINT FK_ContinuityIssue_DimIssueType FOREIGN KEY (IssueTypeKey) REFERENCES dbo.DimIssueType (IssueTypeKey),
    CONSTRAINT FK_ContinuityIssue_DimWork FOREIGN KEY (WorkKey) REFERENCES dbo.DimWork (WorkKey),
    CONSTRAINT FK_ContinuityIssue_DimScene FOREIGN KEY (SceneKey) REFERENCES dbo.DimScene (SceneKey)
);
GO

CREATE UNIQUE INDEX UX_ContinuityIssue_FranchiseKey_ContinuityFrameKey_IssueSummary_IsLatest
    ON dbo.ContinuityIssue (FranchiseKey, ContinuityFrameKey, IssueSummary)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.FactClaim (
    ClaimKey            BIGINT IDENTITY(1,1) NOT NULL,
    FactClaimGuid       UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_FactClaim_FactClaimGuid DEFAULT (NEWID()),
    FranchiseKey        INT NOT NULL,
    ContinuityFrameKey  INT NOT NULL,
    ClaimType           NVARCHAR(50) NOT NULL,
    SubjectEntityKey    INT NOT NULL,
    Predicate           NVARCHAR(200) NOT NULL,
    ObjectValue         NVARCHAR(1000) NOT NULL,
    ObjectValueType     NVARCHAR(20) NOT NULL,
    WorkKey             INT NULL,
    SceneKey            INT NULL,
    ConfidenceScore     DECIMAL(5,4) NOT NULL,
    EvidenceRef         NVARCHAR(200) NULL,
    ExtractionMethod    NVARCHAR(20) NOT NULL,
    Notes               NVARCHAR(1000) NULL,
    RowHash             VARBINARY(32) NOT NULL,
    IsActive            BIT NOT NULL CONSTRAINT DF_FactClaim_IsActive DEFAULT (1),
    IsLatest            BIT NOT NULL CONSTRAINT DF_FactClaim_IsLatest DEFAULT (1),
    VersionNum          INT NOT NULL CONSTRAINT DF_FactClaim_VersionNum DEFAULT (1),
    ValidFromUtc        DATETIME2(3) NOT NULL CONSTRAINT DF_FactClaim_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc          DATETIME2(3) NULL,
    CreatedUtc          DATETIME2(3) NOT NULL CONSTRAINT DF_FactClaim_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc          DATETIME2(3) NULL,
    SourceSystem        NVARCHAR(100) NULL,
    SourceRef           NVARCHAR(400) NULL,
    IngestBatchKey      NVARCHAR(100) NULL,
    EvidenceBundleGuid  UNIQUEIDENTIFIER NULL,
    AttributesJson      NVARCHAR(MAX) NULL,
    CONSTRAINT PK_FactClaim PRIMARY KEY CLUSTERED (ClaimKey),
    CONSTRAINT UQ_FactClaim_FactClaimGuid UNIQUE (FactClaimGuid),
    CONSTRAINT FK_FactClaim_DimFranchise FOREIGN KEY (FranchiseKey) REFERENCES dbo.DimFranchise (FranchiseKey),
    CONSTRAINT FK_FactClaim_DimContinuityFrame FOREIGN KEY (ContinuityFrameKey) REFERENCES dbo.DimContinuityFrame (ContinuityFrameKey),
    CONSTRAINT FK_FactClaim_DimEntity FOREIGN KEY (SubjectEntityKey) REFERENCES dbo.DimEntity (EntityKey),
    CONSTRAINT FK_FactClaim_DimWork FOREIGN KEY (WorkKey) REFERENCES dbo.DimWork (WorkKey),
    CONSTRAINT FK_FactClaim_DimScene FOREIGN KEY (SceneKey) REFERENCES dbo.DimScene (SceneKey)
);
GO

CREATE UNIQUE INDEX UX_FactClaim_SubjectEntityKey_Predicate_IsLatest
    ON dbo.FactClaim (SubjectEntityKey, Predicate)
    WHERE IsLatest = 1;
GO
