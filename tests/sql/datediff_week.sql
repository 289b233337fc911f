-- DATEDIFF(WEEK, ...) counts Sunday boundaries, whatever the weekday of either date
SELECT DATEDIFF(week, '2024-01-06', '2024-01-07') AS SatToSun,
       DATEDIFF(week, '2024-01-07', '2024-01-13') AS SunToSat,
       DATEDIFF(wk, CreatedUtc, '2024-01-21') AS ToLaterSunday
FROM llm.job
WHERE JobId = 106
