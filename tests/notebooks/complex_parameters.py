# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Complex parameters
#
# | | |
# |---|---|
# | **Category** | Analytics |
# | **Tags** | fixture |
# | **Prerequisites** | none |
# | **Last verified** | 2026-01-01 |
#
# Every shape the parameters cell allows, each edge case commented.

# %% tags=["parameters"]
# a comment line on its own is not a parameter
RATIO: float = 0.5  # a float between 0 and 1 [min: 0] [max: 1]
ENABLED: bool = False  # a flag
TAGS: list = ["a", "b"]  # a list default
OPTIONS: dict = {  # a dict spread over lines; the comment sits on the first line
    "depth": 2,
}
LABEL: str = "x # not a comment"  # a '#' inside the default string [pattern: ^[a-z #]+$]
CODE: str = "AB12"  # a code [pattern: ^[A-Z]{2}[0-9]{2}$]
LEVEL: int = 3  # several rules in one bracket [min=1, max=5]
JOB_ID: str  # no default, so it is required
BATCH: int = 10  # has a default but must still be given [required] [min: 1]
MAYBE: str | None = None  # may be null
untyped = 7
NOTE: str = "see [docs]"  # brackets that are not rules [stay] in the text

# %%
print(RATIO, ENABLED, TAGS, OPTIONS, LABEL, CODE, LEVEL, JOB_ID, BATCH, MAYBE, untyped, NOTE)
