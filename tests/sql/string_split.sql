SELECT e.EntityKey, s.value AS Part
FROM dbo.DimEntity AS e
CROSS APPLY STRING_SPLIT(e.Name, ' ') AS s
WHERE e.EntityType = 'Character'
ORDER BY e.EntityKey, s.value
