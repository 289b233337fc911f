SELECT N'Żółw ✓' AS Text, LEN(N'Żółw') AS Chars
