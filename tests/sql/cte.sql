WITH counts AS (
    SELECT EntityKey, COUNT(*) AS Jobs
    FROM llm.job
    GROUP BY EntityKey
)
SELECT e.Name, c.Jobs
FROM counts AS c
JOIN dbo.DimEntity AS e ON e.EntityKey = c.EntityKey
WHERE c.Jobs > 1
ORDER BY e.Name
