# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # SQL exercises companion
#
# | | |
# |---|---|
# | **Category** | Learning |
# | **Prerequisites** | {doc}`01_hello_pipeline`; basic SQL (SELECT, WHERE) |
# | **Last verified** | 2026-11-24 |
#
# Twelve graded T-SQL exercises on the learning views (`learn_*`) and the semantic views
# (`sem.vw_*`), from warm-ups to window functions. For each one: read the task, try a query
# in the cell below it, and run `check` to see whether your rows match. Hints and the answer
# are folded: open them only when you need them.
#
# The queries are T-SQL, the dialect of the production SQL Server; on the embedded database
# the same text is translated for you. The first few cells hold sample attempts, some of
# them wrong on purpose, to show what the checker says.

# %% tags=["parameters"]
SHOW_ANSWER_ROWS: int = 5  # rows of each expected result to show after checking [min: 0] [max: 50]

# %%
from holocron_lib import connect, show
from holocron_lib.notebook.exercises import EXERCISES, answer_table, check, present

db = connect()
print(f"{len(EXERCISES)} exercises; backend: {db.backend}")

# %% [markdown]
# ## Exercise 1

# %%
present(1)

# %% [markdown]
# A first attempt with no ORDER BY: which ten rows come back is up to the engine. Add the order and check again.

# %%
attempt = db.query("""
SELECT TOP (10) CharacterName, Species FROM learn_characters
""")
show(attempt, max_rows=5)

# %%
check(db, 1, attempt)

# %%
answer_table(db, 1, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## Exercise 2

# %%
present(2)

# %% [markdown]
# A correct attempt, to show what success looks like.

# %%
attempt = db.query("""
SELECT WorkType, COUNT(*) AS Works FROM sem.vw_work GROUP BY WorkType ORDER BY COUNT(*) DESC, WorkType
""")
show(attempt, max_rows=5)

# %%
check(db, 2, attempt)

# %%
answer_table(db, 2, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## Exercise 3

# %%
present(3)

# %% [markdown]
# Close: the missing genders still show as empty. Wrap Gender in ISNULL.

# %%
attempt = db.query("""
SELECT Gender, COUNT(*) AS Characters FROM learn_characters GROUP BY Gender
""")
show(attempt, max_rows=5)

# %%
check(db, 3, attempt)

# %%
answer_table(db, 3, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## Exercise 4

# %%
present(4)

# %% [markdown]
# Note the capital T: it still matches every case, as on SQL Server.

# %%
attempt = db.query("""
SELECT LocationName, LocationType FROM learn_locations WHERE LocationName LIKE 'Tat%'
""")
show(attempt, max_rows=5)

# %%
check(db, 4, attempt)

# %%
answer_table(db, 4, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## Exercise 5

# %%
present(5)

# %% [markdown]
# COUNT(*) counts participations, and an entity can hold two roles in one event.

# %%
attempt = db.query("""
SELECT TOP (5) ParticipantName, COUNT(*) AS Events FROM learn_event_participants GROUP BY ParticipantName ORDER BY COUNT(*) DESC, ParticipantName
""")
show(attempt, max_rows=5)

# %%
check(db, 5, attempt)

# %%
answer_table(db, 5, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## Exercise 6

# %%
present(6)

# %% [markdown]
# A starting point that runs: change the query until the check says it matches.

# %%
attempt = db.query("""
SELECT TOP (5) ClaimKey, Predicate, ConfidenceScore FROM learn_claims
""")
show(attempt, max_rows=5)

# %%
check(db, 6, attempt)

# %%
answer_table(db, 6, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## Exercise 7

# %%
present(7)

# %% [markdown]
# A starting point that runs: change the query until the check says it matches.

# %%
attempt = db.query("""
SELECT TOP (5) WorkTitle, WorkCode, EventType FROM learn_events
""")
show(attempt, max_rows=5)

# %%
check(db, 7, attempt)

# %%
answer_table(db, 7, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## Exercise 8

# %%
present(8)

# %% [markdown]
# A starting point that runs: change the query until the check says it matches.

# %%
attempt = db.query("""
SELECT TOP (5) CharacterName, EntityKey FROM learn_characters
""")
show(attempt, max_rows=5)

# %%
check(db, 8, attempt)

# %%
answer_table(db, 8, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## Exercise 9

# %%
present(9)

# %% [markdown]
# A starting point that runs: change the query until the check says it matches.

# %%
attempt = db.query("""
SELECT TOP (5) WorkTitle, SceneName, COUNT(*) AS Events FROM learn_events GROUP BY WorkTitle, SceneName
""")
show(attempt, max_rows=5)

# %%
check(db, 9, attempt)

# %%
answer_table(db, 9, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## Exercise 10

# %%
present(10)

# %% [markdown]
# A starting point that runs: change the query until the check says it matches.

# %%
attempt = db.query("""
SELECT TOP (5) WorkTitle, SceneNumber, EventNumber, EventType FROM learn_events
""")
show(attempt, max_rows=5)

# %%
check(db, 10, attempt)

# %%
answer_table(db, 10, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## Exercise 11

# %%
present(11)

# %% [markdown]
# A starting point that runs: change the query until the check says it matches.

# %%
attempt = db.query("""
SELECT TOP (5) Severity, Status, IssueSummary FROM learn_continuity_issues
""")
show(attempt, max_rows=5)

# %%
check(db, 11, attempt)

# %%
answer_table(db, 11, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## Exercise 12

# %%
present(12)

# %% [markdown]
# A starting point that runs: change the query until the check says it matches.

# %%
attempt = db.query("""
SELECT TOP (5) WorkTitle, ReleaseDate, YEAR(ReleaseDate) AS ReleaseYear FROM sem.vw_work
""")
show(attempt, max_rows=5)

# %%
check(db, 12, attempt)

# %%
answer_table(db, 12, max_rows=SHOW_ANSWER_ROWS)  # the rows to aim for; the SQL stays folded above

# %% [markdown]
# ## What you practised
#
# `TOP` and `ORDER BY`, `GROUP BY` with `COUNT`, `ISNULL`, `LIKE` under a case-insensitive
# collation, `CASE`, joins, `NOT EXISTS`, common table expressions, window functions
# (`SUM() OVER`, `ROW_NUMBER()`), `STRING_AGG` and integer division: the shapes most
# Holocron queries are made of.

# %%
db.close()
