/*
 * ============================================================================
 * MODULE 01: Character Directory
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
-- GOAL: List the first ten characters in alphabetical order of their name,
--       with their species.
-- HINTS:
--   - TOP (10) goes right after SELECT
--   - Sort by CharacterName
-- TABLES: learn_characters
-- Write your query below:



-- ============================================================================
-- EXERCISE 2: Characters per gender
-- ============================================================================
-- GOAL: Count the characters of each gender.
-- HINTS:
--   - GROUP BY the column you count by
-- TABLES: learn_characters
-- Write your query below:



-- ============================================================================
-- EXERCISE 3: Nobody from nowhere
-- ============================================================================
-- GOAL: Find the characters whose species is 'Unlisted Species'. There may be
--       none: an empty result is an answer too.
-- HINTS:
--   - Compare with = and a quoted string
-- TABLES: learn_characters
-- Write your query below:


