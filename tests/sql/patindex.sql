-- PATINDEX: where the pattern first matches, 1-based; 0 when it does not; NULL for NULL
SELECT SampleKey, PATINDEX('%[0-9]%', Code) AS FirstDigit, PATINDEX('%[^a-z]%', Label) AS FirstOther,
       PATINDEX('al%', Label) AS StartsAl, PATINDEX('%ma', Label) AS EndsMa
FROM dbo.Sample
ORDER BY SampleKey
