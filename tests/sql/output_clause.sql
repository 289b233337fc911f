-- OUTPUT inserted.* and deleted.* as RETURNING
DELETE FROM llm.job OUTPUT deleted.JobId, deleted.Status WHERE Status = 'failed'
