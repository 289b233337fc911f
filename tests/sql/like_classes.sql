-- LIKE character classes, ranges, negation and bracket escapes; Code is VARCHAR, so its
-- trailing blanks are ignored ('ab  ' LIKE 'ab'), while a blank in the pattern counts
SELECT SampleKey,
       CASE WHEN Code LIKE '[ab]%' THEN 1 ELSE 0 END AS SetAB,
       CASE WHEN Code LIKE 'b[[]%' THEN 1 ELSE 0 END AS Bracket,
       CASE WHEN Code LIKE '%[_]%' THEN 1 ELSE 0 END AS Underscore,
       CASE WHEN Code LIKE '[^a]%' THEN 1 ELSE 0 END AS NotA,
       CASE WHEN Code LIKE 'ab' THEN 1 ELSE 0 END AS PlainAB,
       CASE WHEN Code LIKE 'ab ' THEN 1 ELSE 0 END AS BlankInPattern,
       CASE WHEN Label LIKE '%[%]' THEN 1 ELSE 0 END AS Percent,
       CASE WHEN Label LIKE '[A-B]%' THEN 1 ELSE 0 END AS RangeAB,
       CASE WHEN Label NOT LIKE '%[0-9a-z]' THEN 1 ELSE 0 END AS NotEndingAlnum
FROM dbo.Sample
ORDER BY SampleKey
