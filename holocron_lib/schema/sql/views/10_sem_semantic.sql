-- The semantic layer over the dbo dimensional model: one flattened, labelled view per
-- business object. Every dbo table read here is filtered to IsActive = 1 AND IsLatest = 1
-- (SCD type 2); for outer joins the filter sits in the join condition so the optional
-- side stays optional.

-- Active franchises.
CREATE VIEW sem.vw_franchise AS
SELECT
    fr.FranchiseKey,
    fr.FranchiseGuid,
    fr.Name AS FranchiseName,
    fr.UniverseCode,
    fr.FranchiseGroup,
    fr.OwnerOrRightsHolder,
    fr.DefaultContinuityFrame,
    fr.Notes,
    fr.ValidFromUtc
FROM dbo.DimFranchise AS fr
WHERE fr.IsActive = 1 AND fr.IsLatest = 1
GO

-- Works with their franchise name.
CREATE VIEW sem.vw_work AS
SELECT
    wk.WorkKey,
    wk.WorkGuid,
    wk.FranchiseKey,
    fr.Name AS FranchiseName,
    wk.WorkType,
    wk.Title AS WorkTitle,
    wk.TitleSort,
    wk.EditionOrCut,
    wk.WorkCode,
    wk.SeasonEpisode,
    wk.SeasonNumber,
    wk.EpisodeNumber,
    wk.VolumeOrIssue,
    wk.ReleaseDate,
    wk.ReleaseDatePrecision,
    wk.ReleaseRegion,
    wk.RuntimeRef,
    wk.SynopsisShort,
    wk.Notes,
    wk.ValidFromUtc
FROM dbo.DimWork AS wk
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = wk.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
WHERE wk.IsActive = 1 AND wk.IsLatest = 1
GO

-- Scenes with the context of their work and franchise.
CREATE VIEW sem.vw_scene AS
SELECT
    sc.SceneKey,
    sc.SceneGuid,
    sc.WorkKey,
    wk.Title AS WorkTitle,
    wk.WorkCode,
    wk.WorkType,
    sc.SceneOrdinal,
    sc.SceneName,
    sc.SceneType,
    sc.StartSec,
    sc.EndSec,
    sc.DurationSec,
    sc.LocationHint,
    sc.Notes,
    sc.ValidFromUtc,
    wk.FranchiseKey,
    fr.Name AS FranchiseName
FROM dbo.DimScene AS sc
INNER JOIN dbo.DimWork AS wk
    ON wk.WorkKey = sc.WorkKey AND wk.IsActive = 1 AND wk.IsLatest = 1
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = wk.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
WHERE sc.IsActive = 1 AND sc.IsLatest = 1
GO

-- Continuity frames (Canon, Legends, ...).
CREATE VIEW sem.vw_continuity_frame AS
SELECT
    cf.ContinuityFrameKey,
    cf.ContinuityFrameGuid,
    cf.FranchiseKey,
    fr.Name AS FranchiseName,
    cf.FrameName,
    cf.FrameCode,
    cf.AuthorityType,
    cf.AuthorityRef,
    cf.PolicySummary,
    cf.EffectiveStartDate,
    cf.EffectiveEndDate,
    cf.Notes,
    cf.ValidFromUtc
FROM dbo.DimContinuityFrame AS cf
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = cf.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
WHERE cf.IsActive = 1 AND cf.IsLatest = 1
GO

-- Characters flattened with their entity and, when known, their species' name.
CREATE VIEW sem.vw_character AS
SELECT
    ch.CharacterKey,
    ch.CharacterGuid,
    ch.EntityKey,
    en.EntityGuid,
    en.DisplayName AS CharacterName,
    en.DisplayNameNormalized AS CharacterNameNormalized,
    en.SortName,
    en.AliasCsv AS Aliases,
    en.ExternalKey,
    en.SummaryShort,
    en.IsCanonical,
    ch.SpeciesKey,
    spe.DisplayName AS SpeciesName,
    ch.Gender,
    ch.Pronouns,
    ch.BirthRef,
    ch.DeathRef,
    ch.BirthPlaceRef,
    ch.HomeworldRef,
    ch.HeightRef,
    ch.MassRef,
    ch.EyeColor,
    ch.HairColor,
    ch.SkinColor,
    ch.DistinguishingMarks,
    ch.RoleArchetype,
    ch.Notes,
    en.FranchiseKey,
    fr.Name AS FranchiseName,
    ch.ValidFromUtc
