-- STUFF, REPLICATE and CHOOSE give NULL where SQL Server does; DATEFROMPARTS; TRY_CAST and
-- TRY_CONVERT give NULL for what CAST would refuse ('x', '1.5' as int, month 13)
SELECT STUFF('abcdef', 2, 3, 'XY') AS Stuffed, STUFF('abc', 5, 1, 'x') AS StuffPastEnd,
       STUFF('abc', 2, 10, NULL) AS StuffDelete, REPLICATE('ab', 3) AS Replicated,
       REPLICATE('ab', -1) AS ReplicateNegative, CHOOSE(2, 'a', 'b', 'c') AS Chosen,
       CHOOSE(4, 'a', 'b') AS ChoseNone, DATEFROMPARTS(2024, 2, 29) AS LeapDay,
       TRY_CAST('12' AS INT) AS TryInt, TRY_CAST('x' AS INT) AS TryBad,
       TRY_CONVERT(INT, '1.5') AS TryFraction, TRY_CONVERT(DATE, '2024-13-01') AS TryMonth13
