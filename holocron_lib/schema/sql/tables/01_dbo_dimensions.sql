-- dbo dimensions: the identity hub (DimEntity), its specialisations and the reference dimensions.
-- Every table ends with governance block G (RowHash ... AttributesJson); DimFranchise orders
-- the first four G columns IsActive, IsLatest, VersionNum, RowHash. DimEntity's promotion
-- columns (migration 0018) follow block G. Business uniqueness is a filtered unique index
-- WHERE IsLatest = 1.
--
-- T-SQL that runs unchanged on SQL Server; on DuckDB holocron_lib.ddl reads it and writes
-- the DuckDB DDL. Newest state of the Holocron database (DDL files + migrations 0001-0036).

CREATE TABLE dbo.DimFranchise (
    FranchiseKey            INT IDENTITY(1,1) NOT NULL,
    FranchiseGuid           UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimFranchise_FranchiseGuid DEFAULT (NEWID()),
    Name                    NVARCHAR(200) NOT NULL,
    UniverseCode            NVARCHAR(50) NOT NULL,
    FranchiseGroup          NVARCHAR(200) NULL,
    OwnerOrRightsHolder     NVARCHAR(200) NULL,
    DefaultContinuityFrame  NVARCHAR(100) NULL,
    Notes                   NVARCHAR(1000) NULL,
    IsActive                BIT NOT NULL CONSTRAINT DF_DimFranchise_IsActive DEFAULT (1),
    IsLatest                BIT NOT NULL CONSTRAINT DF_DimFranchise_IsLatest DEFAULT (1),
    VersionNum              INT NOT NULL CONSTRAINT DF_DimFranchise_VersionNum DEFAULT (1),
    RowHash                 VARBINARY(32) NOT NULL,
    ValidFromUtc            DATETIME2(3) NOT NULL CONSTRAINT DF_DimFranchise_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc              DATETIME2(3) NULL,
    CreatedUtc              DATETIME2(3) NOT NULL CONSTRAINT DF_DimFranchise_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc              DATETIME2(3) NULL,
    SourceSystem            NVARCHAR(100) NULL,
    SourceRef               NVARCHAR(400) NULL,
    IngestBatchKey          NVARCHAR(100) NULL,
    AttributesJson          NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimFranchise PRIMARY KEY CLUSTERED (FranchiseKey),
    CONSTRAINT UQ_DimFranchise_FranchiseGuid UNIQUE (FranchiseGuid)
);
GO

CREATE UNIQUE INDEX UX_DimFranchise_UniverseCode_IsLatest
    ON dbo.DimFranchise (UniverseCode)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimWork (
    WorkKey               INT IDENTITY(1,1) NOT NULL,
    WorkGuid              UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimWork_WorkGuid DEFAULT (NEWID()),
    FranchiseKey          INT NOT NULL,
    WorkType              NVARCHAR(50) NOT NULL,
    Title                 NVARCHAR(300) NOT NULL,
    TitleSort             NVARCHAR(300) NULL,
    EditionOrCut          NVARCHAR(200) NULL,
    SeasonEpisode         NVARCHAR(20) NULL,
    SeasonNumber          INT NULL,
    EpisodeNumber         INT NULL,
    VolumeOrIssue         NVARCHAR(50) NULL,
    WorkCode              NVARCHAR(50) NULL,
    ReleaseDate           DATE NULL,
    ReleaseDatePrecision  NVARCHAR(20) NOT NULL,
    ReleaseDateEnd        DATE NULL,
    ReleaseRegion         NVARCHAR(100) NULL,
    RuntimeRef            NVARCHAR(50) NULL,
    SynopsisShort         NVARCHAR(1000) NULL,
    Notes                 NVARCHAR(1000) NULL,
    RowHash               VARBINARY(32) NOT NULL,
    IsActive              BIT NOT NULL CONSTRAINT DF_DimWork_IsActive DEFAULT (1),
    IsLatest              BIT NOT NULL CONSTRAINT DF_DimWork_IsLatest DEFAULT (1),
    VersionNum            INT NOT NULL CONSTRAINT DF_DimWork_VersionNum DEFAULT (1),
    ValidFromUtc          DATETIME2(3) NOT NULL CONSTRAINT DF_DimWork_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc            DATETIME2(3) NULL,
    CreatedUtc            DATETIME2(3) NOT NULL CONSTRAINT DF_DimWork_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc            DATETIME2(3) NULL,
    SourceSystem          NVARCHAR(100) NULL,
    SourceRef             NVARCHAR(400) NULL,
    IngestBatchKey        NVARCHAR(100) NULL,
    AttributesJson        NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimWork PRIMARY KEY CLUSTERED (WorkKey),
    CONSTRAINT UQ_DimWork_WorkGuid UNIQUE (WorkGuid),
    CONSTRAINT FK_DimWork_DimFranchise FOREIGN KEY (FranchiseKey) REFERENCES dbo.DimFranchise (FranchiseKey)
);
GO

CREATE UNIQUE INDEX UX_DimWork_WorkCode_IsLatest
    ON dbo.DimWork (WorkCode)
    WHERE IsLatest = 1 AND WorkCode IS NOT NULL;
GO

CREATE TABLE dbo.DimScene (
    SceneKey        INT IDENTITY(1,1) NOT NULL,
    SceneGuid       UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimScene_SceneGuid DEFAULT (NEWID()),
    WorkKey         INT NOT NULL,
    SceneOrdinal    INT NOT NULL,
    SceneName       NVARCHAR(200) NULL,
    SceneType       NVARCHAR(50) NOT NULL,
    StartSec        INT NULL,
    EndSec          INT NULL,
    DurationSec     INT NULL,
    LocationHint    NVARCHAR(200) NULL,
    Notes           NVARCHAR(1000) NULL,
    RowHash         VARBINARY(32) NOT NULL,
    IsActive        BIT NOT NULL CONSTRAINT DF_DimScene_IsActive DEFAULT (1),
    IsLatest        BIT NOT NULL CONSTRAINT DF_DimScene_IsLatest DEFAULT (1),
    VersionNum      INT NOT NULL CONSTRAINT DF_DimScene_VersionNum DEFAULT (1),
    ValidFromUtc    DATETIME2(3) NOT NULL CONSTRAINT DF_DimScene_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc      DATETIME2(3) NULL,
    CreatedUtc      DATETIME2(3) NOT NULL CONSTRAINT DF_DimScene_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc      DATETIME2(3) NULL,
    SourceSystem    NVARCHAR(100) NULL,
    SourceRef       NVARCHAR(400) NULL,
    IngestBatchKey  NVARCHAR(100) NULL,
    AttributesJson  NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimScene PRIMARY KEY CLUSTERED (SceneKey),
    CONSTRAINT UQ_DimScene_SceneGuid UNIQUE (SceneGuid),
    CONSTRAINT FK_DimScene_DimWork FOREIGN KEY (WorkKey) REFERENCES dbo.DimWork (WorkKey)
);
GO

