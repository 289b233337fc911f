-- Local variables of a batch: DECLARE with and without a value, SET (also +=), SELECT @v = ...
-- FROM (the last row's value; no row leaves the value as it was); a value converts to the
-- declared type (2.9 into an INT is 2, a string is cut to the declared length)
DECLARE @top INT = 2.9, @label NVARCHAR(4) = N'queue-health', @missing INT;
DECLARE @entity INT = 99;
SET @top += 1;
SELECT @entity = EntityKey FROM llm.job WHERE Status = 'succeeded' ORDER BY JobId;
SELECT @missing = EntityKey FROM llm.job WHERE Status = 'no such status';
SELECT TOP (@top) JobId, @label AS Label, @entity AS LastEntity, @missing AS Missing
FROM llm.job
ORDER BY JobId
