SELECT EntityKey FROM dbo.DimEntity WHERE EntityGuid = ? OR EntityGuid = ? ORDER BY EntityKey