FROM dbo.DimCharacter AS ch
INNER JOIN dbo.DimEntity AS en
    ON en.EntityKey = ch.EntityKey AND en.IsActive = 1 AND en.IsLatest = 1
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = en.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
LEFT JOIN dbo.DimSpecies AS sp
    ON sp.SpeciesKey = ch.SpeciesKey AND sp.IsActive = 1 AND sp.IsLatest = 1
LEFT JOIN dbo.DimEntity AS spe
    ON spe.EntityKey = sp.EntityKey AND spe.IsActive = 1 AND spe.IsLatest = 1
WHERE ch.IsActive = 1 AND ch.IsLatest = 1
GO

-- Species with their entity name.
CREATE VIEW sem.vw_species AS
SELECT
    sp.SpeciesKey,
    sp.SpeciesGuid,
    sp.EntityKey,
    en.EntityGuid,
    en.DisplayName AS SpeciesName,
    en.DisplayNameNormalized AS SpeciesNameNormalized,
    en.SortName,
    en.SummaryShort,
    sp.Category,
    sp.HomeworldRef,
    sp.TypicalLifespanRef,
    sp.AverageHeightRef,
    sp.SkinTypesRef,
    sp.LanguageRef,
    sp.DietRef,
    sp.TraitsJson,
    sp.Notes,
    en.FranchiseKey,
    fr.Name AS FranchiseName,
    sp.ValidFromUtc
FROM dbo.DimSpecies AS sp
INNER JOIN dbo.DimEntity AS en
    ON en.EntityKey = sp.EntityKey AND en.IsActive = 1 AND en.IsLatest = 1
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = en.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
WHERE sp.IsActive = 1 AND sp.IsLatest = 1
GO

-- Organizations and factions with their entity name.
CREATE VIEW sem.vw_organization AS
SELECT
    org.OrganizationKey,
    org.OrganizationGuid,
    org.EntityKey,
    en.EntityGuid,
    en.DisplayName AS OrganizationName,
    en.DisplayNameNormalized AS OrganizationNameNormalized,
    en.SortName,
    en.SummaryShort,
    org.OrgType,
    org.Scope,
    org.AlignmentRef,
    org.FoundedRef,
    org.DissolvedRef,
    org.HeadquartersRef,
    org.Notes,
    en.FranchiseKey,
    fr.Name AS FranchiseName,
    org.ValidFromUtc
FROM dbo.DimOrganization AS org
INNER JOIN dbo.DimEntity AS en
    ON en.EntityKey = org.EntityKey AND en.IsActive = 1 AND en.IsLatest = 1
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = en.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
WHERE org.IsActive = 1 AND org.IsLatest = 1
GO

-- Locations with the name and type of their parent location, when they have one.
CREATE VIEW sem.vw_location AS
SELECT
    loc.LocationKey,
    loc.LocationGuid,
    loc.EntityKey,
    en.EntityGuid,
    en.DisplayName AS LocationName,
    en.DisplayNameNormalized AS LocationNameNormalized,
    en.SortName,
    en.SummaryShort,
    loc.LocationType,
    loc.ParentLocationKey,
    pen.DisplayName AS ParentLocationName,
    par.LocationType AS ParentLocationType,
    loc.RegionCode,
    loc.LatitudeRef,
    loc.LongitudeRef,
    loc.ClimateRef,
    loc.TerrainRef,
    loc.PopulationRef,
    loc.GovernmentRef,
    loc.Notes,
    en.FranchiseKey,
    fr.Name AS FranchiseName,
    loc.ValidFromUtc
FROM dbo.DimLocation AS loc
INNER JOIN dbo.DimEntity AS en
    ON en.EntityKey = loc.EntityKey AND en.IsActive = 1 AND en.IsLatest = 1
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = en.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
LEFT JOIN dbo.DimLocation AS par
    ON par.LocationKey = loc.ParentLocationKey AND par.IsActive = 1 AND par.IsLatest = 1
