SELECT EntityKey, ISNULL([Year], 0) AS YearOrZero, COALESCE(AttributesJson, N'none') AS Attrs
FROM dbo.DimEntity
WHERE EntityKey IN (3, 4)
ORDER BY EntityKey
