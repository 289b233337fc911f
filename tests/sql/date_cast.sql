SELECT JobId,
       CAST(CreatedUtc AS DATE) AS CreatedDate,
       CONVERT(DATE, CompletedUtc) AS CompletedDate,
       CAST('2024-01-02 03:04:05' AS DATETIME2) AS Fixed,
       CONVERT(VARCHAR(10), CreatedUtc, 23) AS Iso,
       CONVERT(VARCHAR(19), CreatedUtc, 120) AS Odbc,
       CONVERT(VARCHAR(10), CreatedUtc, 120) AS OdbcDate
FROM llm.job
WHERE JobId IN (103, 104)
ORDER BY JobId