CREATE UNIQUE INDEX UX_DimScene_WorkKey_SceneOrdinal_IsLatest
    ON dbo.DimScene (WorkKey, SceneOrdinal)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimContinuityFrame (
    ContinuityFrameKey   INT IDENTITY(1,1) NOT NULL,
    ContinuityFrameGuid  UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimContinuityFrame_ContinuityFrameGuid DEFAULT (NEWID()),
    FranchiseKey         INT NOT NULL,
    FrameName            NVARCHAR(100) NOT NULL,
    FrameCode            NVARCHAR(50) NOT NULL,
    AuthorityType        NVARCHAR(50) NOT NULL,
    AuthorityRef         NVARCHAR(200) NULL,
    PolicySummary        NVARCHAR(1000) NULL,
    EffectiveStartDate   DATE NULL,
    EffectiveEndDate     DATE NULL,
    Notes                NVARCHAR(1000) NULL,
    RowHash              VARBINARY(32) NOT NULL,
    IsActive             BIT NOT NULL CONSTRAINT DF_DimContinuityFrame_IsActive DEFAULT (1),
    IsLatest             BIT NOT NULL CONSTRAINT DF_DimContinuityFrame_IsLatest DEFAULT (1),
    VersionNum           INT NOT NULL CONSTRAINT DF_DimContinuityFrame_VersionNum DEFAULT (1),
    ValidFromUtc         DATETIME2(3) NOT NULL CONSTRAINT DF_DimContinuityFrame_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc           DATETIME2(3) NULL,
    CreatedUtc           DATETIME2(3) NOT NULL CONSTRAINT DF_DimContinuityFrame_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc           DATETIME2(3) NULL,
    SourceSystem         NVARCHAR(100) NULL,
    SourceRef            NVARCHAR(400) NULL,
    IngestBatchKey       NVARCHAR(100) NULL,
    AttributesJson       NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimContinuityFrame PRIMARY KEY CLUSTERED (ContinuityFrameKey),
    CONSTRAINT UQ_DimContinuityFrame_ContinuityFrameGuid UNIQUE (ContinuityFrameGuid),
    CONSTRAINT FK_DimContinuityFrame_DimFranchise FOREIGN KEY (FranchiseKey) REFERENCES dbo.DimFranchise (FranchiseKey)
);
GO

CREATE UNIQUE INDEX UX_DimContinuityFrame_FranchiseKey_FrameCode_IsLatest
    ON dbo.DimContinuityFrame (FranchiseKey, FrameCode)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimEra (
    EraKey            INT IDENTITY(1,1) NOT NULL,
    EraGuid           UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimEra_EraGuid DEFAULT (NEWID()),
    FranchiseKey      INT NOT NULL,
    EraName           NVARCHAR(200) NOT NULL,
    EraCode           NVARCHAR(50) NOT NULL,
    AnchorYear        INT NOT NULL,
    CalendarModel     NVARCHAR(50) NOT NULL,
    AnchorEventLabel  NVARCHAR(200) NULL,
    Notes             NVARCHAR(1000) NULL,
    RowHash           VARBINARY(32) NOT NULL,
    IsActive          BIT NOT NULL CONSTRAINT DF_DimEra_IsActive DEFAULT (1),
    IsLatest          BIT NOT NULL CONSTRAINT DF_DimEra_IsLatest DEFAULT (1),
    VersionNum        INT NOT NULL CONSTRAINT DF_DimEra_VersionNum DEFAULT (1),
    ValidFromUtc      DATETIME2(3) NOT NULL CONSTRAINT DF_DimEra_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc        DATETIME2(3) NULL,
    CreatedUtc        DATETIME2(3) NOT NULL CONSTRAINT DF_DimEra_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc        DATETIME2(3) NULL,
    SourceSystem      NVARCHAR(100) NULL,
    SourceRef         NVARCHAR(400) NULL,
    IngestBatchKey    NVARCHAR(100) NULL,
    AttributesJson    NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimEra PRIMARY KEY CLUSTERED (EraKey),
    CONSTRAINT UQ_DimEra_EraGuid UNIQUE (EraGuid),
    CONSTRAINT FK_DimEra_DimFranchise FOREIGN KEY (FranchiseKey) REFERENCES dbo.DimFranchise (FranchiseKey)
);
GO

CREATE UNIQUE INDEX UX_DimEra_FranchiseKey_EraCode_IsLatest
    ON dbo.DimEra (FranchiseKey, EraCode)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimDate (
    DateKey         INT NOT NULL,
    DateGuid        UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimDate_DateGuid DEFAULT (NEWID()),
    CalendarDate    DATE NOT NULL,
    [Year]          INT NOT NULL,
    [Quarter]       INT NOT NULL,
    [Month]         INT NOT NULL,
    DayOfMonth      INT NOT NULL,
    DayOfYear       INT NOT NULL,
    DayOfWeek       INT NOT NULL,
    DayName         NVARCHAR(20) NOT NULL,
    MonthName       NVARCHAR(20) NOT NULL,
    ISOWeek         INT NOT NULL,
    IsWeekend       BIT NOT NULL,
    IsHoliday       BIT NOT NULL,
    HolidayName     NVARCHAR(100) NULL,
    Notes           NVARCHAR(1000) NULL,
    RowHash         VARBINARY(32) NOT NULL,
    IsActive        BIT NOT NULL CONSTRAINT DF_DimDate_IsActive DEFAULT (1),
    IsLatest        BIT NOT NULL CONSTRAINT DF_DimDate_IsLatest DEFAULT (1),
    VersionNum      INT NOT NULL CONSTRAINT DF_DimDate_VersionNum DEFAULT (1),
    ValidFromUtc    DATETIME2(3) NOT NULL CONSTRAINT DF_DimDate_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc      DATETIME2(3) NULL,
    CreatedUtc      DATETIME2(3) NOT NULL CONSTRAINT DF_DimDate_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc      DATETIME2(3) NULL,
    SourceSystem    NVARCHAR(100) NULL,
    SourceRef       NVARCHAR(400) NULL,
    IngestBatchKey  NVARCHAR(100) NULL,
    AttributesJson  NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimDate PRIMARY KEY CLUSTERED (DateKey),
    CONSTRAINT UQ_DimDate_DateGuid UNIQUE (DateGuid)
);
GO

