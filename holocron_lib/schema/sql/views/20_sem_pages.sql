-- Page-staging views over sem.SourcePage, sem.PageClassification and sem.PageSignals.
-- Only active pages and the current classification / signals row count. The type lists
-- still name the pre-0022 type 'MetaReference', as the live definitions do.

-- Every active page with its current classification and signals, when it has them.
CREATE VIEW sem.vw_CurrentPageClassification AS
SELECT
    pg.source_page_id,
    pg.source_system,
    pg.resource_id,
    pg.variant,
    pg.namespace,
    pg.continuity_hint,
    pg.content_hash_sha256,
    pg.latest_ingest_id,
    pg.created_utc AS page_created_utc,
    pg.updated_utc AS page_updated_utc,
    pc.page_classification_id,
    pc.taxonomy_version,
    pc.primary_type,
    pc.type_set_json,
    pc.confidence_score,
    pc.method AS classification_method,
    pc.model_name,
    pc.run_id AS classification_run_id,
    pc.rationale,
    pc.needs_review,
    pc.suggested_tags_json,
    pc.created_utc AS classification_utc,
    ps.page_signals_id,
    ps.lead_sentence,
    ps.infobox_type,
    ps.categories_json,
    ps.is_list_page,
    ps.is_disambiguation,
    ps.has_timeline_markers,
    ps.has_infobox,
    ps.extracted_utc AS signals_extracted_utc
FROM sem.SourcePage AS pg
LEFT JOIN sem.PageClassification AS pc
    ON pc.source_page_id = pg.source_page_id AND pc.is_current = 1
LEFT JOIN sem.PageSignals AS ps
    ON ps.source_page_id = pg.source_page_id AND ps.is_current = 1
WHERE pg.is_active = 1
GO

-- Current classifications counted per primary type and taxonomy version.
CREATE VIEW sem.vw_PagesByType AS
SELECT
    pc.primary_type,
    pc.taxonomy_version,
    COUNT(*) AS page_count,
    AVG(CAST(pc.confidence_score AS FLOAT)) AS avg_confidence,
    SUM(CASE WHEN pc.needs_review = 1 THEN 1 ELSE 0 END) AS needs_review_count,
    SUM(CASE WHEN pc.method = 'rules' THEN 1 ELSE 0 END) AS rules_count,
    SUM(CASE WHEN pc.method = 'llm' THEN 1 ELSE 0 END) AS llm_count,
    SUM(CASE WHEN pc.method = 'hybrid' THEN 1 ELSE 0 END) AS hybrid_count
FROM sem.PageClassification AS pc
INNER JOIN sem.SourcePage AS pg
    ON pg.source_page_id = pc.source_page_id AND pg.is_active = 1
WHERE pc.is_current = 1
GROUP BY pc.primary_type, pc.taxonomy_version
GO

-- Current classifications a person should look at: flagged, unsure (< 0.70) or untyped.
CREATE VIEW sem.vw_PagesNeedingReview AS
SELECT
    pg.source_page_id,
    pg.source_system,
    pg.resource_id,
    pg.variant,
    pg.namespace,
    pc.primary_type,
    pc.confidence_score,
    pc.method AS classification_method,
    pc.rationale,
    pc.needs_review,
    ps.lead_sentence,
    ps.infobox_type,
    pc.created_utc AS classification_utc
FROM sem.SourcePage AS pg
INNER JOIN sem.PageClassification AS pc
    ON pc.source_page_id = pg.source_page_id AND pc.is_current = 1
LEFT JOIN sem.PageSignals AS ps
    ON ps.source_page_id = pg.source_page_id AND ps.is_current = 1
WHERE pg.is_active = 1
    AND (pc.needs_review = 1 OR pc.confidence_score < 0.70 OR pc.primary_type = 'Unknown')
GO

-- Pages about the wiki itself rather than the universe.
CREATE VIEW sem.vw_TechnicalPages AS
SELECT
    pg.source_page_id,
    pg.source_system,
    pg.resource_id,
    pg.namespace,
    pc.primary_type,
    pc.confidence_score,
    pc.rationale,
    pc.created_utc AS classification_utc
FROM sem.SourcePage AS pg
INNER JOIN sem.PageClassification AS pc
    ON pc.source_page_id = pg.source_page_id AND pc.is_current = 1
WHERE pg.is_active = 1
    AND pc.primary_type IN ('TechnicalSitePage', 'MetaReference')
GO

-- Pages confident enough (>= 0.75, not flagged, a real type) to promote to entities.
CREATE VIEW sem.vw_EntityCandidates AS
SELECT
    pg.source_page_id,
    pg.source_system,
    pg.resource_id,
    pg.variant,
    pg.namespace,
    pg.continuity_hint,
    pc.primary_type,
    pc.type_set_json,
    pc.confidence_score,
    pc.method AS classification_method,
    pc.rationale,
    pc.suggested_tags_json,
    ps.lead_sentence,
    ps.infobox_type,
    ps.categories_json,
    pc.created_utc AS classification_utc
FROM sem.SourcePage AS pg
INNER JOIN sem.PageClassification AS pc
    ON pc.source_page_id = pg.source_page_id AND pc.is_current = 1
LEFT JOIN sem.PageSignals AS ps
    ON ps.source_page_id = pg.source_page_id AND ps.is_current = 1
WHERE pg.is_active = 1
    AND pc.needs_review = 0
    AND pc.confidence_score >= 0.75
    AND pc.primary_type NOT IN ('TechnicalSitePage', 'MetaReference', 'Unknown')
GO
