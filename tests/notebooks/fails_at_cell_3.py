# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Fails at cell 3
#
# | | |
# |---|---|
# | **Category** | Debug |
# | **Prerequisites** | none |
# | **Last verified** | 2026-01-01 |
#
# Cell 3 (counting from 0, as in the source) raises; the cells before it have output.

# %% tags=["parameters"]
MESSAGE: str = "boom"  # the error message

# %%
print("cell 2 ran")

# %%
raise ValueError(f"{MESSAGE} at cell 3")

# %%
print("never reached")
