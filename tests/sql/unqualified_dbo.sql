SELECT Name FROM DimEntity WHERE EntityKey = 2
