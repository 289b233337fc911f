"""The template process that real ipykernel kernels are forked from, imports already done.

A fresh kernel spends about two seconds before a notebook's first cell does any work: the
interpreter, ipykernel, then pandas, matplotlib, DuckDB and sqlglot. This process pays that
once: it imports those modules (nothing else: no kernel, no shell, no event loop, no thread)
while it listens on a Unix socket, one module at a time between requests, so a request that
comes before they are all done is not kept waiting. Each request names a connection file, a
working folder and an environment; the process forks, and the child becomes an ordinary ``IPKernelApp`` on that
connection file, in its own session, as ``python -m ipykernel_launcher -f FILE`` would.
Every kernel is a process no other notebook has used. The template reaps each child and
sends its exit code on the request's connection; it ends, killing its kernels, when its
standard input closes (the process that started it is gone), and on SIGUSR1 it forks no
more and ends once its kernels have; on SIGUSR2 it stops importing (every kernel it will
fork has been asked for).

The template and every kernel are child subreapers (``proctree.py``): whatever a notebook
starts stays below its kernel, in a session of its own or forked twice; what a kernel leaves
when it ends is re-parented here and killed before the kernel's exit is reported.

    python -m holocron_lib.execution.template SOCKET_PATH
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import selectors
import signal
import socket
import sys
import time

from holocron_lib.execution import proctree

ORPHAN_SWEEP_SECONDS = 5.0  # a safety net: orphans are ended as their kernel is reaped

# What every notebook would import anyway. matplotlib's inline backend is left out on
# purpose: importing it registers the chart hooks with the running shell, which only the
# kernel has.
# In order: what every kernel needs to start first, so that a kernel asked for before the
# imports are done (see serve) has what it can share.
PRELOAD = (
    "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel",
    # what IPKernelApp.initialize() imports (the debugger's pydevd, the shell's history store)
    "ipykernel.debugger", "IPython.core.debugger", "IPython.core.completerlib",
    "IPython.extensions.storemagic", "psutil", "sqlite3",
    "numpy", "pandas", "duckdb", "sqlglot",
    "holocron_lib.db.connection", "holocron_lib.db.embedded", "holocron_lib.tsql.translate",
    "matplotlib", "matplotlib.pyplot", "holocron_lib.notebook.display",
)


def _import(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False  # it loads later, where it is used, or fails there with its own error
    return True


def preload() -> list[str]:
    """Import PRELOAD; returns the modules that could not be imported (they load later)."""
    return [name for name in PRELOAD if not _import(name)]


def _become_kernel(request: dict, template_cwd: str) -> None:
    """In the forked child: turn into an ipykernel kernel; never returns."""
    os.setsid()  # its own process group, so an interrupt or a kill reaches what it starts
    proctree.become_subreaper()  # and what leaves the group stays below it
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGUSR1,
                   signal.SIGUSR2):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    log = request.get("log")
    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600) if log else null
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    # As ipykernel_launcher does: the launcher's folder leaves sys.path, and the shell puts
    # the kernel's working folder back when it starts.
    if sys.path and sys.path[0] in ("", template_cwd):
        del sys.path[0]
    # ipykernel's own parent watch: should the template be killed outright (SIGKILL of the
    # process group it runs in), the kernel, in a session of its own, ends too.
    argv = [*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"]
    sys.argv = ["ipykernel_launcher", *argv]
    from ipykernel.kernelapp import IPKernelApp  # lazy: preloaded, so this costs nothing

    IPKernelApp.launch_instance(argv=argv)
    raise SystemExit(0)  # a normal interpreter exit: atexit handlers and finalizers run


def serve(socket_path: str) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)  # bound before the imports: early requests wait in the backlog
    listener.listen(64)
    proctree.become_subreaper()  # a dead kernel's leftovers come here, to be ended
    # The imports run one module at a time between requests: a kernel asked for before they
    # are done is forked at once with what is imported so far, and imports the rest it uses
    # itself, as a standard kernel would (an edited notebook need not wait for the charts).
    to_import = list(PRELOAD)
    template_cwd = os.getcwd()
    children: dict[int, socket.socket] = {}
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin, selectors.EVENT_READ, "stdin")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the starting process decides when to stop
    signal.signal(signal.SIGTERM, lambda *_: _stop(children))
    # Retired (the library changed under it): fork no more, end when its kernels have.
    retiring: list[bool] = []
    signal.signal(signal.SIGUSR1, lambda *_: retiring.append(True))
    # Every kernel it will fork has been asked for: the imports left would serve none.
    enough: list[bool] = []
    signal.signal(signal.SIGUSR2, lambda *_: enough.append(True))
    swept = time.monotonic()
    while True:
        if retiring:
            if listener.fileno() != -1:
                selector.unregister(listener)
                listener.close()
            if not children:
                os._exit(0)
        if enough:
            to_import.clear()
        events = selector.select(timeout=0 if to_import else 0.05)
        if to_import and not events:
            _import(to_import.pop(0))
        for key, _ in events:
            if key.data == "stdin":
                if not os.read(sys.stdin.fileno(), 4096):
                    _stop(children)
            elif key.data == "accept":
                conn, _ = listener.accept()
                request = json.loads(conn.makefile("r", encoding="utf-8").readline())
                # What was imported stays put: the collector never walks it again, so a
                # forked kernel does not copy those pages just by collecting garbage.
                gc.freeze()
                pid = os.fork()
                if pid == 0:
                    selector.close()
                    listener.close()
                    for other in children.values():
                        other.close()
                    conn.close()
                    _become_kernel(request, template_cwd)
                children[pid] = conn
                conn.sendall(f"{pid}\n".encode())
        _reap(children)
        if time.monotonic() - swept >= ORPHAN_SWEEP_SECONDS:
            proctree.end_orphans(set(children))
            swept = time.monotonic()


def _reap(children: dict[int, socket.socket]) -> None:
    """Collect every ended child: a kernel's exit is reported once the orphans it left
    here are killed, so whoever waits for a kernel finds nothing of its run left."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is not None:
            proctree.end_orphans(set(children))
            try:
                conn.sendall(f"exit {os.waitstatus_to_exitcode(status)}\n".encode())
            except OSError:
                pass
            conn.close()


def _stop(children: dict[int, socket.socket]) -> None:
    """Kill every kernel still running with all it started, and the orphans here, then exit."""
    for pid in list(children):
        proctree.end_tree(pid)
    proctree.end_orphans(set())
    for pid in list(children):
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    os._exit(0)


if __name__ == "__main__":
    serve(sys.argv[1])
