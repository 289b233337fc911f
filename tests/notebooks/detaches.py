# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Detaches
#
# | | |
# |---|---|
# | **Category** | Debug |
# | **Prerequisites** | none |
# | **Last verified** | 2026-01-01 |
#
# Starts two processes that leave the kernel's process group: `sleep` in a session of its
# own, and a daemon that forks twice (so its starter is not its parent) and never execs, so
# its environment in /proc is the kernel's starter's. Writes their ids to PIDS_FILE, then
# sleeps SECONDS.

# %% tags=["parameters"]
PIDS_FILE: str = ""  # where the two process ids are written, one a line
SECONDS: float = 300.0  # how long to sleep once they run [min: 0] [max: 3600]

# %%
import os
import subprocess
import time

# %%
session_child = subprocess.Popen(["sleep", "300"], start_new_session=True)
read_end, write_end = os.pipe()
middle = os.fork()
if middle == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(write_end, f"{os.getpid()}\n".encode())
        time.sleep(300)
    os._exit(0)
os.waitpid(middle, 0)
daemon = int(os.read(read_end, 64).decode())
with open(PIDS_FILE, "w", encoding="utf-8") as fh:
    fh.write(f"{session_child.pid}\n{daemon}\n")

# %%
deadline = time.monotonic() + SECONDS
while time.monotonic() < deadline:
    time.sleep(0.1)
print("done")