LEFT JOIN dbo.DimEntity AS pen
    ON pen.EntityKey = par.EntityKey AND pen.IsActive = 1 AND pen.IsLatest = 1
WHERE loc.IsActive = 1 AND loc.IsLatest = 1
GO

-- Technology models and classes (ships, droids, weapons, devices).
CREATE VIEW sem.vw_tech_asset AS
SELECT
    ta.TechAssetKey,
    ta.TechAssetGuid,
    ta.FranchiseKey,
    fr.Name AS FranchiseName,
    ta.AssetType,
    ta.ModelName,
    ta.ModelNameNormalized,
    ta.ManufacturerRef,
    ta.ManufacturerCode,
    ta.EraRef,
    ta.FirstAppearanceRef,
    ta.TechLevelRef,
    ta.PowerSourceRef,
    ta.MaterialRef,
    ta.SafetyNotes,
    ta.Notes,
    ta.ValidFromUtc
FROM dbo.DimTechAsset AS ta
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = ta.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
WHERE ta.IsActive = 1 AND ta.IsLatest = 1
GO

-- Named technology instances with their model; the franchise comes from the model.
CREATE VIEW sem.vw_tech_instance AS
SELECT
    ti.TechInstanceKey,
    ti.TechInstanceGuid,
    ti.EntityKey,
    en.EntityGuid,
    ti.TechAssetKey,
    ta.TechAssetGuid,
    ti.InstanceName,
    ta.ModelName,
    ta.AssetType,
    ta.ManufacturerRef,
    ti.SerialRef,
    ti.BuildRef,
    ti.CurrentStatus,
    ti.LastKnownLocationRef,
    ti.Notes,
    ta.FranchiseKey,
    fr.Name AS FranchiseName,
    ti.ValidFromUtc
FROM dbo.DimTechInstance AS ti
INNER JOIN dbo.DimEntity AS en
    ON en.EntityKey = ti.EntityKey AND en.IsActive = 1 AND en.IsLatest = 1
INNER JOIN dbo.DimTechAsset AS ta
    ON ta.TechAssetKey = ti.TechAssetKey AND ta.IsActive = 1 AND ta.IsLatest = 1
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = ta.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
WHERE ti.IsActive = 1 AND ti.IsLatest = 1
GO

-- A character's look in a scene; every label is optional, the franchise comes from the work.
CREATE VIEW sem.vw_appearance_look AS
SELECT
    lk.LookKey,
    lk.LookGuid,
    lk.CharacterKey,
    ch.CharacterGuid,
    en.DisplayName AS CharacterName,
    lk.WorkKey,
    wk.Title AS WorkTitle,
    wk.WorkCode,
    lk.SceneKey,
    sc.SceneName,
    sc.SceneOrdinal,
    lk.LookLabel,
    lk.LookType,
    lk.PrimaryColorRef,
    lk.SecondaryColorRef,
    lk.MaterialRef,
    lk.InsigniaRef,
    lk.HairStyle,
    lk.HairColor,
    lk.FacialHair,
    lk.MakeupOrMarkingsRef,
    lk.ConditionRef,
    lk.AccessoriesRef,
    lk.ConfidenceScore,
    lk.IsPrimaryLookInScene,
    lk.EvidenceRef,
    lk.Notes,
    wk.FranchiseKey,
    fr.Name AS FranchiseName,
    lk.ValidFromUtc
FROM dbo.DimAppearanceLook AS lk
LEFT JOIN dbo.DimCharacter AS ch
    ON ch.CharacterKey = lk.CharacterKey AND ch.IsActive = 1 AND ch.IsLatest = 1
LEFT JOIN dbo.DimEntity AS en
    ON en.EntityKey = ch.EntityKey AND en.IsActive = 1 AND en.IsLatest = 1
LEFT JOIN dbo.DimWork AS wk
    ON wk.WorkKey = lk.WorkKey AND wk.IsActive = 1 AND wk.IsLatest = 1
