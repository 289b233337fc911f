SELECT e.Name, j.JobId, j.Status
FROM dbo.DimEntity AS e
OUTER APPLY (
    SELECT TOP (1) x.JobId, x.Status
    FROM llm.job AS x
    WHERE x.EntityKey = e.EntityKey
    ORDER BY x.CreatedUtc DESC
) AS j
ORDER BY e.Name
