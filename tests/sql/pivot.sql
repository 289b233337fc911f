-- PIVOT: the IN list names values, which become the columns
SELECT p.queued, p.succeeded
FROM (SELECT Status, Priority FROM llm.job) AS s
PIVOT (SUM(Priority) FOR Status IN ([queued], [succeeded])) AS p
