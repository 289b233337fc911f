/*
 * ============================================================================
 * MODULE 02: Event Timeline - ANSWER KEY
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
-- HAVING keeps the groups whose count passes the bar.
SELECT WorkTitle, COUNT(*) AS Events
FROM learn_events
GROUP BY WorkTitle
HAVING COUNT(*) > 50
ORDER BY COUNT(*) DESC, WorkTitle;

-- ============================================================================
-- EXERCISE 2: Scenes, then events
-- ============================================================================
-- Two statements; a semicolon inside a string does not end one.
SELECT COUNT(DISTINCT SceneKey) AS Scenes
FROM learn_events
WHERE EventSummary <> 'a; b';

SELECT COUNT(*) AS Events
FROM learn_events;

-- ============================================================================
-- EXERCISE 3: Who ranks first
-- ============================================================================
-- This answer names a column the view does not have, so it fails everywhere.
WITH ranked AS (
    SELECT EventKey, ParticipantName,
           ROW_NUMBER() OVER (PARTITION BY EventKey ORDER BY ParticipantRank) AS rn
    FROM learn_event_participants
)
SELECT EventKey, ParticipantName
FROM ranked
WHERE rn = 1;
