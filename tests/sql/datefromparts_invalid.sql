-- an impossible date is SQL Server's error, not NULL
SELECT DATEFROMPARTS(2024, 2, 30) AS NoSuchDay
