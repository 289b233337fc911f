-- the value of an NVARCHAR column that holds no integer, named as SQL Server names it
SELECT Digits + 1 AS NextDigits
FROM dbo.Sample
WHERE SampleKey = 4
