-- Data-type precedence: a string meeting a number converts to the number's type, so '1' + 1
-- is 2 and '10' > 9 compares numbers; two strings concatenate
SELECT '1' + 1 AS A, 1 + '41' AS B, '1' + '1' AS C, 2 * '3' AS D, Digits + 1 AS E,
       SampleKey + Digits AS F, CASE WHEN '10' > 9 THEN 1 ELSE 0 END AS G, N'5' - 2 AS H,
       Label + '!' AS I
FROM dbo.Sample
WHERE SampleKey = 1
