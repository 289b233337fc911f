DELETE FROM llm.job WHERE Status = ? OR JobId = ?
