# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # String injection
#
# | | |
# |---|---|
# | **Category** | Debug |
# | **Prerequisites** | none |
# | **Last verified** | 2026-01-01 |
#
# Writes the string it received, byte for byte, so a test can compare it with what was sent.

# %% tags=["parameters"]
VALUE: str = ""  # any text; it must arrive unchanged
OUT_FILE: str  # where to write it [required]

# %%
with open(OUT_FILE, "w", encoding="utf-8", newline="") as fh:
    fh.write(VALUE)
