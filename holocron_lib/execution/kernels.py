"""Warm kernels: real ipykernel kernels forked from a template that has done the imports.

jupyter_client starts a kernel through a *provisioner*. ``ForkProvisioner`` is the stock
local provisioner except for the launch: instead of ``python -m ipykernel_launcher -f FILE``
it asks the template process (``template.py``) to fork a child that runs exactly that
kernel application on the same connection file. Everything after the launch — the ZMQ
channels, execution, interrupts, shutdown, restarts — is jupyter_client's and nbclient's own.

``KernelTemplate`` (``template_handle.py``) owns one template process: started on first
use, restarted when the library's source changed (its preloaded modules would be stale),
stopped by ``close()``.
``kernel_manager_class()`` gives nbclient (and papermill, which passes engine arguments
through to it) a kernel manager class whose kernels come from a template. Each kernel it
starts carries a token of its own in its environment (``proctree.MARKER``), kept on the
manager as ``kernel_token``, so what the kernel starts can be found and ended with it.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Float

from holocron_lib.execution.proctree import MARKER
from holocron_lib.execution.template_handle import KernelTemplate

__all__ = ["ForkProvisioner", "kernel_manager_class", "shared_template"]

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
        # After a shutdown request, ipykernel 7 now and then waits at exit until it is sent
        # SIGTERM (its control thread flushes output through the I/O thread that was just
        # stopped). jupyter_client sends that after half of this time: 1 s instead of 2.5 s.
        shutdown_wait_time = Float(2.0, config=True)

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
