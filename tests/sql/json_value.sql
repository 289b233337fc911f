SELECT Name,
       JSON_VALUE(AttributesJson, '$.homeworld.name') AS Homeworld,
       JSON_VALUE(AttributesJson, '$.heightCm') AS HeightCm,
       CAST(JSON_VALUE(AttributesJson, '$.heightCm') AS INT) + 1 AS HeightPlusOne
FROM dbo.DimEntity
WHERE EntityType = 'Character'
ORDER BY EntityKey
