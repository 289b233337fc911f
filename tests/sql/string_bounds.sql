-- REPLACE matches case-insensitively (the collation); SUBSTRING counts a start before 1
-- against the length; ROUND keeps the type; POWER and DEGREES of integers are integers
SELECT REPLACE('Skywalker', 'SKY', 'Star') AS Replaced, SUBSTRING('abcdef', 0, 3) AS FromZero,
       SUBSTRING('abc', -1, 3) AS FromMinusOne, ROUND(2.567, 2) AS Rounded,
       ROUND(2.567, 2, 1) AS Truncated, POWER(2, 0.5) AS IntPower, DEGREES(1) AS IntDegrees
