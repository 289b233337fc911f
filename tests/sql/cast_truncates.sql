-- A cast to an integer type truncates toward zero (DuckDB rounds), also over column
-- expressions; a string must hold an integer ('1.5' is no int: TRY_CONVERT gives NULL)
SELECT CAST(2.7 AS INT) AS A, CAST(-2.7 AS INT) AS B, CONVERT(INT, 9.99) AS C,
       CAST(CAST(2.5 AS FLOAT) AS INT) AS D, CAST(Amount AS INT) AS E, CAST(Ratio AS BIGINT) AS F,
       CAST(Amount * 1.5 AS SMALLINT) AS G, TRY_CAST(Score * 10 AS INT) AS H,
       CAST('42' AS INT) AS I, CAST(Digits AS INT) AS J, TRY_CONVERT(INT, '1.5') AS K,
       CAST(-0.5 AS INT) AS L
FROM dbo.Sample
WHERE SampleKey = 2
