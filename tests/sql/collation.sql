-- the default SQL Server collation is case-insensitive
SELECT Name
FROM dbo.DimEntity
WHERE Name = 'luke skywalker' OR Name IN (N'TATOOINE') OR Name LIKE 'han%'
ORDER BY Name
