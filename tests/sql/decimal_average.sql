-- AVG of decimal(p, s) is decimal(38, max(s, 6)); SUM keeps the scale; AVG of a float is a
-- float and of an int an int (NULLs are skipped)
SELECT AVG(Score) AS A, AVG(Amount) AS B, SUM(Amount) AS C, AVG(Ratio) AS D, AVG(SampleKey) AS E
FROM dbo.Sample
