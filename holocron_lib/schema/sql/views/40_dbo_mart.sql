-- Analytic marts in dbo. They read the sem.vw_* layer only. Timeline positions are
-- SceneOrdinal * 1000 + EventOrdinal, so sorting by one integer orders events across scenes.

-- Every event with a sortable timeline position.
CREATE VIEW dbo.mart_event_timeline AS
SELECT
    e.EventKey,
    e.EventGuid,
    e.FranchiseKey,
    e.FranchiseName,
    e.ContinuityFrameKey,
    e.ContinuityFrameName,
    e.ContinuityFrameCode,
    e.WorkKey,
    e.WorkTitle,
    e.WorkCode,
    e.SceneKey,
    e.SceneName,
    e.SceneOrdinal,
    e.EventOrdinal,
    e.SceneOrdinal * 1000 + e.EventOrdinal AS TimelineOrdinal,
    e.EventTypeKey,
    e.EventTypeName,
    e.EventTypeCode,
    e.VerbClass,
    e.LocationKey,
    e.LocationName,
    e.StartSec,
    e.EndSec,
    e.EraKey,
    e.EraName,
    e.EraCode,
    e.UniverseYearMin,
    e.UniverseYearMax,
    e.SummaryShort,
    e.SummaryNormalized,
    e.ConfidenceScore,
    e.ExtractionMethod,
    e.Notes
FROM sem.vw_event AS e
GO

-- Participant rows enriched with the event's type, scene position and location.
CREATE VIEW dbo.mart_event_interactions AS
SELECT
    p.BridgeEventParticipantKey,
    p.ParticipantGuid,
    p.EventKey,
    p.EventGuid,
    p.EventSummary,
    p.EventOrdinal,
    p.EntityKey,
    p.EntityGuid,
    p.ParticipantName,
    p.ParticipantType,
    p.RoleInEvent,
    p.RoleSubtype,
    p.WeightClass,
    p.ParticipantOrdinal,
    p.ParticipationScore,
    p.WorkKey,
    p.WorkTitle,
    p.WorkCode,
    p.SceneKey,
    p.SceneName,
    e.SceneOrdinal,
    e.EventTypeName,
    e.EventTypeCode,
    e.LocationName,
    e.ConfidenceScore,
    p.FranchiseKey,
    p.FranchiseName
FROM sem.vw_event_participant AS p
INNER JOIN sem.vw_event AS e
    ON e.EventKey = p.EventKey
GO

-- Asset usage rows in timeline order.
CREATE VIEW dbo.mart_asset_lifecycle AS
SELECT
    a.BridgeEventAssetKey,
    a.EventAssetGuid,
    a.TechInstanceKey,
    a.TechInstanceGuid,
    a.AssetName,
    a.TechAssetKey,
    a.ModelName,
    a.AssetType,
    a.AssetRole,
    a.AssetRoleDetail,
    a.AssetOrdinal,
    a.EventKey,
    a.EventGuid,
    a.EventSummary,
    a.EventOrdinal,
    e.EventTypeName,
    e.EventTypeCode,
    a.WorkKey,
    a.WorkTitle,
    a.WorkCode,
    a.SceneKey,
    a.SceneName,
    e.SceneOrdinal,
    e.StartSec,
    e.EndSec,
    e.LocationName,
    e.ConfidenceScore,
    a.FranchiseKey,
    a.FranchiseName,
    e.SceneOrdinal * 1000 + a.EventOrdinal AS TimelineOrdinal
FROM sem.vw_event_asset AS a
INNER JOIN sem.vw_event AS e
    ON e.EventKey = a.EventKey
GO

-- Characters with how many events they take part in and how many looks they have.
CREATE VIEW dbo.mart_character_profile AS
SELECT
    c.CharacterKey,
    c.CharacterGuid,
    c.EntityKey,
    c.EntityGuid,
    c.CharacterName,
    c.CharacterNameNormalized,
    c.SortName,
    c.Aliases,
    c.SummaryShort,
    c.SpeciesKey,
    c.SpeciesName,
    c.Gender,
    c.Pronouns,
    c.RoleArchetype,
    c.BirthRef,
    c.DeathRef,
    c.BirthPlaceRef,
    c.HomeworldRef,
    c.HeightRef,
    c.EyeColor,
    c.HairColor,
    c.SkinColor,
    c.IsCanonical,
    c.FranchiseKey,
    c.FranchiseName,
    COALESCE(pc.EventParticipationCount, 0) AS EventParticipationCount,
    COALESCE(lc.AppearanceCount, 0) AS AppearanceCount
FROM sem.vw_character AS c
LEFT JOIN (
    SELECT p.EntityKey, COUNT(*) AS EventParticipationCount
    FROM sem.vw_event_participant AS p
    GROUP BY p.EntityKey
) AS pc
    ON pc.EntityKey = c.EntityKey
LEFT JOIN (
    SELECT l.CharacterKey, COUNT(*) AS AppearanceCount
    FROM sem.vw_appearance_look AS l
    GROUP BY l.CharacterKey
) AS lc
    ON lc.CharacterKey = c.CharacterKey
GO

-- Character looks with the timing of the scene they appear in.
CREATE VIEW dbo.mart_character_appearance_timeline AS
SELECT
    l.CharacterKey,
    l.CharacterGuid,
    l.CharacterName,
    l.WorkKey,
    l.WorkTitle,
    l.WorkCode,
    l.SceneKey,
    l.SceneName,
    l.SceneOrdinal,
    l.LookKey,
    l.LookGuid,
    l.LookLabel,
    l.LookType,
    l.ConditionRef,
    l.IsPrimaryLookInScene,
    l.ConfidenceScore,
    s.StartSec,
    s.EndSec,
    s.DurationSec,
    s.LocationHint,
    l.FranchiseKey,
    l.FranchiseName
FROM sem.vw_appearance_look AS l
INNER JOIN sem.vw_scene AS s
    ON s.SceneKey = l.SceneKey
GO

-- Locations with the number of events set there (0 when none).
CREATE VIEW dbo.mart_location_event_rollup AS
SELECT
    l.LocationKey,
    l.LocationGuid,
    l.EntityKey,
    l.LocationName,
    l.LocationNameNormalized,
    l.LocationType,
    l.ParentLocationKey,
    l.ParentLocationName,
    l.ParentLocationType,
    l.RegionCode,
    l.ClimateRef,
    l.TerrainRef,
    l.PopulationRef,
    l.FranchiseKey,
    l.FranchiseName,
    COALESCE(ec.EventCount, 0) AS EventCount
FROM sem.vw_location AS l
LEFT JOIN (
    SELECT e.LocationKey, COUNT(*) AS EventCount
    FROM sem.vw_event AS e
    WHERE e.LocationKey IS NOT NULL
    GROUP BY e.LocationKey
) AS ec
    ON ec.LocationKey = l.LocationKey
GO

-- Per-scene event density. EventsPerMinute is NULL when the scene has no positive duration;
-- the ordinal and distinct counts are NULL for a scene without events.
CREATE VIEW dbo.mart_scene_event_density AS
SELECT
    s.SceneKey,
    s.SceneGuid,
    s.WorkKey,
    s.WorkTitle,
    s.WorkCode,
    s.WorkType,
    s.SceneOrdinal,
    s.SceneName,
    s.SceneType,
    s.StartSec,
    s.EndSec,
    s.DurationSec,
    s.LocationHint,
    s.FranchiseKey,
    s.FranchiseName,
    COALESCE(ev.EventCount, 0) AS EventCount,
    CASE
        WHEN s.DurationSec > 0
            THEN CAST(COALESCE(ev.EventCount, 0) AS DECIMAL(10, 2)) / (s.DurationSec / 60.0)
        ELSE NULL
    END AS EventsPerMinute,
    ev.MinEventOrdinal,
    ev.MaxEventOrdinal,
    ev.DistinctEventTypes,
    CASE
        WHEN ev.SceneKey IS NULL THEN NULL
        ELSE COALESCE(pa.DistinctParticipants, 0)
    END AS DistinctParticipants
FROM sem.vw_scene AS s
LEFT JOIN (
    SELECT
        e.SceneKey,
        COUNT(*) AS EventCount,
        MIN(e.EventOrdinal) AS MinEventOrdinal,
        MAX(e.EventOrdinal) AS MaxEventOrdinal,
        COUNT(DISTINCT e.EventTypeKey) AS DistinctEventTypes
    FROM sem.vw_event AS e
    GROUP BY e.SceneKey
) AS ev
    ON ev.SceneKey = s.SceneKey
LEFT JOIN (
    SELECT p.SceneKey, COUNT(DISTINCT p.EntityKey) AS DistinctParticipants
    FROM sem.vw_event_participant AS p
    GROUP BY p.SceneKey
) AS pa
    ON pa.SceneKey = s.SceneKey
GO

-- Continuity issues with counts of linked, conflicting and supporting claims.
CREATE VIEW dbo.mart_continuity_issue_dashboard AS
SELECT
    i.ContinuityIssueKey,
    i.ContinuityIssueGuid,
    i.FranchiseKey,
    i.FranchiseName,
    i.ContinuityFrameKey,
    i.ContinuityFrameName,
    i.ContinuityFrameCode,
    i.IssueTypeKey,
    i.IssueTypeName,
    i.IssueTypeCode,
    i.IssueSummary,
    i.IssueDescription,
    i.Scope,
    i.WorkKey,
    i.WorkTitle,
    i.WorkCode,
    i.SceneKey,
    i.SceneName,
    i.SeverityScore,
    i.SeverityLabel,
    i.DisputeLevel,
    i.Status,
    i.ConfidenceScore,
    COALESCE(lc.LinkedClaimCount, 0) AS LinkedClaimCount,
    COALESCE(lc.ConflictingClaimCount, 0) AS ConflictingClaimCount,
    COALESCE(lc.SupportingClaimCount, 0) AS SupportingClaimCount
FROM sem.vw_continuity_issue AS i
LEFT JOIN (
    SELECT
        k.ContinuityIssueKey,
        COUNT(*) AS LinkedClaimCount,
        SUM(CASE WHEN k.Role = 'Conflicting' THEN 1 ELSE 0 END) AS ConflictingClaimCount,
        SUM(CASE WHEN k.Role = 'Supporting' THEN 1 ELSE 0 END) AS SupportingClaimCount
    FROM sem.vw_issue_claim_link AS k
    GROUP BY k.ContinuityIssueKey
) AS lc
    ON lc.ContinuityIssueKey = i.ContinuityIssueKey
GO

-- The Death Star trench run: A New Hope, scenes 44 to 54.
CREATE VIEW dbo.mart_trench_run_events AS
SELECT
    e.EventKey,
    e.EventGuid,
    e.FranchiseKey,
    e.FranchiseName,
    e.ContinuityFrameKey,
    e.ContinuityFrameName,
    e.WorkKey,
    e.WorkTitle,
    e.WorkCode,
    e.SceneKey,
    e.SceneName,
    e.SceneOrdinal,
    e.EventOrdinal,
    (e.SceneOrdinal - 44) * 1000 + e.EventOrdinal AS SequenceOrdinal,
    e.EventTypeKey,
    e.EventTypeName,
    e.EventTypeCode,
    e.VerbClass,
    e.LocationKey,
    e.LocationName,
    e.StartSec,
    e.EndSec,
    e.SummaryShort,
    e.ConfidenceScore,
    e.ExtractionMethod
FROM sem.vw_event AS e
WHERE e.WorkCode = 'ANH' AND e.SceneOrdinal BETWEEN 44 AND 54
GO

-- The Duel of the Fates: The Phantom Menace, scenes 27 to 44.
CREATE VIEW dbo.mart_duel_of_fates_events AS
SELECT
    e.EventKey,
    e.EventGuid,
    e.FranchiseKey,
    e.FranchiseName,
    e.ContinuityFrameKey,
    e.ContinuityFrameName,
    e.WorkKey,
    e.WorkTitle,
    e.WorkCode,
    e.SceneKey,
    e.SceneName,
    e.SceneOrdinal,
    e.EventOrdinal,
    (e.SceneOrdinal - 27) * 1000 + e.EventOrdinal AS SequenceOrdinal,
    e.EventTypeKey,
    e.EventTypeName,
    e.EventTypeCode,
    e.VerbClass,
    e.LocationKey,
    e.LocationName,
    e.StartSec,
    e.EndSec,
    e.SummaryShort,
    e.ConfidenceScore,
    e.ExtractionMethod
FROM sem.vw_event AS e
WHERE e.WorkCode = 'TPM' AND e.SceneOrdinal BETWEEN 27 AND 44
GO