LEFT JOIN dbo.DimScene AS sc
    ON sc.SceneKey = lk.SceneKey AND sc.IsActive = 1 AND sc.IsLatest = 1
LEFT JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = wk.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
WHERE lk.IsActive = 1 AND lk.IsLatest = 1
GO

-- Events with every dimension label. Work and scene are joined independently, so their
-- labels can disagree where the source data does.
CREATE VIEW sem.vw_event AS
SELECT
    ev.EventKey,
    ev.FactEventGuid AS EventGuid,
    ev.FranchiseKey,
    fr.Name AS FranchiseName,
    ev.ContinuityFrameKey,
    cf.FrameName AS ContinuityFrameName,
    cf.FrameCode AS ContinuityFrameCode,
    ev.WorkKey,
    wk.Title AS WorkTitle,
    wk.WorkCode,
    ev.SceneKey,
    sc.SceneName,
    sc.SceneOrdinal,
    ev.ParentEventKey,
    ev.EventOrdinal,
    ev.EventTypeKey,
    et.EventTypeName,
    et.EventTypeCode,
    et.VerbClass,
    et.VerbLemma,
    ev.LocationKey,
    locen.DisplayName AS LocationName,
    ev.StartSec,
    ev.EndSec,
    ev.EraKey,
    er.EraName,
    er.EraCode,
    ev.UniverseYearMin,
    ev.UniverseYearMax,
    ev.DateKey,
    ev.TimeKey,
    ev.EventTimestampUtc,
    ev.SummaryShort,
    ev.SummaryNormalized,
    ev.ConfidenceScore,
    ev.ExtractionMethod,
    ev.Notes,
    ev.ValidFromUtc
FROM dbo.FactEvent AS ev
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = ev.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
INNER JOIN dbo.DimContinuityFrame AS cf
    ON cf.ContinuityFrameKey = ev.ContinuityFrameKey AND cf.IsActive = 1 AND cf.IsLatest = 1
INNER JOIN dbo.DimWork AS wk
    ON wk.WorkKey = ev.WorkKey AND wk.IsActive = 1 AND wk.IsLatest = 1
INNER JOIN dbo.DimScene AS sc
    ON sc.SceneKey = ev.SceneKey AND sc.IsActive = 1 AND sc.IsLatest = 1
INNER JOIN dbo.DimEventType AS et
    ON et.EventTypeKey = ev.EventTypeKey AND et.IsActive = 1 AND et.IsLatest = 1
LEFT JOIN dbo.DimLocation AS loc
    ON loc.LocationKey = ev.LocationKey AND loc.IsActive = 1 AND loc.IsLatest = 1
LEFT JOIN dbo.DimEntity AS locen
    ON locen.EntityKey = loc.EntityKey AND locen.IsActive = 1 AND locen.IsLatest = 1
LEFT JOIN dbo.DimEra AS er
    ON er.EraKey = ev.EraKey AND er.IsActive = 1 AND er.IsLatest = 1
WHERE ev.IsActive = 1 AND ev.IsLatest = 1
GO

-- Entities taking part in events, with the event's work, scene and franchise.
CREATE VIEW sem.vw_event_participant AS
SELECT
    bp.BridgeEventParticipantKey,
    bp.BridgeEventParticipantGuid AS ParticipantGuid,
    bp.EventKey,
    ev.FactEventGuid AS EventGuid,
    ev.SummaryShort AS EventSummary,
    ev.EventOrdinal,
    bp.EntityKey,
    en.EntityGuid,
    en.DisplayName AS ParticipantName,
    en.EntityType AS ParticipantType,
    bp.RoleInEvent,
    bp.RoleSubtype,
    bp.WeightClass,
    bp.ParticipantOrdinal,
    bp.ParticipationScore,
    bp.Notes,
    ev.WorkKey,
    wk.Title AS WorkTitle,
    wk.WorkCode,
    ev.SceneKey,
    sc.SceneName,
    ev.FranchiseKey,
    fr.Name AS FranchiseName,
    bp.ValidFromUtc
FROM dbo.BridgeEventParticipant AS bp
INNER JOIN dbo.FactEvent AS ev
    ON ev.EventKey = bp.EventKey AND ev.IsActive = 1 AND ev.IsLatest = 1
