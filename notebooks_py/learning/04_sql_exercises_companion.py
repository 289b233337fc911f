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
# | **Last verified** | 2026-12-01 |
#
# Graded T-SQL exercises on the learning views (`learn_*`), from warm-ups to window
# functions. For each one: read the goal, open a hint when you need it, and keep the answer
# folded until you have tried. The last section is yours: write a query, run it, and the
# check says whether your rows match the answer's on this database.
#
# With `HOLOCRON_LESSONS_DIR` pointing at a Holocron checkout's `docs/lessons/` folder (see
# {doc}`../../book/configuration`), the exercises are that checkout's lesson modules, read
# where they are: module, goal, hints, tables and answer key. An answer key that fails on
# this database is marked *broken* for its exercise, and the page carries on. Without the
# setting, the page uses its twelve bundled exercises, each with a sample attempt (some
# wrong on purpose, to show what the checker says).
#
# The queries are T-SQL, the dialect of the production SQL Server; on the embedded database
# the same text is translated for you.

# %% tags=["parameters"]
MODULE: int = 0  # lesson module to work through (1-10 for a checkout's lessons); 0 presents every module [min: 0] [max: 99]
SHOW_ANSWER_ROWS: int = 5  # rows of each expected result to show, folded [min: 0] [max: 50]

# %%
from holocron_lib import connect, load_settings, show
from holocron_lib.notebook import companion
from holocron_lib.notebook.exercises import load_exercises

db = connect()
exercises = load_exercises(load_settings().lessons_dir)
print(f"{exercises.summary()}; backend: {db.backend}")
show(exercises.index(), title="Modules")

# %% [markdown]
# ## The exercises

# %%
report = companion.walk_through(db, exercises, module=MODULE, answer_rows=SHOW_ANSWER_ROWS)

# %% [markdown]
# ## Answers that do not run here
#
# An exercise whose answer key fails on this database (a column the view lacks, say) is
# listed here; its goal and hints still stand, but the check cannot judge an attempt.

# %%
show(companion.broken(report), title="Broken answers", max_rows=20, max_cell_chars=120)

# %% [markdown]
# ## Your turn
#
# Replace the query below with your answer to the first exercise presented above, run the
# cell, then run the check. The starting query only shows what the table holds.

# %%
exercise = exercises.exercises(MODULE)[0]
attempt = db.query(companion.starter_query(exercise))
show(attempt, max_rows=5, title=f"Your attempt at exercise {exercise.key}")

# %%
companion.check(db, exercise, attempt)

# %% [markdown]
# ## What the bundled set practises
#
# `TOP` and `ORDER BY`, `GROUP BY` with `COUNT`, `ISNULL`, `LIKE` under a case-insensitive
# collation, `CASE`, joins, `NOT EXISTS`, common table expressions, window functions
# (`SUM() OVER`, `ROW_NUMBER()`), `STRING_AGG` and integer division: the shapes most
# Holocron queries are made of.

# %%
db.close()
