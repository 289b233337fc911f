-- Queue-health views over llm.job (migration 0029 as corrected live). An age is the number
-- of minute boundaries between created_utc and now (DATEDIFF(MINUTE, ...)); averages of
-- these INT values are integer averages, as SQL Server computes them.

-- Per status: how many jobs and how old they are.
CREATE VIEW llm.vw_queue_health AS
SELECT
    jb.status,
    COUNT(*) AS job_count,
    AVG(jb.age_minutes) AS avg_age_minutes,
    MIN(jb.age_minutes) AS min_age_minutes,
    MAX(jb.age_minutes) AS max_age_minutes,
    SUM(CASE WHEN jb.age_minutes > 60 THEN 1 ELSE 0 END) AS jobs_over_1h,
    SUM(CASE WHEN jb.age_minutes > 240 THEN 1 ELSE 0 END) AS jobs_over_4h,
    SUM(CASE WHEN jb.age_minutes > 1440 THEN 1 ELSE 0 END) AS jobs_over_24h
FROM (
    SELECT j.status, DATEDIFF(MINUTE, j.created_utc, SYSUTCDATETIME()) AS age_minutes
    FROM llm.job AS j
) AS jb
GROUP BY jb.status
GO

-- Per job type and status: counts, priority, age and retry exhaustion.
CREATE VIEW llm.vw_queue_health_by_type AS
SELECT
    jb.interrogation_key,
    jb.status,
    COUNT(*) AS job_count,
    AVG(jb.priority) AS avg_priority,
    AVG(jb.age_minutes) AS avg_age_minutes,
    MAX(jb.age_minutes) AS max_age_minutes,
    AVG(jb.attempt_count) AS avg_attempts,
    SUM(CASE WHEN jb.attempt_count >= jb.max_attempts THEN 1 ELSE 0 END) AS exhausted_retries
FROM (
    SELECT
        j.interrogation_key,
        j.status,
        j.priority,
        j.attempt_count,
        j.max_attempts,
        DATEDIFF(MINUTE, j.created_utc, SYSUTCDATETIME()) AS age_minutes
    FROM llm.job AS j
) AS jb
GROUP BY jb.interrogation_key, jb.status
GO

-- Waiting or running jobs older than an hour, with how worried to be.
CREATE VIEW llm.vw_queue_aged_jobs AS
SELECT
    jb.job_id,
    jb.interrogation_key,
    jb.status,
    jb.priority,
    jb.attempt_count,
    jb.max_attempts,
    jb.created_utc,
    jb.age_minutes,
    CASE
        WHEN jb.age_minutes > 1440 THEN 'critical'
        WHEN jb.age_minutes > 240 THEN 'warning'
        WHEN jb.age_minutes > 60 THEN 'elevated'
        ELSE 'normal'
    END AS age_severity,
    jb.last_error
FROM (
    SELECT
        j.job_id,
        j.interrogation_key,
        j.status,
        j.priority,
        j.attempt_count,
        j.max_attempts,
        j.created_utc,
        DATEDIFF(MINUTE, j.created_utc, SYSUTCDATETIME()) AS age_minutes,
        j.last_error
    FROM llm.job AS j
    WHERE j.status IN ('NEW', 'RUNNING')
) AS jb
WHERE jb.age_minutes > 60
GO

-- Jobs per priority band and status, with their average age.
CREATE VIEW llm.vw_queue_summary_by_priority AS
SELECT
    jb.priority_band,
    jb.status,
    COUNT(*) AS job_count,
    AVG(jb.age_minutes) AS avg_age_minutes
FROM (
    SELECT
        CASE
            WHEN j.priority >= 200 THEN 'urgent (200+)'
            WHEN j.priority >= 100 THEN 'normal (100-199)'
            WHEN j.priority >= 50 THEN 'backfill (50-99)'
            ELSE 'low (<50)'
        END AS priority_band,
        j.status,
        DATEDIFF(MINUTE, j.created_utc, SYSUTCDATETIME()) AS age_minutes
    FROM llm.job AS j
) AS jb
GROUP BY jb.priority_band, jb.status
GO
