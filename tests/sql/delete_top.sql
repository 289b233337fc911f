DELETE TOP (2) FROM llm.job WHERE Status = 'succeeded';
SELECT COUNT(*) AS Remaining FROM llm.job
