SELECT UPPER(EntityType) AS TypeUpper, COUNT(*) AS N
FROM (
    SELECT EntityType FROM dbo.DimEntity
    UNION ALL
    SELECT LOWER(EntityType) FROM dbo.DimEntity WHERE EntityType = 'PLANET'
) AS t
GROUP BY EntityType
ORDER BY EntityType DESC
