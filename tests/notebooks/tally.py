# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Tally
#
# | | |
# |---|---|
# | **Category** | Debug |
# | **Prerequisites** | none |
# | **Retry safe** | yes |
# | **Last verified** | 2026-01-01 |
#
# Appends one line (the process that started its kernel) to TALLY_DIR/KEY.log, so a test
# can count how often each run was executed; then touches READY_FILE and sleeps SECONDS.

# %% tags=["parameters"]
TALLY_DIR: str = ""  # folder of the tally files; nothing is written when empty
KEY: str = "run"  # which tally file [pattern: ^[a-z0-9_-]+$]
SECONDS: float = 0.0  # how long to sleep after counting [min: 0] [max: 3600]
READY_FILE: str = ""  # touched once the run is counted

# %%
import os
import time

# The kernel is forked from a template process its runner started: the runner is the
# template's parent (field 4 of /proc/<pid>/stat).
with open(f"/proc/{os.getppid()}/stat", encoding="utf-8") as stat:
    RUNNER = stat.read().rsplit(")", 1)[1].split()[1]
if TALLY_DIR:
    with open(os.path.join(TALLY_DIR, f"{KEY}.log"), "a", encoding="utf-8") as fh:
        fh.write(f"{RUNNER}\n")
if READY_FILE:
    open(READY_FILE, "w").close()
deadline = time.monotonic() + SECONDS
while time.monotonic() < deadline:
    time.sleep(0.1)