CREATE UNIQUE INDEX UX_DimDate_CalendarDate_IsLatest
    ON dbo.DimDate (CalendarDate)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimTime (
    TimeKey         INT NOT NULL,
    TimeGuid        UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimTime_TimeGuid DEFAULT (NEWID()),
    ClockTime       TIME NOT NULL,
    [Hour]          INT NOT NULL,
    [Minute]        INT NOT NULL,
    [Second]        INT NOT NULL,
    TimeBucket      NVARCHAR(20) NOT NULL,
    Notes           NVARCHAR(1000) NULL,
    RowHash         VARBINARY(32) NOT NULL,
    IsActive        BIT NOT NULL CONSTRAINT DF_DimTime_IsActive DEFAULT (1),
    IsLatest        BIT NOT NULL CONSTRAINT DF_DimTime_IsLatest DEFAULT (1),
    VersionNum      INT NOT NULL CONSTRAINT DF_DimTime_VersionNum DEFAULT (1),
    ValidFromUtc    DATETIME2(3) NOT NULL CONSTRAINT DF_DimTime_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc      DATETIME2(3) NULL,
    CreatedUtc      DATETIME2(3) NOT NULL CONSTRAINT DF_DimTime_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc      DATETIME2(3) NULL,
    SourceSystem    NVARCHAR(100) NULL,
    SourceRef       NVARCHAR(400) NULL,
    IngestBatchKey  NVARCHAR(100) NULL,
    AttributesJson  NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimTime PRIMARY KEY CLUSTERED (TimeKey),
    CONSTRAINT UQ_DimTime_TimeGuid UNIQUE (TimeGuid)
);
GO

CREATE UNIQUE INDEX UX_DimTime_ClockTime_IsLatest
    ON dbo.DimTime (ClockTime)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimEraAnchor (
    EraAnchorKey             INT IDENTITY(1,1) NOT NULL,
    EraAnchorGuid            UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimEraAnchor_EraAnchorGuid DEFAULT (NEWID()),
    FranchiseKey             INT NOT NULL,
    EraKey                   INT NOT NULL,
    AnchorDateKey            INT NOT NULL,
    AnchorTimeKey            INT NULL,
    AnchorRule               NVARCHAR(50) NOT NULL,
    AnchorTimezoneOffsetMin  INT NULL,
    Notes                    NVARCHAR(1000) NULL,
    RowHash                  VARBINARY(32) NOT NULL,
    IsActive                 BIT NOT NULL CONSTRAINT DF_DimEraAnchor_IsActive DEFAULT (1),
    IsLatest                 BIT NOT NULL CONSTRAINT DF_DimEraAnchor_IsLatest DEFAULT (1),
    VersionNum               INT NOT NULL CONSTRAINT DF_DimEraAnchor_VersionNum DEFAULT (1),
    ValidFromUtc             DATETIME2(3) NOT NULL CONSTRAINT DF_DimEraAnchor_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc               DATETIME2(3) NULL,
    CreatedUtc               DATETIME2(3) NOT NULL CONSTRAINT DF_DimEraAnchor_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc               DATETIME2(3) NULL,
    SourceSystem             NVARCHAR(100) NULL,
    SourceRef                NVARCHAR(400) NULL,
    IngestBatchKey           NVARCHAR(100) NULL,
    AttributesJson           NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimEraAnchor PRIMARY KEY CLUSTERED (EraAnchorKey),
    CONSTRAINT UQ_DimEraAnchor_EraAnchorGuid UNIQUE (EraAnchorGuid),
    CONSTRAINT FK_DimEraAnchor_DimFranchise FOREIGN KEY (FranchiseKey) REFERENCES dbo.DimFranchise (FranchiseKey),
    CONSTRAINT FK_DimEraAnchor_DimEra FOREIGN KEY (EraKey) REFERENCES dbo.DimEra (EraKey),
    CONSTRAINT FK_DimEraAnchor_DimDate FOREIGN KEY (AnchorDateKey) REFERENCES dbo.DimDate (DateKey),
    CONSTRAINT FK_DimEraAnchor_DimTime FOREIGN KEY (AnchorTimeKey) REFERENCES dbo.DimTime (TimeKey)
);
GO

CREATE UNIQUE INDEX UX_DimEraAnchor_EraKey_AnchorDateKey_AnchorTimeKey_IsLatest
    ON dbo.DimEraAnchor (EraKey, AnchorDateKey, AnchorTimeKey)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimEntity (
    EntityKey              INT IDENTITY(1,1) NOT NULL,
    EntityGuid             UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimEntity_EntityGuid DEFAULT (NEWID()),
    FranchiseKey           INT NOT NULL,
    EntityType             NVARCHAR(50) NOT NULL,
    DisplayName            NVARCHAR(200) NOT NULL,
    DisplayNameNormalized  NVARCHAR(200) NULL,
    SortName               NVARCHAR(200) NULL,
    AliasCsv               NVARCHAR(1000) NULL,
    ExternalKey            NVARCHAR(200) NULL,
    ExternalKeyType        NVARCHAR(50) NULL,
    ExternalUrl            NVARCHAR(400) NULL,
    SummaryShort           NVARCHAR(1000) NULL,
    SummaryLong            NVARCHAR(2000) NULL,
    DescriptionSource      NVARCHAR(200) NULL,
    ConfidenceScore        DECIMAL(5,4) NULL,
    IsCanonical            BIT NULL,
    Notes                  NVARCHAR(1000) NULL,
    RowHash                VARBINARY(32) NOT NULL,
    IsActive               BIT NOT NULL CONSTRAINT DF_DimEntity_IsActive DEFAULT (1),
    IsLatest               BIT NOT NULL CONSTRAINT DF_DimEntity_IsLatest DEFAULT (1),
    VersionNum             INT NOT NULL CONSTRAINT DF_DimEntity_VersionNum DEFAULT (1),
    ValidFromUtc           DATETIME2(3) NOT NULL CONSTRAINT DF_DimEntity_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc             DATETIME2(3) NULL,
    CreatedUtc             DATETIME2(3) NOT NULL CONSTRAINT DF_DimEntity_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc             DATETIME2(3) NULL,
    SourceSystem           NVARCHAR(100) NULL,
    SourceRef              NVARCHAR(400) NULL,
    IngestBatchKey         NVARCHAR(100) NULL,
    AttributesJson         NVARCHAR(MAX) NULL,
    PromotionState         NVARCHAR(30) NOT NULL CONSTRAINT DF_DimEntity_PromotionState DEFAULT ('staged'),
    PromotionDecisionUtc   DATETIME2 NULL,
    PromotionDecidedBy     NVARCHAR(100) NULL,
    PromotionReason        NVARCHAR(500) NULL,
    SourcePageId           UNIQUEIDENTIFIER NULL,
    PrimaryTypeInferred    NVARCHAR(100) NULL,
    TypeSetJsonInferred    NVARCHAR(MAX) NULL,
    AdjudicationRunId      UNIQUEIDENTIFIER NULL,
    CONSTRAINT PK_DimEntity PRIMARY KEY CLUSTERED (EntityKey),
    CONSTRAINT UQ_DimEntity_EntityGuid UNIQUE (EntityGuid),
    CONSTRAINT CK_DimEntity_PromotionState CHECK (PromotionState IN (
        'staged', 'candidate', 'adjudicated', 'promoted', 'suppressed', 'merged')),
    CONSTRAINT FK_DimEntity_DimFranchise FOREIGN KEY (FranchiseKey) REFERENCES dbo.DimFranchise (FranchiseKey)
);
GO

