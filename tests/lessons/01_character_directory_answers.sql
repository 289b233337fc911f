/*
 * ============================================================================
 * MODULE 01: Character Directory - ANSWER KEY
 * ============================================================================
 *
 * OBJECTIVE:
 *   Read one learning view the way a directory reads: pick columns, sort them,
 *   and keep only the rows you want.
 *
 * SKILLS PRACTICED:
 *   - Choosing columns with SELECT
 *   - Limiting rows with TOP and ORDER BY
 *   - Filtering with WHERE
 *
 * TABLES USED: learn_characters
 *
 * DIFFICULTY: Beginner
 */

-- ============================================================================
-- EXERCISE 1: The first ten names
-- ============================================================================
-- TOP keeps ten rows; ORDER BY decides which ten.
SELECT TOP (10) CharacterName, Species
FROM learn_characters
ORDER BY CharacterName;
-- Comment: without ORDER BY the engine may return any ten rows.

/* VARIATIONS:
   SELECT TOP (10) CharacterName FROM learn_characters ORDER BY CharacterName DESC;
*/

-- ============================================================================
-- EXERCISE 2: Characters per gender
-- ============================================================================
-- A NULL gender forms its own group.
SELECT Gender, COUNT(*) AS Characters
FROM learn_characters
GROUP BY Gender;

-- ============================================================================
-- EXERCISE 3: Nobody from nowhere
-- ============================================================================
-- The filter matches no row on most seed sets.
SELECT CharacterName, Species
FROM learn_characters
WHERE Species = 'Unlisted Species';
