-- dbo bridges between events, entities, tech instances, issues and claims.
-- Block G includes EvidenceBundleGuid.
--
-- T-SQL that runs unchanged on SQL Server; on DuckDB holocron_lib.ddl reads it and writes
-- the DuckDB DDL. Newest state of the Holocron database (DDL files + migrations 0001-0036).

CREATE TABLE dbo.BridgeEventParticipant (
    BridgeEventParticipantKey   INT IDENTITY(1,1) NOT NULL,
    BridgeEventParticipantGuid  UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_BridgeEventParticipant_BridgeEventParticipantGuid DEFAULT (NEWID()),
    EventKey                    BIGINT NOT NULL,
    EntityKey                   INT NOT NULL,
    RoleInEvent                 NVARCHAR(50) NOT NULL,
    RoleSubtype                 NVARCHAR(100) NULL,
    WeightClass                 NVARCHAR(20) NOT NULL,
    ParticipantOrdinal          INT NULL,
    ParticipationScore          DECIMAL(5,4) NULL,
    Notes                       NVARCHAR(1000) NULL,
    RowHash                     VARBINARY(32) NOT NULL,
    IsActive                    BIT NOT NULL CONSTRAINT DF_BridgeEventParticipant_IsActive DEFAULT (1),
    IsLatest                    BIT NOT NULL CONSTRAINT DF_BridgeEventParticipant_IsLatest DEFAULT (1),
    VersionNum                  INT NOT NULL CONSTRAINT DF_BridgeEventParticipant_VersionNum DEFAULT (1),
    ValidFromUtc                DATETIME2(3) NOT NULL CONSTRAINT DF_BridgeEventParticipant_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc                  DATETIME2(3) NULL,
    CreatedUtc                  DATETIME2(3) NOT NULL CONSTRAINT DF_BridgeEventParticipant_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc                  DATETIME2(3) NULL,
    SourceSystem                NVARCHAR(100) NULL,
    SourceRef                   NVARCHAR(400) NULL,
    IngestBatchKey              NVARCHAR(100) NULL,
    EvidenceBundleGuid          UNIQUEIDENTIFIER NULL,
    AttributesJson              NVARCHAR(MAX) NULL,
    CONSTRAINT PK_BridgeEventParticipant PRIMARY KEY CLUSTERED (BridgeEventParticipantKey),
    CONSTRAINT UQ_BridgeEventParticipant_BridgeEventParticipantGuid UNIQUE (BridgeEventParticipantGuid),
    CONSTRAINT FK_BridgeEventParticipant_FactEvent FOREIGN KEY (EventKey) REFERENCES dbo.FactEvent (EventKey),
    CONSTRAINT FK_BridgeEventParticipant_DimEntity FOREIGN KEY (EntityKey) REFERENCES dbo.DimEntity (EntityKey)
);
GO

CREATE UNIQUE INDEX UX_BridgeEventParticipant_EventKey_EntityKey_RoleInEvent_IsLatest
    ON dbo.BridgeEventParticipant (EventKey, EntityKey, RoleInEvent)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.BridgeEventAsset (
    BridgeEventAssetKey   INT IDENTITY(1,1) NOT NULL,
    BridgeEventAssetGuid  UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_BridgeEventAsset_BridgeEventAssetGuid DEFAULT (NEWID()),
    EventKey              BIGINT NOT NULL,
    TechInstanceKey       INT NOT NULL,
    AssetRole             NVARCHAR(50) NOT NULL,
    AssetRoleDetail       NVARCHAR(200) NULL,
    AssetOrdinal          INT NULL,
    Notes                 NVARCHAR(1000) NULL,
    RowHash               VARBINARY(32) NOT NULL,
    IsActive              BIT NOT NULL CONSTRAINT DF_BridgeEventAsset_IsActive DEFAULT (1),
    IsLatest              BIT NOT NULL CONSTRAINT DF_BridgeEventAsset_IsLatest DEFAULT (1),
    VersionNum            INT NOT NULL CONSTRAINT DF_BridgeEventAsset_VersionNum DEFAULT (1),
    ValidFromUtc          DATETIME2(3) NOT NULL CONSTRAINT DF_BridgeEventAsset_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc            DATETIME2(3) NULL,
    CreatedUtc            DATETIME2(3) NOT NULL CONSTRAINT DF_BridgeEventAsset_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc            DATETIME2(3) NULL,
    SourceSystem          NVARCHAR(100) NULL,
    SourceRef             NVARCHAR(400) NULL,
    IngestBatchKey        NVARCHAR(100) NULL,
    EvidenceBundleGuid    UNIQUEIDENTIFIER NULL,
    AttributesJson        NVARCHAR(MAX) NULL,
    CONSTRAINT PK_BridgeEventAsset PRIMARY KEY CLUSTERED (BridgeEventAssetKey),
    CONSTRAINT UQ_BridgeEventAsset_BridgeEventAssetGuid UNIQUE (BridgeEventAssetGuid),
    CONSTRAINT FK_BridgeEventAsset_FactEvent FOREIGN KEY (EventKey) REFERENCES dbo.FactEvent (EventKey),
    CONSTRAINT FK_BridgeEventAsset_DimTechInstance FOREIGN KEY (TechInstanceKey) REFERENCES dbo.DimTechInstance (TechInstanceKey)
);
GO

