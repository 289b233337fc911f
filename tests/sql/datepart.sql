SELECT DATEPART(year, CreatedUtc) AS Y, DATEPART(month, CreatedUtc) AS M,
       DATEPART(day, CreatedUtc) AS D, DATEPART(hour, CreatedUtc) AS H,
       DATEPART(weekday, CreatedUtc) AS Wd, YEAR(CreatedUtc) AS Y2, MONTH(CreatedUtc) AS M2
FROM llm.job
WHERE JobId = 104