INNER JOIN dbo.DimEntity AS en
    ON en.EntityKey = bp.EntityKey AND en.IsActive = 1 AND en.IsLatest = 1
INNER JOIN dbo.DimWork AS wk
    ON wk.WorkKey = ev.WorkKey AND wk.IsActive = 1 AND wk.IsLatest = 1
INNER JOIN dbo.DimScene AS sc
    ON sc.SceneKey = ev.SceneKey AND sc.IsActive = 1 AND sc.IsLatest = 1
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = ev.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
WHERE bp.IsActive = 1 AND bp.IsLatest = 1
GO

-- Technology instances used, damaged or destroyed in events.
CREATE VIEW sem.vw_event_asset AS
SELECT
    ba.BridgeEventAssetKey,
    ba.BridgeEventAssetGuid AS EventAssetGuid,
    ba.EventKey,
    ev.FactEventGuid AS EventGuid,
    ev.SummaryShort AS EventSummary,
    ev.EventOrdinal,
    ba.TechInstanceKey,
    ti.TechInstanceGuid,
    ti.InstanceName AS AssetName,
    ti.TechAssetKey,
    ta.ModelName,
    ta.AssetType,
    ba.AssetRole,
    ba.AssetRoleDetail,
    ba.AssetOrdinal,
    ba.Notes,
    ev.WorkKey,
    wk.Title AS WorkTitle,
    wk.WorkCode,
    ev.SceneKey,
    sc.SceneName,
    ev.FranchiseKey,
    fr.Name AS FranchiseName,
    ba.ValidFromUtc
FROM dbo.BridgeEventAsset AS ba
INNER JOIN dbo.FactEvent AS ev
    ON ev.EventKey = ba.EventKey AND ev.IsActive = 1 AND ev.IsLatest = 1
INNER JOIN dbo.DimTechInstance AS ti
    ON ti.TechInstanceKey = ba.TechInstanceKey AND ti.IsActive = 1 AND ti.IsLatest = 1
INNER JOIN dbo.DimTechAsset AS ta
    ON ta.TechAssetKey = ti.TechAssetKey AND ta.IsActive = 1 AND ta.IsLatest = 1
INNER JOIN dbo.DimWork AS wk
    ON wk.WorkKey = ev.WorkKey AND wk.IsActive = 1 AND wk.IsLatest = 1
INNER JOIN dbo.DimScene AS sc
    ON sc.SceneKey = ev.SceneKey AND sc.IsActive = 1 AND sc.IsLatest = 1
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = ev.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
WHERE ba.IsActive = 1 AND ba.IsLatest = 1
GO

-- Subject-predicate-object claims with the subject's name; work and scene are optional.
CREATE VIEW sem.vw_claim AS
SELECT
    cl.ClaimKey,
    cl.FactClaimGuid AS ClaimGuid,
    cl.FranchiseKey,
    fr.Name AS FranchiseName,
    cl.ContinuityFrameKey,
    cf.FrameName AS ContinuityFrameName,
    cf.FrameCode AS ContinuityFrameCode,
    cl.ClaimType,
    cl.SubjectEntityKey,
    en.EntityGuid AS SubjectEntityGuid,
    en.DisplayName AS SubjectName,
    en.EntityType AS SubjectType,
    cl.Predicate,
    cl.ObjectValue,
    cl.ObjectValueType,
    cl.WorkKey,
    wk.Title AS WorkTitle,
    wk.WorkCode,
    cl.SceneKey,
    sc.SceneName,
    cl.ConfidenceScore,
    cl.EvidenceRef,
    cl.ExtractionMethod,
    cl.Notes,
    cl.ValidFromUtc
FROM dbo.FactClaim AS cl
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = cl.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
INNER JOIN dbo.DimContinuityFrame AS cf
    ON cf.ContinuityFrameKey = cl.ContinuityFrameKey AND cf.IsActive = 1 AND cf.IsLatest = 1
INNER JOIN dbo.DimEntity AS en
    ON en.EntityKey = cl.SubjectEntityKey AND en.IsActive = 1 AND en.IsLatest = 1
