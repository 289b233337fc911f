-- Comparisons ignore trailing spaces (SQL Server pads the shorter string): 'ab  ' = 'ab',
-- also through IN, <>, BETWEEN, a simple CASE and a join
SELECT a.SampleKey,
       CASE WHEN a.Code = 'ab' THEN 1 ELSE 0 END AS EqualsAB,
       CASE WHEN a.Code = 'ab   ' THEN 1 ELSE 0 END AS EqualsPadded,
       CASE WHEN a.Label IN ('alpha', 'gamma ') THEN 1 ELSE 0 END AS InList,
       CASE WHEN a.Code <> 'ab' THEN 1 ELSE 0 END AS NotAB,
       CASE WHEN a.Code BETWEEN 'ab' AND 'ab' THEN 1 ELSE 0 END AS BetweenAB,
       CASE a.Label WHEN 'alpha' THEN 'first' ELSE 'other' END AS SimpleCase,
       (SELECT COUNT(*) FROM dbo.Sample AS b WHERE b.Code = a.Code) AS SameCode
FROM dbo.Sample AS a
WHERE a.SampleKey <= 4
ORDER BY a.SampleKey
