CREATE VIEW llm.vJobSummary AS
SELECT Status, COUNT(*) AS Jobs, AVG(Priority) AS AvgPriority
FROM llm.job
GROUP BY Status
GO
SELECT Status, Jobs, AvgPriority FROM llm.vJobSummary ORDER BY Jobs DESC, Status
