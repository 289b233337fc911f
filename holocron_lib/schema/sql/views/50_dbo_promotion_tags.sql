-- Entity promotion and tagging views in dbo (migration 0020). Entities are read at their
-- active latest version; tag assignments are live while IsActive = 1.

-- Entities that have been promoted into the curated set.
CREATE VIEW dbo.vw_PromotedEntities AS
SELECT
    en.EntityKey,
    en.EntityGuid,
    en.DisplayName,
    en.EntityType,
    en.PromotionState,
    en.PromotionDecisionUtc,
    en.PromotionDecidedBy,
    en.PromotionReason,
    en.PrimaryTypeInferred,
    en.TypeSetJsonInferred,
    en.SourcePageId,
    en.FranchiseKey,
    en.ConfidenceScore,
    en.IsCanonical,
    en.SourceSystem,
    en.SourceRef,
    en.CreatedUtc,
    en.UpdatedUtc
FROM dbo.DimEntity AS en
WHERE en.IsActive = 1 AND en.IsLatest = 1 AND en.PromotionState = 'promoted'
GO

-- Entities still waiting for a decision, with the page they came from and its current
-- classification, when known.
CREATE VIEW dbo.vw_StagedEntities AS
SELECT
    en.EntityKey,
    en.EntityGuid,
    en.DisplayName,
    en.EntityType,
    en.PromotionState,
    en.PrimaryTypeInferred,
    en.TypeSetJsonInferred,
    en.SourcePageId,
    en.ConfidenceScore,
    en.SourceSystem,
    en.SourceRef,
    en.CreatedUtc,
    pg.resource_id AS PageTitle,
    pg.namespace AS PageNamespace,
    pg.continuity_hint AS PageContinuity,
    pc.confidence_score AS ClassificationConfidence,
    pc.rationale AS ClassificationRationale
FROM dbo.DimEntity AS en
LEFT JOIN sem.SourcePage AS pg
    ON pg.source_page_id = en.SourcePageId
LEFT JOIN sem.PageClassification AS pc
    ON pc.source_page_id = pg.source_page_id AND pc.is_current = 1
WHERE en.IsActive = 1 AND en.IsLatest = 1 AND en.PromotionState IN ('staged', 'candidate')
GO

-- Live tag assignments with the details of their (active, latest) tag.
CREATE VIEW dbo.vw_TagAssignments AS
SELECT
    ta.AssignmentId,
    tg.TagKey,
    tg.TagType,
    tg.TagName,
    tg.DisplayName AS TagDisplayName,
    tg.Visibility AS TagVisibility,
    ta.TargetType,
    ta.TargetId,
    ta.Weight,
    ta.Confidence,
    ta.AssignmentMethod,
    ta.AssignedUtc
FROM dbo.BridgeTagAssignment AS ta
INNER JOIN dbo.DimTag AS tg
    ON tg.TagKey = ta.TagKey AND tg.IsActive = 1 AND tg.IsLatest = 1
WHERE ta.IsActive = 1
GO
