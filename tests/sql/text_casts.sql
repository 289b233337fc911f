-- A value converted to a string reads as SQL Server's style 0: floats with six significant
-- digits, money with two decimals, datetime as 'Mon dd yyyy hh:miAM', datetime2 with seven
-- fraction digits, bit as 1/0, a uniqueidentifier in upper case; CHAR(n) pads; a datetime
-- keeps 1/300 s, so 23:59:59.999 rounds up to the next day
SELECT CAST(Ratio AS VARCHAR(20)) AS FloatText, CAST(CAST(123456.7 AS FLOAT) AS VARCHAR(20)) AS SixDigits,
       CAST(CAST(Amount AS MONEY) AS VARCHAR(20)) AS MoneyText,
       CAST(CAST(SeenUtc AS DATETIME) AS VARCHAR(30)) AS DatetimeText,
       CAST(SeenUtc AS VARCHAR(30)) AS Datetime2Text, CONCAT('bit ', CAST(1 AS BIT)) AS BitText,
       CAST(CAST(Label AS CHAR(8)) AS VARCHAR(10)) + '|' AS Padded
FROM dbo.Sample
WHERE SampleKey = 4
