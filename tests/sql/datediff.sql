-- SQL Server counts boundaries crossed: 10:59:59 -> 11:00:01 is one minute and one hour
SELECT JobId,
       DATEDIFF(SECOND, CreatedUtc, CompletedUtc) AS Secs,
       DATEDIFF(MINUTE, CreatedUtc, CompletedUtc) AS Mins,
       DATEDIFF(HOUR, CreatedUtc, CompletedUtc) AS Hrs,
       DATEDIFF(DAY, CreatedUtc, CompletedUtc) AS Days
FROM llm.job
WHERE CompletedUtc IS NOT NULL
ORDER BY JobId
