SELECT Status, COUNT(*) AS Jobs,
       SUM(COUNT(*)) OVER () AS AllJobs,
       AVG(COUNT(*)) OVER () AS AvgPerStatus
FROM llm.job
GROUP BY Status
ORDER BY Status
