SELECT TOP (2) Name
FROM dbo.DimEntity
ORDER BY EntityKey DESC;
