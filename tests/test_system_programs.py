"""The test suite's own set-up: the private PostgreSQL server and the system-program check."""

from __future__ import annotations

import socket

import psycopg
import pytest
import system_programs
from postgres_server import PrivatePostgres


@pytest.mark.slow
@pytest.mark.postgres
def test_private_server_takes_its_password_refuses_others_and_leaves_nothing():
    with PrivatePostgres() as server:
        conninfo = dict(host="127.0.0.1", port=server.port, user="holocron", dbname="postgres")
        with psycopg.connect(**conninfo, password=server.password) as conn:
            assert conn.execute("SELECT current_setting('listen_addresses')").fetchone() == (
                "127.0.0.1",)
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(**conninfo, password="wrong").close()
        base, port = server.base, server.port
    assert not base.exists(), "the cluster folder is deleted"
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "the server is stopped"


def test_nothing_missing_here():
    assert system_programs.missing_programs() == []


def test_missing_programs_are_named_with_the_command_that_installs_them(monkeypatch):
    monkeypatch.delenv("HOLOCRON_TEST_PG_URL", raising=False)
    monkeypatch.setattr(system_programs, "postgres_bindir", lambda: None)
    monkeypatch.setattr(system_programs, "odbc_drivers", lambda: ["SQLite"])
    monkeypatch.setattr(system_programs, "chromium_path", lambda: None)
    monkeypatch.setattr(system_programs, "is_debian_like", lambda: True)
    missing = system_programs.missing_programs()
    assert len(missing) == 3
    assert "initdb" in missing[0] and "[SQLite3]" in missing[1] and "Chromium" in missing[2]
    message = system_programs.advice(missing)
    assert "bash .ci/install-system-packages.sh" in message
    assert "HOLOCRON_TEST_PG_URL" in message
    assert system_programs.missing_programs(("odbc",)) == [missing[1]], "only what is asked"


def test_an_existing_server_stands_in_for_the_server_programs(monkeypatch):
    monkeypatch.setattr(system_programs, "postgres_bindir", lambda: None)
    monkeypatch.setenv("HOLOCRON_TEST_PG_URL", "postgresql+psycopg://u:p@127.0.0.1:5432/d")
    assert system_programs.missing_programs(("postgres",)) == []


def test_elsewhere_the_advice_names_the_packages(monkeypatch):
    monkeypatch.setattr(system_programs, "is_debian_like", lambda: False)
    message = system_programs.advice(["Chromium: no chromium on PATH"])
    assert "libsqliteodbc" in message and "postgresql" in message
    assert "HOLOCRON_TEST_PG_URL" not in message, "only when the server programs are missing"
