# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # No parameters
#
# | | |
# |---|---|
# | **Category** | Exploration |
# | **Prerequisites** | none |
# | **Last verified** | 2026-01-01 |
#
# A notebook without a parameters cell still runs.

# %%
total = sum(range(10))
print(total)
