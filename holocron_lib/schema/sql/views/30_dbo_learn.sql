-- Learner-friendly flat views in dbo, so lessons can write FROM learn_events unqualified.
-- They read the sem.vw_* layer only and rename columns to plain words; the *Id columns
-- are GUIDs, the *Key columns the integer surrogate keys.

CREATE VIEW dbo.learn_characters AS
SELECT
    c.CharacterGuid AS CharacterId,
    c.CharacterName,
    c.SortName,
    c.Aliases,
    c.SummaryShort AS Description,
    c.SpeciesName AS Species,
    c.Gender,
    c.RoleArchetype,
    c.HomeworldRef AS Homeworld,
    c.BirthPlaceRef AS BirthPlace,
    c.BirthRef AS BirthYear,
    c.DeathRef AS DeathYear,
    c.HeightRef AS Height,
    c.EyeColor,
    c.HairColor,
    c.SkinColor,
    c.IsCanonical,
    c.FranchiseName AS Franchise,
    c.CharacterKey,
    c.EntityKey
FROM sem.vw_character AS c
GO

CREATE VIEW dbo.learn_scenes AS
SELECT
    s.SceneGuid AS SceneId,
    s.SceneName,
    s.SceneOrdinal AS SceneNumber,
    s.SceneType,
    s.WorkTitle,
    s.WorkCode,
    s.WorkType,
    s.StartSec,
    s.EndSec,
    s.DurationSec,
    s.LocationHint,
    s.FranchiseName AS Franchise,
    s.SceneKey,
    s.WorkKey
FROM sem.vw_scene AS s
GO

CREATE VIEW dbo.learn_events AS
SELECT
    e.EventGuid AS EventId,
    e.SummaryShort AS EventSummary,
    e.EventTypeName AS EventType,
    e.EventTypeCode,
    e.VerbClass,
    e.WorkTitle,
    e.WorkCode,
    e.SceneName,
    e.SceneOrdinal AS SceneNumber,
    e.EventOrdinal AS EventNumber,
    e.LocationName AS Location,
    e.StartSec,
    e.EndSec,
    e.EraName,
    e.EraCode,
    e.UniverseYearMin,
    e.UniverseYearMax,
    e.ConfidenceScore,
    e.ExtractionMethod,
    e.ContinuityFrameName AS ContinuityFrame,
    e.FranchiseName AS Franchise,
    e.EventKey,
    e.SceneKey,
    e.WorkKey
FROM sem.vw_event AS e
GO

CREATE VIEW dbo.learn_event_participants AS
SELECT
    p.ParticipantGuid AS ParticipantId,
    p.ParticipantName,
    p.ParticipantType,
    p.RoleInEvent AS Role,
    p.RoleSubtype,
    p.WeightClass AS Importance,
    p.ParticipantOrdinal AS ParticipantOrder,
    p.ParticipationScore,
    p.EventGuid AS EventId,
    p.EventSummary,
    p.EventOrdinal AS EventNumber,
    p.WorkTitle,
    p.WorkCode,
    p.SceneName,
    p.FranchiseName AS Franchise,
    p.EventKey,
    p.EntityKey
FROM sem.vw_event_participant AS p
GO

CREATE VIEW dbo.learn_assets AS
SELECT
    t.TechInstanceGuid AS AssetId,
    t.InstanceName AS AssetName,
    t.ModelName,
    t.AssetType,
    t.ManufacturerRef AS Manufacturer,
    t.SerialRef AS SerialNumber,
    t.CurrentStatus AS Status,
    t.LastKnownLocationRef AS LastKnownLocation,
    t.BuildRef AS BuildInfo,
    t.FranchiseName AS Franchise,
    t.TechInstanceKey,
    t.TechAssetKey
FROM sem.vw_tech_instance AS t
GO

CREATE VIEW dbo.learn_locations AS
SELECT
    l.LocationGuid AS LocationId,
    l.LocationName,
    l.LocationType,
    l.ParentLocationName AS ParentLocation,
    l.ParentLocationType,
    l.RegionCode,
    l.ClimateRef AS Climate,
    l.TerrainRef AS Terrain,
    l.PopulationRef AS Population,
    l.GovernmentRef AS Government,
    l.SummaryShort AS Description,
    l.FranchiseName AS Franchise,
    l.LocationKey,
    l.ParentLocationKey
FROM sem.vw_location AS l
GO

CREATE VIEW dbo.learn_continuity_issues AS
SELECT
    i.ContinuityIssueGuid AS IssueId,
    i.IssueSummary,
    i.IssueDescription AS Description,
    i.IssueTypeName AS IssueType,
    i.IssueTypeCode,
    i.SeverityLabel AS Severity,
    i.SeverityScore,
    i.DisputeLevel,
    i.Status,
    i.Scope,
    i.WorkTitle,
    i.WorkCode,
    i.SceneName,
    i.ConfidenceScore,
    i.ContinuityFrameName AS ContinuityFrame,
    i.FranchiseName AS Franchise,
    i.ContinuityIssueKey
FROM sem.vw_continuity_issue AS i
GO

CREATE VIEW dbo.learn_claims AS
SELECT
    c.ClaimGuid AS ClaimId,
    c.SubjectName,
    c.SubjectType,
    c.ClaimType,
    c.Predicate,
    c.ObjectValue AS Value,
    c.ObjectValueType AS ValueType,
    c.ConfidenceScore,
    c.EvidenceRef AS Evidence,
    c.ExtractionMethod,
    c.WorkTitle AS SourceWork,
    c.WorkCode AS SourceWorkCode,
    c.SceneName AS SourceScene,
    c.ContinuityFrameName AS ContinuityFrame,
    c.FranchiseName AS Franchise,
    c.ClaimKey
FROM sem.vw_claim AS c
GO
