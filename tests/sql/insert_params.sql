INSERT INTO llm.job (JobId, EntityKey, Status, Priority, CreatedUtc)
VALUES (?, ?, ?, ?, DATEADD(minute, -5, GETUTCDATE()))
