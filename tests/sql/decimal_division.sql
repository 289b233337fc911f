-- A decimal quotient is a decimal with SQL Server's scale, max(6, s1 + p2 + 1), rounded
-- half away from zero; an integer literal counts as decimal(digits, 0), an int column as
-- decimal(10, 0)
SELECT CAST(10 AS DECIMAL(10, 2)) / 3 AS A, 1.0 / 3 AS B, Amount / 4 AS C, Score * Amount AS D,
       Amount / SampleKey AS E, 2.0 / 3 AS F, -2.0 / 3 AS G, Amount / 3.0 AS H
FROM dbo.Sample
WHERE SampleKey = 1
