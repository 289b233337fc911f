SELECT Name, IIF(IsActive = 1, 'active', 'retired') AS State
FROM dbo.DimEntity
WHERE EntityType = 'Character'
ORDER BY Name
