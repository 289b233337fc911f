"""The template process's handle: started on first use, asked to fork each kernel, retired
when the library's source changes under it, stopped by ``close()``.

Kept apart from the kernel machinery (``kernels.py``, which imports jupyter_client) so a
build starts the template, whose imports are the longest wait before a notebook can run,
before it has imported anything heavy itself.
"""

from __future__ import annotations

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

from holocron_lib.execution.closure import library_stamp

__all__ = ["ForkedKernel", "KernelTemplate"]


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
        self._stamp: list | None = None
        self._retired: list[subprocess.Popen] = []
        self.forked = 0
        self._last_fork: int | None = None  # the fork after which imports stop

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
        with self._lock:
            self.forked += 1
            if self._last_fork is not None and self.forked >= self._last_fork:
                self._last_fork = None
                if proc is not None and proc.poll() is None:
                    proc.send_signal(signal.SIGUSR2)
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

    def stop_importing_after(self, kernels: int) -> None:
        """This template forks ``kernels`` more and no others (a build's own template): once
        they are forked, the imports it has not done would serve no kernel, so it stops
        them and leaves the cores to the kernels, which import what they use themselves."""
        with self._lock:
            self._last_fork = self.forked + kernels

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
