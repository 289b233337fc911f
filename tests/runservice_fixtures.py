"""Fixtures of the run service: the store on SQLite and PostgreSQL, settings, a live server."""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
# token -> (user, role); alice and bob are runners, as a plain token=user entry makes them
TOKENS = {"tok-alice-0123456789": ("alice", None), "tok-bob-0123456789ab": ("bob", None),
          "tok-vera-viewer-0123": ("vera", "viewer"), "tok-otto-operator-01": ("otto", "operator"),
          "tok-ada-admin-012345": ("ada", "admin")}


def tokens_setting() -> str:
    """HOLOCRON_API_TOKENS for the fixture users."""
    return ",".join(f"{t}={u}" + (f":{r}" if r else "") for t, (u, r) in TOKENS.items())


def notebook_path(name: str) -> Path:
    """The fixture notebook ``name`` (registered name, no suffix)."""
    return NOTEBOOKS / f"{name}.py"


def auth(user: str = "alice") -> dict[str, str]:
    token = next(t for t, (u, _) in TOKENS.items() if u == user)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def pg_url():
    """The PostgreSQL server of this test session: HOLOCRON_TEST_PG_URL when set, otherwise
    a private server started here (tests/postgres_server.py) and stopped at the end."""
    if os.environ.get("HOLOCRON_TEST_PG_URL"):
        yield os.environ["HOLOCRON_TEST_PG_URL"]
        return
    from postgres_server import PrivatePostgres

    with PrivatePostgres() as server:
        yield server.url


@contextlib.contextmanager
def pg_schema(pg_url: str):
    """A URL of a fresh schema on the session's PostgreSQL server, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in pg_url else "?"
    try:
        yield f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """A private, empty store: a SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/runs.sqlite"
        return
    with pg_schema(request.getfixturevalue("pg_url")) as url:
        yield url


@pytest.fixture
def pg_store_url(pg_url):
    """A private, empty PostgreSQL store (tests of several machines sharing one)."""
    with pg_schema(pg_url) as url:
        yield url


@pytest.fixture
def store(store_url):
    from holocron_lib.service.store import Store

    opened = Store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def run_env(clean_env, store_url, monkeypatch):
    """Environment of the run service for one test: private home, store and tokens."""
    values = {
        "HOLOCRON_STORE_URL": store_url,
        "HOLOCRON_API_TOKENS": tokens_setting(),
        "HOLOCRON_RUN_TIMEOUT": "60",
        "HOLOCRON_WORKERS": "2",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return {"HOLOCRON_HOME": str(clean_env), **values}


@pytest.fixture
def run_settings(run_env):
    from holocron_lib.settings import load_settings

    return load_settings(env=run_env, dotenv=False)


class LiveServer:
    """uvicorn serving the API on a free loopback port, in a thread."""

    def __init__(self, app, log_level: str = "warning"):
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0,
                                                    log_level=log_level, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the API server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.port = port
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=60)


def wait_for_runs(client, ids, headers, timeout: float = 90) -> dict[int, dict]:
    """Poll until every run in ``ids`` is terminal; returns id → run JSON."""
    done: dict[int, dict] = {}
    deadline = time.monotonic() + timeout
    while len(done) < len(ids):
        for run_id in ids:
            if run_id in done:
                continue
            body = client.get(f"/runs/{run_id}", headers=headers).json()
            if body["status"] not in ("queued", "running"):
                done[run_id] = body
        if time.monotonic() > deadline:
            raise AssertionError(f"runs still open: {sorted(set(ids) - set(done))}")
        time.sleep(0.1)
    return done


def wait_for_store(store, ids, timeout: float = 120) -> dict:
    """Poll the store until every run in ``ids`` has ended; returns id → Run."""
    deadline = time.monotonic() + timeout
    while True:
        runs = {i: store.get_run(i) for i in ids}
        if all(r.status.terminal for r in runs.values()):
            return runs
        if time.monotonic() > deadline:
            raise AssertionError(f"runs still open: {sorted(i for i, r in runs.items() if not r.status.terminal)}")
        time.sleep(0.2)


def wait_for_file(path: Path, proc=None, timeout: float = 90) -> None:
    """Wait for a notebook to touch ``path`` (its READY_FILE)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"process {proc.pid} ended with {proc.returncode}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} never appeared")
        time.sleep(0.1)
