-- TOP (n) PERCENT rounds the row count up: 10 percent of 5 rows is 1 row, 50 percent 3 rows
SELECT 'ten' AS Share, SampleKey FROM (SELECT TOP (10) PERCENT SampleKey FROM dbo.Sample ORDER BY SampleKey) AS a
UNION ALL
SELECT 'half', SampleKey FROM (SELECT TOP 50 PERCENT SampleKey FROM dbo.Sample ORDER BY SampleKey DESC) AS b
ORDER BY Share DESC, SampleKey