CREATE UNIQUE INDEX UX_DimEntity_ExternalKey_IsLatest
    ON dbo.DimEntity (ExternalKey)
    WHERE IsLatest = 1 AND ExternalKey IS NOT NULL;
GO

CREATE UNIQUE INDEX UX_DimEntity_FranchiseKey_DisplayName_EntityType_IsLatest
    ON dbo.DimEntity (FranchiseKey, DisplayName, EntityType)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimSpecies (
    SpeciesKey          INT IDENTITY(1,1) NOT NULL,
    SpeciesGuid         UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimSpecies_SpeciesGuid DEFAULT (NEWID()),
    EntityKey           INT NOT NULL,
    Category            NVARCHAR(50) NOT NULL,
    HomeworldRef        NVARCHAR(200) NULL,
    TypicalLifespanRef  NVARCHAR(100) NULL,
    AverageHeightRef    NVARCHAR(100) NULL,
    SkinTypesRef        NVARCHAR(200) NULL,
    LanguageRef         NVARCHAR(200) NULL,
    DietRef             NVARCHAR(200) NULL,
    TraitsJson          NVARCHAR(MAX) NULL,
    Notes               NVARCHAR(1000) NULL,
    RowHash             VARBINARY(32) NOT NULL,
    IsActive            BIT NOT NULL CONSTRAINT DF_DimSpecies_IsActive DEFAULT (1),
    IsLatest            BIT NOT NULL CONSTRAINT DF_DimSpecies_IsLatest DEFAULT (1),
    VersionNum          INT NOT NULL CONSTRAINT DF_DimSpecies_VersionNum DEFAULT (1),
    ValidFromUtc        DATETIME2(3) NOT NULL CONSTRAINT DF_DimSpecies_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc          DATETIME2(3) NULL,
    CreatedUtc          DATETIME2(3) NOT NULL CONSTRAINT DF_DimSpecies_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc          DATETIME2(3) NULL,
    SourceSystem        NVARCHAR(100) NULL,
    SourceRef           NVARCHAR(400) NULL,
    IngestBatchKey      NVARCHAR(100) NULL,
    AttributesJson      NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimSpecies PRIMARY KEY CLUSTERED (SpeciesKey),
    CONSTRAINT UQ_DimSpecies_SpeciesGuid UNIQUE (SpeciesGuid),
    CONSTRAINT FK_DimSpecies_DimEntity FOREIGN KEY (EntityKey) REFERENCES dbo.DimEntity (EntityKey)
);
GO

CREATE UNIQUE INDEX UX_DimSpecies_EntityKey_IsLatest
    ON dbo.DimSpecies (EntityKey)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimCharacter (
    CharacterKey         INT IDENTITY(1,1) NOT NULL,
    CharacterGuid        UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimCharacter_CharacterGuid DEFAULT (NEWID()),
    EntityKey            INT NOT NULL,
    SpeciesKey           INT NULL,
    Gender               NVARCHAR(50) NULL,
    Pronouns             NVARCHAR(50) NULL,
    BirthRef             NVARCHAR(200) NULL,
    DeathRef             NVARCHAR(200) NULL,
    BirthPlaceRef        NVARCHAR(200) NULL,
    HomeworldRef         NVARCHAR(200) NULL,
    SpeciesNameRef       NVARCHAR(200) NULL,
    HeightRef            NVARCHAR(50) NULL,
    MassRef              NVARCHAR(50) NULL,
    EyeColor             NVARCHAR(50) NULL,
    HairColor            NVARCHAR(50) NULL,
    SkinColor            NVARCHAR(50) NULL,
    DistinguishingMarks  NVARCHAR(200) NULL,
    RoleArchetype        NVARCHAR(50) NULL,
    Notes                NVARCHAR(1000) NULL,
    RowHash              VARBINARY(32) NOT NULL,
    IsActive             BIT NOT NULL CONSTRAINT DF_DimCharacter_IsActive DEFAULT (1),
    IsLatest             BIT NOT NULL CONSTRAINT DF_DimCharacter_IsLatest DEFAULT (1),
    VersionNum           INT NOT NULL CONSTRAINT DF_DimCharacter_VersionNum DEFAULT (1),
    ValidFromUtc         DATETIME2(3) NOT NULL CONSTRAINT DF_DimCharacter_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc           DATETIME2(3) NULL,
    CreatedUtc           DATETIME2(3) NOT NULL CONSTRAINT DF_DimCharacter_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc           DATETIME2(3) NULL,
    SourceSystem         NVARCHAR(100) NULL,
    SourceRef            NVARCHAR(400) NULL,
    IngestBatchKey       NVARCHAR(100) NULL,
    AttributesJson       NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimCharacter PRIMARY KEY CLUSTERED (CharacterKey),
    CONSTRAINT UQ_DimCharacter_CharacterGuid UNIQUE (CharacterGuid),
    CONSTRAINT FK_DimCharacter_DimEntity FOREIGN KEY (EntityKey) REFERENCES dbo.DimEntity (EntityKey),
    CONSTRAINT FK_DimCharacter_DimSpecies FOREIGN KEY (SpeciesKey) REFERENCES dbo.DimSpecies (SpeciesKey)
);
GO

