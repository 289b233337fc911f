-- A pattern given as a parameter keeps T-SQL's classes
SELECT SampleKey
FROM dbo.Sample
WHERE Label LIKE ?
ORDER BY SampleKey
