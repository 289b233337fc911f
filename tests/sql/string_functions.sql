SELECT LEN(Name) AS Len, CHARINDEX(' ', Name) AS SpaceAt, CHARINDEX('z', Name) AS Missing,
       SUBSTRING(Name, 1, 4) AS First4, LEFT(Name, 3) AS L3, RIGHT(Name, 3) AS R3,
       UPPER(Name) AS U, LOWER(Name) AS Lo, LTRIM('  x ') + '|' AS Lt, RTRIM(' x  ') + '|' AS Rt,
       TRIM('  x  ') AS T, LEN('ab  ') AS LenTrailing, REPLACE(Name, ' ', '_') AS Underscored
FROM dbo.DimEntity
WHERE EntityKey = 1
