# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Echo runbook
#
# | | |
# |---|---|
# | **Category** | Runbook |
# | **Tags** | ops, fixture |
# | **Owner** | platform |
# | **Prerequisites** | none |
# | **Last verified** | 2026-01-01 |
#
# A runbook in a folder: its name has a slash and its output file name turns it into `__`.

# %% tags=["parameters"]
MODE: str = "dry_run"  # dry_run shows the plan; apply would change things [allowed: dry_run|apply]
TARGET: str  # what to act on [pattern: ^[a-z0-9_]+$]

# %%
print(f"{MODE}: {TARGET}")
