-- A CTE that reads itself is recursive in T-SQL without the word RECURSIVE
WITH days AS (
    SELECT CAST('2024-01-01' AS DATE) AS d
    UNION ALL
    SELECT DATEADD(day, 1, d) FROM days WHERE d < '2024-01-04'
)
SELECT COUNT(*) AS N, MAX(d) AS LastDay FROM days
OPTION (MAXRECURSION 10)
