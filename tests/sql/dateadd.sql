SELECT JobId,
       DATEADD(minute, 30, CreatedUtc) AS PlusMinutes,
       DATEADD(hour, -2, CreatedUtc) AS MinusHours,
       DATEADD(day, 1, CreatedUtc) AS NextDay
FROM llm.job
WHERE JobId = 103
