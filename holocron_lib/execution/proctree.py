"""Ending a kernel together with every process it started, wherever those went.

A notebook may start processes that leave the kernel's process group: a child in its own
session (``setsid``, ``start_new_session=True``) or a daemon that forks twice so that it
is re-parented away from its starter. Killing the kernel's group misses them all. Two
marks keep them findable, and neither can reach a process that is not the run's:

- **Subreaper.** Every forked kernel, and the template it is forked from, is a Linux *child
  subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``): a process orphaned below it is re-parented
  to it instead of to init. So while a kernel lives, everything it started is in its own
  tree, whatever session or group it chose; when it dies, the leftovers land in the template,
  which starts no process of its own, so any child there that is not a kernel is an orphan of
  a kernel and is ended at once. No per-process bookkeeping, no cgroup (which would need a
  delegated hierarchy that containers and CI runners seldom grant).
- **Marker.** Every kernel's environment carries ``HOLOCRON_KERNEL_TOKEN``, a token of its
  own that every program it starts inherits. It finds what a kernel started the standard
  way (not forked from a template, so no subreaper) left behind; a process's ``environ``
  is read from ``/proc``, for processes of the same user only.

A tree is ended by freezing it first (SIGSTOP, again until no new process appears, so
nothing forks while it is walked), then SIGKILL to each process (psutil checks that a
number still names the process it named, so a reused pid is never hit).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys

import psutil

__all__ = ["MARKER", "become_subreaper", "end_orphans", "end_tree", "marked_processes"]

MARKER = "HOLOCRON_KERNEL_TOKEN"
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def become_subreaper() -> bool:
    """Make this process the reaper of orphans below it (Linux); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _scan(token: str | None, *, any_token: bool = False) -> tuple[dict[int, int], set[int]]:
    """One pass over ``/proc``: every process's parent, and the processes whose environment
    sets ``MARKER`` to ``token`` (to anything with ``any_token``)."""
    parents: dict[int, int] = {}
    marked: set[int] = set()
    entry = f"{MARKER}={token}".encode() if token else None
    prefix = f"{MARKER}=".encode()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        pid = int(name)
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                parents[pid] = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):  # gone meanwhile
            continue
        if entry is None and not any_token:
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as fh:
                items = fh.read().split(b"\0")
        except OSError:  # gone, or another user's
            continue
        if any(item == entry if entry else item.startswith(prefix) for item in items):
            marked.add(pid)
    return parents, marked


def marked_processes(token: str | None = None) -> list[int]:
    """Processes whose environment carries ``MARKER`` (set to ``token``, or to anything)."""
    return sorted(_scan(token, any_token=token is None)[1])


def _below(roots: set[int], parents: dict[int, int]) -> set[int]:
    """``roots`` and every process below them, by the parent links of one scan."""
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, todo = set(), [r for r in roots if r in parents]
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, ()))
    return found


def _freeze_and_kill(roots: set[int], token: str | None) -> int:
    """Stop ``roots``, everything below them and the processes marked ``token``, again until
    no new one appears (so nothing forks unseen), then kill them all; returns how many."""
    me = psutil.Process()
    spared = {me.pid, *(p.pid for p in _quietly(me.parents, []))}
    frozen: dict[int, psutil.Process | None] = {}
    for _ in range(100):
        parents, marked = _scan(token)
        new = (_below(roots | set(frozen) | marked, parents)) - set(frozen) - spared
        if not new:
            break
        for pid in sorted(new):
            process = frozen[pid] = _quietly(psutil.Process, None, pid)  # None: gone already
            if process is not None:
                _quietly(process.suspend, None)
    killed = 0
    for process in frozen.values():
        # psutil refuses a pid that names another process by now
        if process is not None and _quietly(process.kill, False) is None:
            killed += 1
    return killed


def _quietly(call, default, *args):
    try:
        return call(*args)
    except psutil.Error:
        return default


def end_tree(pid: int | None, token: str | None = None) -> int:
    """End process ``pid`` (a kernel), its process group, everything below it and every
    process carrying ``token``; returns how many processes were killed. Either may be
    None: a kernel already gone leaves only its marker to go by."""
    killed = _freeze_and_kill({pid} if pid else set(), token)
    if pid:
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)  # the group it leads: what a freeze may have missed
    return killed


def end_orphans(kernels: set[int]) -> int:
    """In a subreaper that starts nothing but ``kernels``: end every other child (an orphan
    of a kernel that ended) with what is below it; returns how many were killed."""
    me = os.getpid()
    parents, _ = _scan(None)
    orphans = {pid for pid, parent in parents.items()
               if parent == me and pid not in kernels and not _zombie(pid)}
    return _freeze_and_kill(orphans, None) if orphans else 0


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return True
