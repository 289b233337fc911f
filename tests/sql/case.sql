SELECT JobId,
       CASE Status WHEN 'succeeded' THEN 'ok' WHEN 'failed' THEN 'error' ELSE 'pending' END AS Outcome,
       CASE WHEN DurationMs IS NULL THEN NULL WHEN DurationMs >= 60000 THEN 'slow' ELSE 'fast' END AS Speed
FROM llm.job
ORDER BY JobId
