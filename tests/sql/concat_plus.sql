-- + on text is concatenation; NULL + text is NULL, CONCAT treats NULL as ''
SELECT Name + ' (' + EntityType + ')' AS Label,
       CONCAT(Name, '#', EntityKey, [Year]) AS Tag,
       'Year ' + CAST([Year] AS VARCHAR(10)) AS YearLabel,
       EntityKey + 1 AS NextKey
FROM dbo.DimEntity
WHERE EntityKey IN (1, 4)
ORDER BY EntityKey
