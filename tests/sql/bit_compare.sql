SELECT Name, IsActive, CAST(0 AS BIT) AS Flag
FROM dbo.DimEntity
WHERE IsActive = 1 AND EntityType = 'Character'
ORDER BY Name
