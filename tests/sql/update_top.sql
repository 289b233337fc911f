UPDATE TOP (1) llm.job SET Status = 'cancelled' WHERE Status = 'queued';
SELECT Status, COUNT(*) AS N FROM llm.job WHERE Status IN ('queued', 'cancelled') GROUP BY Status ORDER BY Status