CREATE UNIQUE INDEX UX_DimCharacter_EntityKey_IsLatest
    ON dbo.DimCharacter (EntityKey)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimOrganization (
    OrganizationKey   INT IDENTITY(1,1) NOT NULL,
    OrganizationGuid  UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimOrganization_OrganizationGuid DEFAULT (NEWID()),
    EntityKey         INT NOT NULL,
    OrgType           NVARCHAR(50) NOT NULL,
    Scope             NVARCHAR(50) NOT NULL,
    AlignmentRef      NVARCHAR(200) NULL,
    FoundedRef        NVARCHAR(200) NULL,
    DissolvedRef      NVARCHAR(200) NULL,
    HeadquartersRef   NVARCHAR(200) NULL,
    Notes             NVARCHAR(1000) NULL,
    RowHash           VARBINARY(32) NOT NULL,
    IsActive          BIT NOT NULL CONSTRAINT DF_DimOrganization_IsActive DEFAULT (1),
    IsLatest          BIT NOT NULL CONSTRAINT DF_DimOrganization_IsLatest DEFAULT (1),
    VersionNum        INT NOT NULL CONSTRAINT DF_DimOrganization_VersionNum DEFAULT (1),
    ValidFromUtc      DATETIME2(3) NOT NULL CONSTRAINT DF_DimOrganization_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc        DATETIME2(3) NULL,
    CreatedUtc        DATETIME2(3) NOT NULL CONSTRAINT DF_DimOrganization_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc        DATETIME2(3) NULL,
    SourceSystem      NVARCHAR(100) NULL,
    SourceRef         NVARCHAR(400) NULL,
    IngestBatchKey    NVARCHAR(100) NULL,
    AttributesJson    NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimOrganization PRIMARY KEY CLUSTERED (OrganizationKey),
    CONSTRAINT UQ_DimOrganization_OrganizationGuid UNIQUE (OrganizationGuid),
    CONSTRAINT FK_DimOrganization_DimEntity FOREIGN KEY (EntityKey) REFERENCES dbo.DimEntity (EntityKey)
);
GO

CREATE UNIQUE INDEX UX_DimOrganization_EntityKey_IsLatest
    ON dbo.DimOrganization (EntityKey)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimLocation (
    LocationKey        INT IDENTITY(1,1) NOT NULL,
    LocationGuid       UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimLocation_LocationGuid DEFAULT (NEWID()),
    EntityKey          INT NOT NULL,
    ParentLocationKey  INT NULL,
    LocationType       NVARCHAR(50) NOT NULL,
    RegionCode         NVARCHAR(100) NULL,
    LatitudeRef        DECIMAL(9,6) NULL,
    LongitudeRef       DECIMAL(9,6) NULL,
    ClimateRef         NVARCHAR(200) NULL,
    TerrainRef         NVARCHAR(200) NULL,
    PopulationRef      NVARCHAR(200) NULL,
    GovernmentRef      NVARCHAR(200) NULL,
    Notes              NVARCHAR(1000) NULL,
    RowHash            VARBINARY(32) NOT NULL,
    IsActive           BIT NOT NULL CONSTRAINT DF_DimLocation_IsActive DEFAULT (1),
    IsLatest           BIT NOT NULL CONSTRAINT DF_DimLocation_IsLatest DEFAULT (1),
    VersionNum         INT NOT NULL CONSTRAINT DF_DimLocation_VersionNum DEFAULT (1),
    ValidFromUtc       DATETIME2(3) NOT NULL CONSTRAINT DF_DimLocation_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc         DATETIME2(3) NULL,
    CreatedUtc         DATETIME2(3) NOT NULL CONSTRAINT DF_DimLocation_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc         DATETIME2(3) NULL,
    SourceSystem       NVARCHAR(100) NULL,
    SourceRef          NVARCHAR(400) NULL,
    IngestBatchKey     NVARCHAR(100) NULL,
    AttributesJson     NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimLocation PRIMARY KEY CLUSTERED (LocationKey),
    CONSTRAINT UQ_DimLocation_LocationGuid UNIQUE (LocationGuid),
    CONSTRAINT FK_DimLocation_DimEntity FOREIGN KEY (EntityKey) REFERENCES dbo.DimEntity (EntityKey),
    CONSTRAINT FK_DimLocation_ParentLocation FOREIGN KEY (ParentLocationKey) REFERENCES dbo.DimLocation (LocationKey)
);
GO

CREATE UNIQUE INDEX UX_DimLocation_EntityKey_IsLatest
    ON dbo.DimLocation (EntityKey)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimTechAsset (
    TechAssetKey         INT IDENTITY(1,1) NOT NULL,
    TechAssetGuid        UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimTechAsset_TechAssetGuid DEFAULT (NEWID()),
    FranchiseKey         INT NOT NULL,
    AssetType            NVARCHAR(50) NOT NULL,
    ModelName            NVARCHAR(200) NOT NULL,
    ModelNameNormalized  NVARCHAR(200) NULL,
    ManufacturerRef      NVARCHAR(200) NULL,
    ManufacturerCode     NVARCHAR(50) NULL,
    EraRef               NVARCHAR(100) NULL,
    FirstAppearanceRef   NVARCHAR(200) NULL,
    TechLevelRef         NVARCHAR(100) NULL,
    PowerSourceRef       NVARCHAR(100) NULL,
    MaterialRef          NVARCHAR(200) NULL,
    SafetyNotes          NVARCHAR(500) NULL,
    Notes                NVARCHAR(1000) NULL,
    RowHash              VARBINARY(32) NOT NULL,
    IsActive             BIT NOT NULL CONSTRAINT DF_DimTechAsset_IsActive DEFAULT (1),
    IsLatest             BIT NOT NULL CONSTRAINT DF_DimTechAsset_IsLatest DEFAULT (1),
    VersionNum           INT NOT NULL CONSTRAINT DF_DimTechAsset_VersionNum DEFAULT (1),
    ValidFromUtc         DATETIME2(3) NOT NULL CONSTRAINT DF_DimTechAsset_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc           DATETIME2(3) NULL,
    CreatedUtc           DATETIME2(3) NOT NULL CONSTRAINT DF_DimTechAsset_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc           DATETIME2(3) NULL,
    SourceSystem         NVARCHAR(100) NULL,
    SourceRef            NVARCHAR(400) NULL,
    IngestBatchKey       NVARCHAR(100) NULL,
    AttributesJson       NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimTechAsset PRIMARY KEY CLUSTERED (TechAssetKey),
    CONSTRAINT UQ_DimTechAsset_TechAssetGuid UNIQUE (TechAssetGuid),
    CONSTRAINT FK_DimTechAsset_DimFranchise FOREIGN KEY (FranchiseKey) REFERENCES dbo.DimFranchise (FranchiseKey)
);
GO

