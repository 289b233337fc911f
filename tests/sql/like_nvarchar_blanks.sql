-- Label is NVARCHAR: trailing blanks of the value count in LIKE (Unicode matching), though
-- = ignores them; the match is case-insensitive
SELECT SampleKey,
       CASE WHEN Label LIKE 'alpha' THEN 1 ELSE 0 END AS LikeAlpha,
       CASE WHEN Label LIKE 'alpha%' THEN 1 ELSE 0 END AS LikeAlphaAny,
       CASE WHEN Label = 'alpha' THEN 1 ELSE 0 END AS EqualsAlpha
FROM dbo.Sample
WHERE SampleKey IN (1, 2)
ORDER BY SampleKey
