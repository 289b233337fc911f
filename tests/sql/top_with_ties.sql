-- TOP (n) WITH TIES also returns the rows that tie with the last one kept
SELECT t.Priority, t.JobId
FROM (SELECT TOP (1) WITH TIES Priority, JobId FROM llm.job ORDER BY Priority DESC) AS t
ORDER BY t.JobId
