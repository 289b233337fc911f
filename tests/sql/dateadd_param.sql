SELECT DATEADD(day, ?, CreatedUtc) AS Shifted FROM llm.job WHERE JobId = ?
