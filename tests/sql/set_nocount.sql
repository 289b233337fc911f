SET NOCOUNT ON;
PRINT 'counting jobs';
SELECT COUNT(*) AS N FROM llm.job
