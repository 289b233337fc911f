"""Warm kernels: real ipykernel kernels forked from a template that has done the imports.

jupyter_client starts a kernel through a *provisioner*. ``ForkProvisioner`` is the stock
local provisioner except for the launch: instead of ``python -m ipykernel_launcher -f FILE``
it asks the template process (``template.py``) to fork a child that runs exactly that
kernel application on the same connection file. Everything after the launch — the ZMQ
channels, execution, interrupts, shutdown, restarts — is jupyter_client's and nbclient's own.

``KernelTemplate`` owns one template process: started on first use, restarted when the
library's source changed (its preloaded modules would be stale), stopped by ``close()``.
``kernel_manager_class()`` gives nbclient (and papermill, which passes engine arguments
through to it) a kernel manager class whose kernels come from a template. Each kernel it
starts carries a token of its own in its environment (``proctree.MARKER``), kept on the
manager as ``kernel_token``, so what the kernel starts can be found and ended with it.
"""

from __future__ import annotations

import atexit
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

from holocron_lib.execution.proctree import MARKER

__all__ = ["ForkProvisioner", "KernelTemplate", "kernel_manager_class", "shared_template"]

LIBRARY = Path(__file__).resolve().parent.parent


def library_stamp() -> tuple:
    """Cheap identity of the library's source on disk (names, sizes, modification times)."""
    entries = []
    for path in sorted(LIBRARY.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


class ForkedKernel:
    """The handle of one forked kernel, with the part of ``Popen``'s interface that the
    local provisioner uses. The template, not this process, is its parent: the exit code
    comes back on the request's connection."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, conn: socket.socket):
        self.pid = pid
        self._conn = conn
        self.returncode: int | None = None

    def _read_exit(self, timeout: float | None) -> None:
        if self.returncode is not None:
            return
        readable, _, _ = select.select([self._conn], [], [], timeout)
        if not readable:
            return
        data = self._conn.recv(64).decode()
        self.returncode = int(data.split()[1]) if data.startswith("exit ") else -signal.SIGKILL
        self._conn.close()

    def poll(self) -> int | None:
        self._read_exit(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        self._read_exit(timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class KernelTemplate:
    """One template process (see ``template.py``) and the kernels it forks."""

    def __init__(self, env: dict[str, str]):
        self.env = dict(env)
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._folder: str | None = None
        self._stamp: tuple | None = None
        self._retired: list[subprocess.Popen] = []
        self.forked = 0

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def start(self) -> None:
        """Start the template now (it imports in the background) unless it is running."""
        with self._lock:
            self._ensure()

    def _ensure(self) -> str:
        stamp = library_stamp()
        if self._proc is not None and self._proc.poll() is not None:
            self._stop()
        elif self._proc is not None and stamp != self._stamp:
            # Its preloaded library is stale: a new template serves new kernels.
            self._retire()
        self._retired = [p for p in self._retired if p.poll() is None]
        if self._proc is None:
            self._folder = tempfile.mkdtemp(prefix="holocron-kernels-")
            path = os.path.join(self._folder, "template.sock")
            # The template's environment is the kernels': BLAS threads and the chart
            # backend are read when the modules load, in the template.
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "holocron_lib.execution.template", path],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=self.env, cwd=self._folder)
            self._stamp = stamp
        return os.path.join(self._folder or "", "template.sock")

    def fork(self, argv: list[str], env: dict[str, str], cwd: str,
             log: str | None = None) -> ForkedKernel:
        """A new kernel process running ``ipykernel_launcher argv``; returns its handle."""
        import json

        with self._lock:
            path = self._ensure()
            proc = self._proc
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + 30
        while True:
            try:
                conn.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if proc is None or proc.poll() is not None or time.monotonic() > deadline:
                    conn.close()
                    raise RuntimeError("the kernel template process did not start") from None
                time.sleep(0.01)
        request = {"argv": argv, "env": env, "cwd": cwd, "log": log}
        conn.sendall((json.dumps(request) + "\n").encode())
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = conn.recv(64)
            if not chunk:
                conn.close()
                raise RuntimeError("the kernel template process ended before forking")
            reply += chunk
        self.forked += 1
        return ForkedKernel(int(reply), conn)

    def _retire(self) -> None:
        """This template forks no more and ends once the kernels it forked (runs still
        going) have; the next fork starts a new one."""
        if self._proc is not None:
            self._proc.send_signal(signal.SIGUSR1)
            self._retired.append(self._proc)
            # reaped as soon as it ends, so no finished template lingers as a zombie
            threading.Thread(target=self._proc.wait, daemon=True).start()
            self._proc = None
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def retire(self) -> None:
        with self._lock:
            self._retire()

    def _stop(self, now: bool = False) -> None:
        for old in self._retired:  # they kill what they still run and exit
            if old.stdin:
                old.stdin.close()
            old.wait()
        self._retired = []
        proc, self._proc = self._proc, None
        if proc is not None:
            if now and self.forked == 0:
                proc.kill()  # no kernel of its own yet: nothing to shut down
            elif proc.stdin:
                proc.stdin.close()  # the template kills its kernels and exits
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def close(self, now: bool = False) -> None:
        """Stop the template and its kernels; ``now`` kills a template that forked nothing
        without waiting for its imports to finish."""
        with self._lock:
            self._stop(now)


class ForkProvisioner(LocalProvisioner):
    """The local provisioner, launching through a ``KernelTemplate`` instead of Popen."""

    template: KernelTemplate | None = None
    log_path: str | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs):
        assert self.template is not None and self.parent is not None
        argv = cmd[cmd.index("ipykernel_launcher") + 1:]
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        self.process = self.template.fork(argv, env, cwd, self.log_path)
        self.pid = self.pgid = self.process.pid  # the child leads its own session
        self.cwd = cwd
        return self.connection_info


def forkable(kernel_spec) -> bool:
    """A spec the template can stand in for: ``-m ipykernel_launcher`` on this interpreter."""
    argv = list(kernel_spec.argv)
    if kernel_spec.language != "python" or "ipykernel_launcher" not in argv:
        return False
    at = argv.index("ipykernel_launcher")
    if at < 2 or argv[at - 1] != "-m":
        return False
    interpreter = argv[0]
    return interpreter in {"python", "python3"} or (
        Path(interpreter).resolve() == Path(sys.executable).resolve())


def kernel_manager_class(template: KernelTemplate | None, env: dict[str, str],
                         log_path: str | None = None, created: list | None = None,
                         cwd: str | None = None):
    """A kernel manager class for nbclient's ``kernel_manager_class``: kernels forked from
    ``template`` (a standard launch when it is None or the kernel is not ipykernel), with
    ``env`` as their environment, ``cwd`` as their folder (unless the client names one) and
    their own output in ``log_path``. Each manager made is
    appended to ``created``, so a watchdog can reach its kernel."""

    class WarmKernelManager(AsyncKernelManager):
        kernel_token: str | None = None

        def __init__(self, **kw):
            super().__init__(**kw)
            if created is not None:
                created.append(self)

        async def start_kernel(self, **kw):
            self.kernel_token = uuid.uuid4().hex
            kw["env"] = {**env, **(kw.get("env") or {}), MARKER: self.kernel_token}
            if cwd and not kw.get("cwd"):
                kw["cwd"] = cwd
            if self.provisioner is None and template is not None and forkable(self.kernel_spec):
                self.kernel_id = self.kernel_id or str(uuid.uuid4())
                provisioner = ForkProvisioner(kernel_id=self.kernel_id,
                                              kernel_spec=self.kernel_spec, parent=self)
                provisioner.template = template
                provisioner.log_path = log_path
                self.provisioner = provisioner
                return await super().start_kernel(**kw)
            if not log_path:
                return await super().start_kernel(**kw)
            # A standard launch: the kernel's own output goes to the log, not the terminal.
            with open(log_path, "ab") as log:
                return await super().start_kernel(stdout=subprocess.DEVNULL, stderr=log, **kw)

    return WarmKernelManager


_shared: dict[tuple, KernelTemplate] = {}
_shared_lock = threading.Lock()


def shared_template(env: dict[str, str]) -> KernelTemplate:
    """The process-wide template for kernels with environment ``env``, stopped when this
    process exits. A server runs every notebook with one environment; when another one is
    asked for, the templates of the others are retired (they end with their kernels)."""
    key = tuple(sorted(env.items()))
    with _shared_lock:
        if key not in _shared:
            for other in _shared.values():
                other.retire()
            _shared[key] = KernelTemplate(env)
        return _shared[key]


@atexit.register
def _close_shared() -> None:
    for template in list(_shared.values()):
        template.close()