LEFT JOIN dbo.DimWork AS wk
    ON wk.WorkKey = cl.WorkKey AND wk.IsActive = 1 AND wk.IsLatest = 1
LEFT JOIN dbo.DimScene AS sc
    ON sc.SceneKey = cl.SceneKey AND sc.IsActive = 1 AND sc.IsLatest = 1
WHERE cl.IsActive = 1 AND cl.IsLatest = 1
GO

-- Continuity issues with their type and frame labels; work and scene are optional.
CREATE VIEW sem.vw_continuity_issue AS
SELECT
    ci.ContinuityIssueKey,
    ci.ContinuityIssueGuid,
    ci.FranchiseKey,
    fr.Name AS FranchiseName,
    ci.ContinuityFrameKey,
    cf.FrameName AS ContinuityFrameName,
    cf.FrameCode AS ContinuityFrameCode,
    ci.IssueTypeKey,
    it.IssueTypeName,
    it.IssueTypeCode,
    ci.IssueSummary,
    ci.IssueDescription,
    ci.Scope,
    ci.WorkKey,
    wk.Title AS WorkTitle,
    wk.WorkCode,
    ci.SceneKey,
    sc.SceneName,
    ci.SeverityScore,
    ci.SeverityLabel,
    ci.DisputeLevel,
    ci.Status,
    ci.ConfidenceScore,
    ci.Notes,
    ci.ValidFromUtc
FROM dbo.ContinuityIssue AS ci
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = ci.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
INNER JOIN dbo.DimContinuityFrame AS cf
    ON cf.ContinuityFrameKey = ci.ContinuityFrameKey AND cf.IsActive = 1 AND cf.IsLatest = 1
INNER JOIN dbo.DimIssueType AS it
    ON it.IssueTypeKey = ci.IssueTypeKey AND it.IsActive = 1 AND it.IsLatest = 1
LEFT JOIN dbo.DimWork AS wk
    ON wk.WorkKey = ci.WorkKey AND wk.IsActive = 1 AND wk.IsLatest = 1
LEFT JOIN dbo.DimScene AS sc
    ON sc.SceneKey = ci.SceneKey AND sc.IsActive = 1 AND sc.IsLatest = 1
WHERE ci.IsActive = 1 AND ci.IsLatest = 1
GO

-- Links between continuity issues and the claims that support, contradict or explain them.
CREATE VIEW sem.vw_issue_claim_link AS
SELECT
    lnk.BridgeContinuityIssueClaimKey,
    lnk.BridgeContinuityIssueClaimGuid AS LinkGuid,
    lnk.ContinuityIssueKey,
    ci.ContinuityIssueGuid,
    ci.IssueSummary,
    ci.SeverityLabel,
    ci.Status AS IssueStatus,
    lnk.ClaimKey,
    cl.FactClaimGuid AS ClaimGuid,
    en.DisplayName AS SubjectName,
    cl.Predicate,
    cl.ObjectValue,
    cl.ConfidenceScore AS ClaimConfidence,
    lnk.Role,
    lnk.Notes,
    ci.FranchiseKey,
    fr.Name AS FranchiseName,
    lnk.ValidFromUtc
FROM dbo.BridgeContinuityIssueClaim AS lnk
INNER JOIN dbo.ContinuityIssue AS ci
    ON ci.ContinuityIssueKey = lnk.ContinuityIssueKey AND ci.IsActive = 1 AND ci.IsLatest = 1
INNER JOIN dbo.FactClaim AS cl
    ON cl.ClaimKey = lnk.ClaimKey AND cl.IsActive = 1 AND cl.IsLatest = 1
INNER JOIN dbo.DimEntity AS en
    ON en.EntityKey = cl.SubjectEntityKey AND en.IsActive = 1 AND en.IsLatest = 1
INNER JOIN dbo.DimFranchise AS fr
    ON fr.FranchiseKey = ci.FranchiseKey AND fr.IsActive = 1 AND fr.IsLatest = 1
WHERE lnk.IsActive = 1 AND lnk.IsLatest = 1
GO