CREATE UNIQUE INDEX UX_BridgeEventAsset_EventKey_TechInstanceKey_IsLatest
    ON dbo.BridgeEventAsset (EventKey, TechInstanceKey)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.BridgeContinuityIssueClaim (
    BridgeContinuityIssueClaimKey   INT IDENTITY(1,1) NOT NULL,
    BridgeContinuityIssueClaimGuid  UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_BridgeContinuityIssueClaim_BridgeContinuityIssueClaimGuid DEFAULT (NEWID()),
    ContinuityIssueKey              BIGINT NOT NULL,
    ClaimKey                        BIGINT NOT NULL,
    Role                            NVARCHAR(30) NOT NULL,
    Notes                           NVARCHAR(1000) NULL,
    RowHash                         VARBINARY(32) NOT NULL,
    IsActive                        BIT NOT NULL CONSTRAINT DF_BridgeContinuityIssueClaim_IsActive DEFAULT (1),
    IsLatest                        BIT NOT NULL CONSTRAINT DF_BridgeContinuityIssueClaim_IsLatest DEFAULT (1),
    VersionNum                      INT NOT NULL CONSTRAINT DF_BridgeContinuityIssueClaim_VersionNum DEFAULT (1),
    ValidFromUtc                    DATETIME2(3) NOT NULL CONSTRAINT DF_BridgeContinuityIssueClaim_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc                      DATETIME2(3) NULL,
    CreatedUtc                      DATETIME2(3) NOT NULL CONSTRAINT DF_BridgeContinuityIssueClaim_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc                      DATETIME2(3) NULL,
    SourceSystem                    NVARCHAR(100) NULL,
    SourceRef                       NVARCHAR(400) NULL,
    IngestBatchKey                  NVARCHAR(100) NULL,
    EvidenceBundleGuid              UNIQUEIDENTIFIER NULL,
    AttributesJson                  NVARCHAR(MAX) NULL,
    CONSTRAINT PK_BridgeContinuityIssueClaim PRIMARY KEY CLUSTERED (BridgeContinuityIssueClaimKey),
    CONSTRAINT UQ_BridgeContinuityIssueClaim_BridgeContinuityIssueClaimGuid UNIQUE (BridgeContinuityIssueClaimGuid),
    CONSTRAINT FK_BridgeContinuityIssueClaim_ContinuityIssue FOREIGN KEY (ContinuityIssueKey) REFERENCES dbo.ContinuityIssue (ContinuityIssueKey),
    CONSTRAINT FK_BridgeContinuityIssueClaim_FactClaim FOREIGN KEY (ClaimKey) REFERENCES dbo.FactClaim (ClaimKey)
);
GO

CREATE UNIQUE INDEX UX_BridgeContinuityIssueClaim_ContinuityIssueKey_ClaimKey_IsLatest
    ON dbo.BridgeContinuityIssueClaim (ContinuityIssueKey, ClaimKey)
    WHERE IsLatest = 1;
GO
