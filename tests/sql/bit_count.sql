SELECT SUM(CAST(IsActive AS INT)) AS Active,
       SUM(CASE WHEN IsActive = 0 THEN 1 ELSE 0 END) AS Retired
FROM dbo.DimEntity
