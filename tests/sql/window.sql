SELECT JobId, EntityKey,
       ROW_NUMBER() OVER (PARTITION BY EntityKey ORDER BY CreatedUtc) AS Attempt,
       RANK() OVER (ORDER BY Priority DESC) AS PriorityRank,
       LAG(Status) OVER (PARTITION BY EntityKey ORDER BY CreatedUtc) AS PreviousStatus,
       SUM(Priority) OVER (PARTITION BY EntityKey) AS EntityPriority
FROM llm.job
ORDER BY JobId
