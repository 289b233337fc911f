UPDATE llm.job
SET Status = ?, Priority = Priority + ?, CompletedUtc = SYSUTCDATETIME()
WHERE JobId = ? AND Status = N'queued'