CREATE UNIQUE INDEX UX_DimTechAsset_FranchiseKey_ModelName_IsLatest
    ON dbo.DimTechAsset (FranchiseKey, ModelName)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimTechInstance (
    TechInstanceKey       INT IDENTITY(1,1) NOT NULL,
    TechInstanceGuid      UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimTechInstance_TechInstanceGuid DEFAULT (NEWID()),
    EntityKey             INT NOT NULL,
    TechAssetKey          INT NOT NULL,
    InstanceName          NVARCHAR(200) NOT NULL,
    SerialRef             NVARCHAR(100) NULL,
    BuildRef              NVARCHAR(200) NULL,
    CurrentStatus         NVARCHAR(50) NULL,
    LastKnownLocationRef  NVARCHAR(200) NULL,
    Notes                 NVARCHAR(1000) NULL,
    RowHash               VARBINARY(32) NOT NULL,
    IsActive              BIT NOT NULL CONSTRAINT DF_DimTechInstance_IsActive DEFAULT (1),
    IsLatest              BIT NOT NULL CONSTRAINT DF_DimTechInstance_IsLatest DEFAULT (1),
    VersionNum            INT NOT NULL CONSTRAINT DF_DimTechInstance_VersionNum DEFAULT (1),
    ValidFromUtc          DATETIME2(3) NOT NULL CONSTRAINT DF_DimTechInstance_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc            DATETIME2(3) NULL,
    CreatedUtc            DATETIME2(3) NOT NULL CONSTRAINT DF_DimTechInstance_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc            DATETIME2(3) NULL,
    SourceSystem          NVARCHAR(100) NULL,
    SourceRef             NVARCHAR(400) NULL,
    IngestBatchKey        NVARCHAR(100) NULL,
    AttributesJson        NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimTechInstance PRIMARY KEY CLUSTERED (TechInstanceKey),
    CONSTRAINT UQ_DimTechInstance_TechInstanceGuid UNIQUE (TechInstanceGuid),
    CONSTRAINT FK_DimTechInstance_DimEntity FOREIGN KEY (EntityKey) REFERENCES dbo.DimEntity (EntityKey),
    CONSTRAINT FK_DimTechInstance_DimTechAsset FOREIGN KEY (TechAssetKey) REFERENCES dbo.DimTechAsset (TechAssetKey)
);
GO

CREATE UNIQUE INDEX UX_DimTechInstance_EntityKey_IsLatest
    ON dbo.DimTechInstance (EntityKey)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimDroidModel (
    DroidModelKey            INT IDENTITY(1,1) NOT NULL,
    DroidModelGuid           UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimDroidModel_DroidModelGuid DEFAULT (NEWID()),
    TechAssetKey             INT NOT NULL,
    DroidClass               NVARCHAR(50) NOT NULL,
    PrimaryFunction          NVARCHAR(200) NULL,
    AutonomyLevel            NVARCHAR(20) NOT NULL,
    MobilityRef              NVARCHAR(200) NULL,
    ChassisRef               NVARCHAR(200) NULL,
    SensorSuiteRef           NVARCHAR(200) NULL,
    LanguageCapabilitiesRef  NVARCHAR(200) NULL,
    Notes                    NVARCHAR(1000) NULL,
    RowHash                  VARBINARY(32) NOT NULL,
    IsActive                 BIT NOT NULL CONSTRAINT DF_DimDroidModel_IsActive DEFAULT (1),
    IsLatest                 BIT NOT NULL CONSTRAINT DF_DimDroidModel_IsLatest DEFAULT (1),
    VersionNum               INT NOT NULL CONSTRAINT DF_DimDroidModel_VersionNum DEFAULT (1),
    ValidFromUtc             DATETIME2(3) NOT NULL CONSTRAINT DF_DimDroidModel_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc               DATETIME2(3) NULL,
    CreatedUtc               DATETIME2(3) NOT NULL CONSTRAINT DF_DimDroidModel_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc               DATETIME2(3) NULL,
    SourceSystem             NVARCHAR(100) NULL,
    SourceRef                NVARCHAR(400) NULL,
    IngestBatchKey           NVARCHAR(100) NULL,
    AttributesJson           NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimDroidModel PRIMARY KEY CLUSTERED (DroidModelKey),
    CONSTRAINT UQ_DimDroidModel_DroidModelGuid UNIQUE (DroidModelGuid),
    CONSTRAINT FK_DimDroidModel_DimTechAsset FOREIGN KEY (TechAssetKey) REFERENCES dbo.DimTechAsset (TechAssetKey)
);
GO

CREATE UNIQUE INDEX UX_DimDroidModel_TechAssetKey_IsLatest
    ON dbo.DimDroidModel (TechAssetKey)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimDroidInstance (
    DroidInstanceKey     INT IDENTITY(1,1) NOT NULL,
    DroidInstanceGuid    UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimDroidInstance_DroidInstanceGuid DEFAULT (NEWID()),
    TechInstanceKey      INT NOT NULL,
    PersonalityName      NVARCHAR(200) NULL,
    MemoryWipeRef        NVARCHAR(200) NULL,
    RestrainingBoltFlag  BIT NULL,
    PrimaryLanguageRef   NVARCHAR(200) NULL,
    Notes                NVARCHAR(1000) NULL,
    RowHash              VARBINARY(32) NOT NULL,
    IsActive             BIT NOT NULL CONSTRAINT DF_DimDroidInstance_IsActive DEFAULT (1),
    IsLatest             BIT NOT NULL CONSTRAINT DF_DimDroidInstance_IsLatest DEFAULT (1),
    VersionNum           INT NOT NULL CONSTRAINT DF_DimDroidInstance_VersionNum DEFAULT (1),
    ValidFromUtc         DATETIME2(3) NOT NULL CONSTRAINT DF_DimDroidInstance_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc           DATETIME2(3) NULL,
    CreatedUtc           DATETIME2(3) NOT NULL CONSTRAINT DF_DimDroidInstance_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc           DATETIME2(3) NULL,
    SourceSystem         NVARCHAR(100) NULL,
    SourceRef            NVARCHAR(400) NULL,
    IngestBatchKey       NVARCHAR(100) NULL,
    AttributesJson       NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimDroidInstance PRIMARY KEY CLUSTERED (DroidInstanceKey),
    CONSTRAINT UQ_DimDroidInstance_DroidInstanceGuid UNIQUE (DroidInstanceGuid),
    CONSTRAINT FK_DimDroidInstance_DimTechInstance FOREIGN KEY (TechInstanceKey) REFERENCES dbo.DimTechInstance (TechInstanceKey)
);
GO

