-- DATENAME: names for month and weekday, unpadded numbers otherwise; DATEPART(week) counts
-- from the week of January 1 (Sunday first); DATEPART(millisecond) is within the second
SELECT SampleKey, DATENAME(month, SeenUtc) AS MonthName, DATENAME(weekday, SeenUtc) AS DayName,
       DATENAME(day, SeenUtc) AS DayNumber, DATENAME(year, SeenUtc) AS YearText,
       DATEPART(week, SeenUtc) AS Week, DATEPART(millisecond, SeenUtc) AS Millisecond,
       DATENAME(quarter, '2024-05-01') AS QuarterOfLiteral
FROM dbo.Sample
WHERE SampleKey <= 4
ORDER BY SampleKey
