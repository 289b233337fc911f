-- SQL Server stops with an error where a division by zero would give NULL elsewhere
SELECT Priority / (Priority - Priority) AS Ratio
FROM llm.job
