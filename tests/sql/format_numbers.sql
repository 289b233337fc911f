-- FORMAT with .NET numeric format strings, en-US: N (grouping), F, P ("n %"), D (zero-padded
-- integers), C (non-negative amounts), X, and custom patterns; rounding half away from zero
SELECT SampleKey, FORMAT(Amount, 'N2') AS N2, FORMAT(Amount, 'N0') AS N0, FORMAT(Ratio, 'F3') AS F3,
       FORMAT(Score, 'P1') AS P1, FORMAT(SampleKey, 'D4') AS D4, FORMAT(Amount, '#,##0.00') AS Grouped,
       FORMAT(Amount, '0.#') AS OneOptional, FORMAT(SampleKey * 51, 'X') AS Hex,
       FORMAT(ABS(Amount), 'C') AS Currency
FROM dbo.Sample
ORDER BY SampleKey
