# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Slow
#
# | | |
# |---|---|
# | **Category** | Debug |
# | **Prerequisites** | none |
# | **Last verified** | 2026-01-01 |
#
# Sleeps in small steps, for time limits and interrupted runners. Touches READY_FILE (when
# set) once it is running.

# %% tags=["parameters"]
SECONDS: float = 30.0  # how long to sleep [min: 0] [max: 3600]
READY_FILE: str = ""  # touched when the sleeping cell starts

# %%
import time

# %%
if READY_FILE:
    open(READY_FILE, "w").close()
deadline = time.monotonic() + SECONDS
while time.monotonic() < deadline:
    time.sleep(0.1)
print("done")
