-- A table variable and a temporary table; #job does not shadow llm.job or a table named job
DECLARE @picked TABLE (JobId INT, Note NVARCHAR(20));
INSERT INTO @picked (JobId, Note) SELECT JobId, Status FROM llm.job WHERE Priority >= 4;
CREATE TABLE #job (JobId INT);
INSERT INTO #job VALUES (104);
SELECT p.JobId, p.Note + '!' AS Note, (SELECT COUNT(*) FROM #job) AS TempRows
FROM @picked AS p
ORDER BY p.JobId
