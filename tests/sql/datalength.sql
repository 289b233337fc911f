-- DATALENGTH counts bytes of the declared type: one a character for varchar, two for
-- nvarchar, trailing spaces included; fixed sizes for numbers and dates
SELECT SampleKey, DATALENGTH(Code) AS VarcharBytes, DATALENGTH(Label) AS NvarcharBytes,
       DATALENGTH(SampleKey) AS IntBytes, DATALENGTH(Amount) AS DecimalBytes,
       DATALENGTH(SeenUtc) AS Datetime2Bytes, DATALENGTH('ab ') AS LiteralBytes,
       DATALENGTH(N'ab ') AS NationalBytes
FROM dbo.Sample
ORDER BY SampleKey
