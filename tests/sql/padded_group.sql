-- GROUP BY, DISTINCT, COUNT(DISTINCT) and UNION treat 'ab' and 'ab  ' as one value
SELECT 'group' AS Kind, COUNT(*) AS N
FROM (SELECT Code FROM dbo.Sample WHERE Code IS NOT NULL GROUP BY Code) AS g
UNION ALL
SELECT 'distinct', COUNT(*) FROM (SELECT DISTINCT Code FROM dbo.Sample WHERE Code IS NOT NULL) AS d
UNION ALL
SELECT 'count distinct', COUNT(DISTINCT Code) FROM dbo.Sample
UNION ALL
SELECT 'union', COUNT(*)
FROM (SELECT Code FROM dbo.Sample WHERE SampleKey = 1 UNION SELECT Code FROM dbo.Sample WHERE SampleKey = 2) AS u
