# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Records
#
# | | |
# |---|---|
# | **Category** | Analytics |
# | **Prerequisites** | none |
# | **Last verified** | 2026-01-01 |
#
# Records named results: a count recorded twice (the last value stands), a label, a NumPy
# scalar and a small dict; raises afterwards when FAIL is set, so a test can see that what
# was recorded before the failure is kept.

# %% tags=["parameters"]
ITEMS: int = 3  # how many items to "process" [min: 0] [max: 100]
LABEL: str = "batch"  # recorded as it is
FAIL: bool = False  # raise after recording

# %%
import numpy as np

from holocron_lib import record

record("items_processed", ITEMS)
record("label", LABEL)
record("items_processed", ITEMS * 2)  # a repeated name keeps the last value
record("mean_square", np.mean(np.arange(ITEMS) ** 2) if ITEMS else None)
record("summary", {"label": LABEL, "squares": [i * i for i in range(ITEMS)]})

# %%
if FAIL:
    raise RuntimeError(f"failed after recording {ITEMS * 2} items")
