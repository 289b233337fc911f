-- 'a' is not a number: SQL Server's error names the value and the types
SELECT 'a' + 1 AS A
