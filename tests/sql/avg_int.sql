-- AVG over an integer column is an integer in T-SQL (truncated), e.g. 2.5 -> 2
SELECT Status, AVG(Priority) AS AvgPriority, AVG(CAST(Priority AS FLOAT)) AS AvgExact,
       AVG(DurationMs) AS AvgDurationMs, COUNT(*) AS Jobs
FROM llm.job
GROUP BY Status
ORDER BY Status
