SELECT 7 / 2 AS A, -7 / 2 AS B, Priority / 2 AS HalfPriority, Priority / 2.0 AS HalfExact,
       CAST(Priority AS FLOAT) / 4 AS Quarter, DurationMs / 1000 AS Seconds
FROM llm.job
WHERE JobId = 101
