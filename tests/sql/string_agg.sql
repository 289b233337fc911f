SELECT EntityType,
       STRING_AGG(Name, ', ') WITHIN GROUP (ORDER BY Name) AS Names,
       STRING_AGG(CAST(EntityKey AS NVARCHAR(10)), '|') WITHIN GROUP (ORDER BY EntityKey DESC) AS Keys
FROM dbo.DimEntity
GROUP BY EntityType
ORDER BY EntityType
