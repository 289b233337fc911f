# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A draft
#
# Names starting with an underscore are not registered.

# %%
print("draft")
