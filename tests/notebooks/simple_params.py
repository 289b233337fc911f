# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Simple parameters
#
# | | |
# |---|---|
# | **Category** | Runbook |
# | **Tags** | fixture, greeting |
# | **Owner** | test-team |
# | **Prerequisites** | none |
# | **Last verified** | 2026-01-01 |
#
# Greets someone a few times and, when OUT_FILE is set, writes what it received as JSON.

# %% tags=["parameters"]
NAME: str = "world"  # who to greet
COUNT: int = 2  # how many greetings [min: 1] [max: 5]
MODE: str = "dry_run"  # what to do [allowed: dry_run|apply]
OUT_FILE: str = ""  # when set, the received values are written there as JSON

# %%
import json
import os

for _ in range(COUNT):
    print(f"hello, {NAME} ({MODE})")

# %%
if OUT_FILE:
    with open(OUT_FILE, "w", encoding="utf-8") as fh:
        json.dump({"NAME": NAME, "COUNT": COUNT, "MODE": MODE,
                   "HOLOCRON_HOME": os.environ.get("HOLOCRON_HOME"), "cwd": os.getcwd()}, fh)
