-- FORMAT with .NET date format strings, en-US: custom patterns and the standard 'd' and 'D'
SELECT SampleKey, FORMAT(SeenUtc, 'yyyy-MM-dd') AS Iso, FORMAT(SeenUtc, 'dd/MM/yyyy HH:mm') AS DayFirst,
       FORMAT(SeenUtc, 'MMM d, yyyy h:mm tt') AS Short, FORMAT(SeenUtc, 'd') AS StandardShort,
       FORMAT(SeenUtc, 'D') AS StandardLong, FORMAT(SeenUtc, 'HH:mm:ss.fff') AS Millis,
       FORMAT(SeenUtc, '''Q''yy-M') AS Quoted
FROM dbo.Sample
WHERE SampleKey <= 4
ORDER BY SampleKey