CREATE UNIQUE INDEX UX_DimDroidInstance_TechInstanceKey_IsLatest
    ON dbo.DimDroidInstance (TechInstanceKey)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimShipModel (
    ShipModelKey          INT IDENTITY(1,1) NOT NULL,
    ShipModelGuid         UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimShipModel_ShipModelGuid DEFAULT (NEWID()),
    TechAssetKey          INT NOT NULL,
    ShipClass             NVARCHAR(50) NOT NULL,
    PropulsionType        NVARCHAR(20) NOT NULL,
    HyperdriveClassRef    NVARCHAR(100) NULL,
    CrewCapacityRef       NVARCHAR(100) NULL,
    PassengerCapacityRef  NVARCHAR(100) NULL,
    ArmamentRef           NVARCHAR(200) NULL,
    ShieldingRef          NVARCHAR(200) NULL,
    Notes                 NVARCHAR(1000) NULL,
    RowHash               VARBINARY(32) NOT NULL,
    IsActive              BIT NOT NULL CONSTRAINT DF_DimShipModel_IsActive DEFAULT (1),
    IsLatest              BIT NOT NULL CONSTRAINT DF_DimShipModel_IsLatest DEFAULT (1),
    VersionNum            INT NOT NULL CONSTRAINT DF_DimShipModel_VersionNum DEFAULT (1),
    ValidFromUtc          DATETIME2(3) NOT NULL CONSTRAINT DF_DimShipModel_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc            DATETIME2(3) NULL,
    CreatedUtc            DATETIME2(3) NOT NULL CONSTRAINT DF_DimShipModel_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc            DATETIME2(3) NULL,
    SourceSystem          NVARCHAR(100) NULL,
    SourceRef             NVARCHAR(400) NULL,
    IngestBatchKey        NVARCHAR(100) NULL,
    AttributesJson        NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimShipModel PRIMARY KEY CLUSTERED (ShipModelKey),
    CONSTRAINT UQ_DimShipModel_ShipModelGuid UNIQUE (ShipModelGuid),
    CONSTRAINT FK_DimShipModel_DimTechAsset FOREIGN KEY (TechAssetKey) REFERENCES dbo.DimTechAsset (TechAssetKey)
);
GO

CREATE UNIQUE INDEX UX_DimShipModel_TechAssetKey_IsLatest
    ON dbo.DimShipModel (TechAssetKey)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimWeaponModel (
    WeaponModelKey     INT IDENTITY(1,1) NOT NULL,
    WeaponModelGuid    UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimWeaponModel_WeaponModelGuid DEFAULT (NEWID()),
    TechAssetKey       INT NOT NULL,
    WeaponClass        NVARCHAR(50) NOT NULL,
    EnergyType         NVARCHAR(50) NOT NULL,
    EffectiveRangeRef  NVARCHAR(100) NULL,
    AmmunitionRef      NVARCHAR(100) NULL,
    RateOfFireRef      NVARCHAR(100) NULL,
    LethalityRef       NVARCHAR(100) NULL,
    Notes              NVARCHAR(1000) NULL,
    RowHash            VARBINARY(32) NOT NULL,
    IsActive           BIT NOT NULL CONSTRAINT DF_DimWeaponModel_IsActive DEFAULT (1),
    IsLatest           BIT NOT NULL CONSTRAINT DF_DimWeaponModel_IsLatest DEFAULT (1),
    VersionNum         INT NOT NULL CONSTRAINT DF_DimWeaponModel_VersionNum DEFAULT (1),
    ValidFromUtc       DATETIME2(3) NOT NULL CONSTRAINT DF_DimWeaponModel_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc         DATETIME2(3) NULL,
    CreatedUtc         DATETIME2(3) NOT NULL CONSTRAINT DF_DimWeaponModel_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc         DATETIME2(3) NULL,
    SourceSystem       NVARCHAR(100) NULL,
    SourceRef          NVARCHAR(400) NULL,
    IngestBatchKey     NVARCHAR(100) NULL,
    AttributesJson     NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimWeaponModel PRIMARY KEY CLUSTERED (WeaponModelKey),
    CONSTRAINT UQ_DimWeaponModel_WeaponModelGuid UNIQUE (WeaponModelGuid),
    CONSTRAINT FK_DimWeaponModel_DimTechAsset FOREIGN KEY (TechAssetKey) REFERENCES dbo.DimTechAsset (TechAssetKey)
);
GO

