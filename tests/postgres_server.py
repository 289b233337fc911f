"""A private PostgreSQL server for the test session: its own cluster in a temporary folder,
on loopback and a free port, password-protected, stopped and deleted at the end.

Nothing has to be started by hand. initdb refuses to run as root, so as root the server
programs run as the `postgres` user (Debian's package creates it), or `nobody` without it:
the child process drops to that user before it starts the program.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from system_programs import POSTGRES_MISSING, advice, postgres_bindir

SUPERUSER = "holocron"
DATABASE = "postgres"
START_ATTEMPTS = 3  # a free port can be taken between choosing it and the server binding it


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _service_user() -> pwd.struct_passwd | None:
    """Who runs the server programs: None (this user) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and neither a `postgres` nor a `nobody` user exists "
                       "to run initdb as (initdb refuses root)")


class PostgresServerError(RuntimeError):
    """The private server did not start; the message carries the server's log."""


class PrivatePostgres:
    """``with PrivatePostgres() as server:`` gives ``server.url`` (SQLAlchemy, psycopg)."""

    def __init__(self) -> None:
        bindir = postgres_bindir()
        if bindir is None:
            raise PostgresServerError(advice([POSTGRES_MISSING]))
        self.bindir = bindir
        self.user = _service_user()
        # The service user must reach the folder: under /tmp, not a private TMPDIR of root's.
        self.base = Path(tempfile.mkdtemp(prefix="holocron-pg-",
                                          dir="/tmp" if self.user is not None else None))
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self.password = secrets.token_hex(16)
        self.port: int | None = None
        self._running = False

    @property
    def url(self) -> str:
        return (f"postgresql+psycopg://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}"
                f"/{DATABASE}")

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess:
        as_user = {}
        if self.user is not None:  # root: the child drops to the service user before exec
            as_user = dict(user=self.user.pw_uid, group=self.user.pw_gid, extra_groups=[])
        return subprocess.run([str(self.bindir / program), *args], cwd=self.base,
                              capture_output=True, text=True, timeout=120, check=False,
                              **as_user)

    def start(self) -> PrivatePostgres:
        pwfile = self.base / "pwfile"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        pwfile.chmod(0o600)
        if self.user is not None:
            for path in (self.base, pwfile):
                os.chown(path, self.user.pw_uid, self.user.pw_gid)
        done = self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, f"--pwfile={pwfile}",
                         "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-sync")
        pwfile.unlink()
        if done.returncode != 0:
            raise PostgresServerError(f"initdb failed ({self.bindir}/initdb):\n"
                                      f"{done.stdout}{done.stderr}")
        for _ in range(START_ATTEMPTS):
            self.port = _free_port()
            options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w",
                             "-t", "60", "-o", options, "start")
            if done.returncode == 0:
                self._running = True
                return self
        log = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        raise PostgresServerError(f"the private PostgreSQL server did not start "
                                  f"({START_ATTEMPTS} tries):\n{done.stdout}{done.stderr}\n"
                                  f"{log[-3000:]}")

    def stop(self) -> None:
        try:
            if self._running:
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
                self._running = False
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> PrivatePostgres:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
