SELECT COUNT(*) AS N, COUNT(CompletedUtc) AS Completed, COUNT(DISTINCT Status) AS Statuses,
       COUNT_BIG(*) AS NBig, SUM(Priority) AS TotalPriority
FROM llm.job