CREATE UNIQUE INDEX UX_DimWeaponModel_TechAssetKey_IsLatest
    ON dbo.DimWeaponModel (TechAssetKey)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimAppearanceLook (
    LookKey               INT IDENTITY(1,1) NOT NULL,
    LookGuid              UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimAppearanceLook_LookGuid DEFAULT (NEWID()),
    CharacterKey          INT NOT NULL,
    WorkKey               INT NOT NULL,
    SceneKey              INT NOT NULL,
    LookLabel             NVARCHAR(200) NOT NULL,
    LookType              NVARCHAR(50) NOT NULL,
    PrimaryColorRef       NVARCHAR(100) NULL,
    SecondaryColorRef     NVARCHAR(100) NULL,
    MaterialRef           NVARCHAR(200) NULL,
    InsigniaRef           NVARCHAR(200) NULL,
    HairStyle             NVARCHAR(100) NULL,
    HairColor             NVARCHAR(50) NULL,
    FacialHair            NVARCHAR(100) NULL,
    MakeupOrMarkingsRef   NVARCHAR(200) NULL,
    ConditionRef          NVARCHAR(50) NOT NULL,
    AccessoriesRef        NVARCHAR(200) NULL,
    Notes                 NVARCHAR(1000) NULL,
    ConfidenceScore       DECIMAL(5,4) NULL,
    IsPrimaryLookInScene  BIT NULL,
    EvidenceRef           NVARCHAR(200) NULL,
    RowHash               VARBINARY(32) NOT NULL,
    IsActive              BIT NOT NULL CONSTRAINT DF_DimAppearanceLook_IsActive DEFAULT (1),
    IsLatest              BIT NOT NULL CONSTRAINT DF_DimAppearanceLook_IsLatest DEFAULT (1),
    VersionNum            INT NOT NULL CONSTRAINT DF_DimAppearanceLook_VersionNum DEFAULT (1),
    ValidFromUtc          DATETIME2(3) NOT NULL CONSTRAINT DF_DimAppearanceLook_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc            DATETIME2(3) NULL,
    CreatedUtc            DATETIME2(3) NOT NULL CONSTRAINT DF_DimAppearanceLook_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc            DATETIME2(3) NULL,
    SourceSystem          NVARCHAR(100) NULL,
    SourceRef             NVARCHAR(400) NULL,
    IngestBatchKey        NVARCHAR(100) NULL,
    AttributesJson        NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimAppearanceLook PRIMARY KEY CLUSTERED (LookKey),
    CONSTRAINT UQ_DimAppearanceLook_LookGuid UNIQUE (LookGuid),
    CONSTRAINT FK_DimAppearanceLook_DimCharacter FOREIGN KEY (CharacterKey) REFERENCES dbo.DimCharacter (CharacterKey),
    CONSTRAINT FK_DimAppearanceLook_DimWork FOREIGN KEY (WorkKey) REFERENCES dbo.DimWork (WorkKey),
    CONSTRAINT FK_DimAppearanceLook_DimScene FOREIGN KEY (SceneKey) REFERENCES dbo.DimScene (SceneKey)
);
GO

CREATE TABLE dbo.DimEventType (
    EventTypeKey         INT IDENTITY(1,1) NOT NULL,
    EventTypeGuid        UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimEventType_EventTypeGuid DEFAULT (NEWID()),
    FranchiseKey         INT NOT NULL,
    ParentEventTypeKey   INT NULL,
    EventTypeName        NVARCHAR(200) NOT NULL,
    EventTypeCode        NVARCHAR(50) NOT NULL,
    VerbClass            NVARCHAR(50) NOT NULL,
    VerbLemma            NVARCHAR(100) NOT NULL,
    PolarityDefault      NVARCHAR(20) NOT NULL,
    GranularityGuidance  NVARCHAR(20) NOT NULL,
    IsLeafType           BIT NULL,
    Notes                NVARCHAR(1000) NULL,
    RowHash              VARBINARY(32) NOT NULL,
    IsActive             BIT NOT NULL CONSTRAINT DF_DimEventType_IsActive DEFAULT (1),
    IsLatest             BIT NOT NULL CONSTRAINT DF_DimEventType_IsLatest DEFAULT (1),
    VersionNum           INT NOT NULL CONSTRAINT DF_DimEventType_VersionNum DEFAULT (1),
    ValidFromUtc         DATETIME2(3) NOT NULL CONSTRAINT DF_DimEventType_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc           DATETIME2(3) NULL,
    CreatedUtc           DATETIME2(3) NOT NULL CONSTRAINT DF_DimEventType_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc           DATETIME2(3) NULL,
    SourceSystem         NVARCHAR(100) NULL,
    SourceRef            NVARCHAR(400) NULL,
    IngestBatchKey       NVARCHAR(100) NULL,
    AttributesJson       NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimEventType PRIMARY KEY CLUSTERED (EventTypeKey),
    CONSTRAINT UQ_DimEventType_EventTypeGuid UNIQUE (EventTypeGuid),
    CONSTRAINT FK_DimEventType_DimFranchise FOREIGN KEY (FranchiseKey) REFERENCES dbo.DimFranchise (FranchiseKey),
    CONSTRAINT FK_DimEventType_ParentEventType FOREIGN KEY (ParentEventTypeKey) REFERENCES dbo.DimEventType (EventTypeKey)
);
GO

CREATE UNIQUE INDEX UX_DimEventType_FranchiseKey_EventTypeCode_IsLatest
    ON dbo.DimEventType (FranchiseKey, EventTypeCode)
    WHERE IsLatest = 1;
GO

CREATE TABLE dbo.DimIssueType (
    IssueTypeKey    INT IDENTITY(1,1) NOT NULL,
    IssueTypeGuid   UNIQUEIDENTIFIER NOT NULL CONSTRAINT DF_DimIssueType_IssueTypeGuid DEFAULT (NEWID()),
    IssueTypeName   NVARCHAR(200) NOT NULL,
    IssueTypeCode   NVARCHAR(50) NOT NULL,
    Description     NVARCHAR(1000) NULL,
    Notes           NVARCHAR(1000) NULL,
    RowHash         VARBINARY(32) NOT NULL,
    IsActive        BIT NOT NULL CONSTRAINT DF_DimIssueType_IsActive DEFAULT (1),
    IsLatest        BIT NOT NULL CONSTRAINT DF_DimIssueType_IsLatest DEFAULT (1),
    VersionNum      INT NOT NULL CONSTRAINT DF_DimIssueType_VersionNum DEFAULT (1),
    ValidFromUtc    DATETIME2(3) NOT NULL CONSTRAINT DF_DimIssueType_ValidFromUtc DEFAULT (SYSUTCDATETIME()),
    ValidToUtc      DATETIME2(3) NULL,
    CreatedUtc      DATETIME2(3) NOT NULL CONSTRAINT DF_DimIssueType_CreatedUtc DEFAULT (SYSUTCDATETIME()),
    UpdatedUtc      DATETIME2(3) NULL,
    SourceSystem    NVARCHAR(100) NULL,
    SourceRef       NVARCHAR(400) NULL,
    IngestBatchKey  NVARCHAR(100) NULL,
    AttributesJson  NVARCHAR(MAX) NULL,
    CONSTRAINT PK_DimIssueType PRIMARY KEY CLUSTERED (IssueTypeKey),
    CONSTRAINT UQ_DimIssueType_IssueTypeGuid UNIQUE (IssueTypeGuid)
);
GO

CREATE UNIQUE INDEX UX_DimIssueType_IssueTypeCode_IsLatest
    ON dbo.DimIssueType (IssueTypeCode)
    WHERE IsLatest = 1;
GO
