/*
 * ============================================================================
 * MODULE 02: Event Timeline
 * ============================================================================
 *
 * OBJECTIVE: Put events in order and count them per work and per participant.
 *
 * SKILLS PRACTICED:
 *   - Aggregating with GROUP BY and HAVING
 *   - Two queries for one question
 *   - Window functions with ROW_NUMBER
 *
 * TABLES USED: learn_events, learn_event_participants
 *
 * DIFFICULTY: Intermediate
 */

-- ============================================================================
-- EXERCISE 1: Busy works
-- ============================================================================
-- GOAL: For every work with more than 50 events, its title and its number of
--       events, the busiest first.
-- HINTS:
--   - HAVING filters groups after GROUP BY
--   - Break ties by WorkTitle
-- TABLES: learn_events
-- Write your query below:



-- ============================================================================
-- EXERCISE 2: Scenes, then events
-- ============================================================================
-- GOAL: First count the distinct scenes of the events, then count the events.
--       Either number answers the exercise.
-- HINTS:
--   - COUNT(DISTINCT SceneKey)
--   - COUNT(*)
-- TABLES: learn_events
-- Write your query below:



-- ============================================================================
-- EXERCISE 3: Who ranks first
-- ============================================================================
-- GOAL: The top-ranked participant of each event, by rank.
-- HINTS:
--   - ROW_NUMBER() OVER (PARTITION BY EventKey ORDER BY ...)
-- TABLES: learn_event_participants
-- Write your query below:


