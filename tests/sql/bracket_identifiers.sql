SELECT [e].[Name], [e].[Year]
FROM [dbo].[DimEntity] AS [e]
WHERE [e].[Year] IS NOT NULL
ORDER BY [e].[Year] DESC, [Name]
