-- TOP (?) comes before the WHERE marker in the text but after it in DuckDB's LIMIT
SELECT TOP (?) JobId, Status
FROM llm.job
WHERE Status <> ?
ORDER BY JobId
