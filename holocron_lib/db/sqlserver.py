"""The SQL Server backend: pyodbc with the real project's SEED_SQLSERVER_* variables, T-SQL as is.

Nothing this module raises or prints holds the password or the connection string: every
driver message passes through ``scrub()`` first.

What ``tests/test_sqlserver_odbc.py`` proves, through the real unixODBC driver manager and
Debian's SQLite ODBC driver: connection-string assembly, connecting, ``?`` binding of every
Python type we send, result sets to DataFrames, rows affected, transactions, error mapping
and scrubbing. What it cannot prove without a SQL Server: T-SQL semantics, ``EXEC`` with
several result sets (``cursor.nextset()``), login-failure and unreachable-server messages
from Microsoft's driver, and the introspection queries (``sys.*``, ``INFORMATION_SCHEMA``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pyodbc

from holocron_lib.db.base import Database, ResultSets
from holocron_lib.db.target import Target, sqlserver_target
from holocron_lib.errors import (
    ConnectionFailedError,
    DatabaseError,
    ProcedureParameterError,
    UnknownObjectError,
    excerpt,
)
from holocron_lib.settings import Settings
from holocron_lib.tsql.names import NAME_RE

LOGIN_TIMEOUT_SECONDS = 15
_PASSWORD_FRAGMENT = re.compile(r"(?i)\b(PWD|PASSWORD)\s*=\s*(\{(?:[^}]|\}\})*\}?|[^;]*)")
_INVALID_OBJECT = re.compile(r"Invalid object name '([^']+)'")
_PARAM_NAME = re.compile(r"^@?(\w+)$")


# --- connection strings ----------------------------------------------------------------------


def _quote(value: str) -> str:
    """An ODBC attribute value, braced when it holds characters the syntax reserves."""
    if value == "" or re.search(r"[;{}=\s]", value) or value != value.strip():
        return "{" + value.replace("}", "}}") + "}"
    return value


def build_connection_string(settings: Settings) -> str:
    """The ODBC connection string: SEED_SQLSERVER_CONN_STR, else assembled from the parts."""
    given = settings.get("SEED_SQLSERVER_CONN_STR")
    if given:
        return given
    host = settings.get("SEED_SQLSERVER_HOST") or "localhost"
    port = settings.integer("SEED_SQLSERVER_PORT")
    parts = [
        ("DRIVER", "{" + (settings.get("SEED_SQLSERVER_DRIVER") or "").replace("}", "}}") + "}"),
        ("SERVER", _quote(f"{host},{port}" if port else host)),
        ("DATABASE", _quote(settings.get("SEED_SQLSERVER_DATABASE") or "")),
        ("UID", _quote(settings.get("SEED_SQLSERVER_USER") or "")),
        # Always braced: a password may hold any character, braces included.
        ("PWD", "{" + (settings.get("SEED_SQLSERVER_PASSWORD") or "").replace("}", "}}") + "}"),
    ]
    trust = settings.get("SEED_SQLSERVER_TRUST_CERT")
    if trust:
        parts.append(("TrustServerCertificate", _quote(trust)))
    return ";".join(f"{k}={v}" for k, v in parts)


def parse_connection_string(text: str) -> dict[str, str]:
    """Attributes of an ODBC connection string, keys upper-cased, braces removed."""
    found: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        eq = text.find("=", i)
        if eq < 0:
            break
        key = text[i:eq].strip().strip(";").strip().upper()
        j = eq + 1
        while j < n and text[j] == " ":
            j += 1
        if j < n and text[j] == "{":
            value, j = [], j + 1
            while j < n:
                if text[j] == "}":
                    if j + 1 < n and text[j + 1] == "}":
                        value.append("}")
                        j += 2
                        continue
                    j += 1
                    break
                value.append(text[j])
                j += 1
            found[key] = "".join(value)
            end = text.find(";", j)
        else:
            end = text.find(";", j)
            found[key] = text[j : end if end >= 0 else n].strip()
        i = n if end < 0 else end + 1
    return found


def scrub(text: str, secrets: Iterable[str] = (), redact: Callable[[str], str] | None = None):
    """``text`` without password fragments, secret values or the connection string."""
    text = str(text)
    if redact is not None:
        text = redact(text)
    for secret in sorted((s for s in secrets if s and len(s) >= 3), key=len, reverse=True):
        text = text.replace(secret, "***")
    return _PASSWORD_FRAGMENT.sub(lambda m: f"{m.group(1)}=***", text)



def describe_target(conn: Mapping[str, str]) -> str:
    """server/database of a parsed connection string, fit to print."""
    server = next((conn[k] for k in ("SERVER", "ADDRESS", "ADDR", "HOST") if conn.get(k)), "")
    database = database_of(conn)
    where = "/".join(p for p in (server, database) if p) or "(connection string)"
    driver = conn.get("DRIVER") or conn.get("DSN")
    return f"{where} via {driver}" if driver else where


def database_of(conn: Mapping[str, str]) -> str:
    """The database a parsed connection string names ('' for the login's default)."""
    return conn.get("DATABASE") or conn.get("INITIAL CATALOG") or ""


def configured_target(settings: Settings) -> Target:
    """The configured database as `SqlServerDatabase.describe_target()` gives it, without
    connecting."""
    database = database_of(parse_connection_string(build_connection_string(settings)))
    return sqlserver_target(scrub(database, settings.secrets(), settings.redact))


# --- the backend -------------------------------------------------------------------------------


class SqlServerDatabase(Database):
    """SQL Server through pyodbc: T-SQL is sent unchanged, procedures run with EXEC."""

    backend = "sqlserver"

    def __init__(
        self,
        connection_string: str,
        *,
        secrets: Iterable[str] = (),
        redact: Callable[[str], str] | None = None,
        login_timeout: int = LOGIN_TIMEOUT_SECONDS,
    ):
        super().__init__()
        parsed = parse_connection_string(connection_string)
        self._secrets = [*secrets, connection_string, *(v for k, v in parsed.items() if k in (
            "PWD", "PASSWORD"))]
        self._redact = redact
        self._target = self._scrub(describe_target(parsed))
        self._database = self._scrub(database_of(parsed))
        self.driver = parsed.get("DRIVER") or ""
        self._dsn = "" if self.driver else parsed.get("DSN") or ""
        try:
            self._con = pyodbc.connect(connection_string, autocommit=True, timeout=login_timeout)
        except pyodbc.Error as exc:
            raise self._connect_error(exc) from None

    @classmethod
    def from_settings(cls, settings: Settings) -> SqlServerDatabase:
        settings.require_sqlserver_login()
        return cls(
            build_connection_string(settings), secrets=settings.secrets(), redact=settings.redact
        )

    @property
    def target(self) -> str:
        return self._target

    def describe_target(self) -> Target:
        """The database by name only: no server, login or connection string."""
        return sqlserver_target(self._database)

    def _scrub(self, text: str) -> str:
        return scrub(text, self._secrets, self._redact)

    # --- errors ----------------------------------------------------------------------------

    def _connect_error(self, exc: pyodbc.Error) -> ConnectionFailedError:
        state, text = _state_and_text(exc)
        text = self._scrub(text)
        lowered = text.lower()
        if self._dsn and state == "IM002":
            message = (
                f"ODBC data source {self._dsn!r} is not defined ({text}). `odbcinst -q -s` lists "
                "the data sources; or set SEED_SQLSERVER_HOST and SEED_SQLSERVER_DRIVER instead."
            )
        elif state == "IM002" or "can't open lib" in lowered or "file not found" in lowered:
            message = (
                f"ODBC driver {self.driver!r} is not installed or not registered with the "
                f"driver manager ({text}). `odbcinst -q -d` lists the installed drivers; set "
                "SEED_SQLSERVER_DRIVER to one of them."
            )
        elif state == "28000" or "login failed" in lowered:
            message = (
                f"SQL Server at {self._target} refused the login ({text}); check "
                "SEED_SQLSERVER_USER and SEED_SQLSERVER_PASSWORD."
            )
        elif state in ("08001", "08S01", "HYT00", "HYT01"):
            message = (
                f"cannot reach SQL Server at {self._target} ({text}); check SEED_SQLSERVER_HOST "
                "and SEED_SQLSERVER_PORT, and that the server is running."
            )
        else:
            message = f"cannot connect to {self._target}: {text}"
        return ConnectionFailedError(message, self.backend)

    def _error(self, exc: pyodbc.Error, tsql: str) -> Exception:
        state, text = _state_and_text(exc)
        found = _INVALID_OBJECT.search(text)
        if state == "42S02" and found:
            return UnknownObjectError("table", found.group(1), self._similar_tables(found.group(1)))
        return DatabaseError(
            f"{self._scrub(text)}\n  in: {self._scrub(excerpt(tsql))}", self.backend
        )

    @contextmanager
    def _guard(self, tsql: str):
        try:
            yield
        except pyodbc.Error as exc:
            self._fail_transaction()
            raise self._error(exc, tsql) from None

    # --- statements ------------------------------------------------------------------------

    def _cursor(self, tsql: str, params: list | None):
        cur = self._con.cursor()
        with self._guard(tsql):
            if params:
                cur.execute(tsql, [_odbc_value(v) for v in params])
            else:
                cur.execute(tsql)
        return cur

    def _query(self, tsql: str, params: list | None) -> pd.DataFrame:
        cur = self._cursor(tsql, params)
        with self._guard(tsql):
            # Row counts of earlier statements (SET NOCOUNT OFF) come first: skip them.
            while cur.description is None and cur.nextset():
                pass
            return _frame(cur)

    def _scalar(self, tsql: str, params: list | None) -> Any:
        cur = self._cursor(tsql, params)
        with self._guard(tsql):
            while cur.description is None and cur.nextset():
                pass
            row = cur.fetchone() if cur.description else None
        return None if row is None else row[0]

    def _execute(self, tsql: str, params: list | None) -> int:
        cur = self._cursor(tsql, params)
        return cur.rowcount

    def call(self, name: str, **params):
        """``EXEC name @a = ?, ...`` sent as is; every result set, possibly none."""

        self._check_open()
        sql, values = exec_statement(name, params)
        cur = self._cursor(sql, values)
        frames = []
        with self._guard(sql):
            while True:
                if cur.description is not None:
                    frames.append(_frame(cur))
                if not cur.nextset():
                    break
        return ResultSets(frames)

    def _begin(self) -> None:
        self._con.autocommit = False

    def _commit(self) -> None:
        try:
            self._con.commit()
        except pyodbc.Error as exc:
            raise DatabaseError(
                f"commit failed: {self._scrub(_state_and_text(exc)[1])}", self.backend
            ) from None
        finally:
            self._con.autocommit = True

    def _rollback(self) -> None:
        try:
            self._con.rollback()
        finally:
            self._con.autocommit = True

    def _close(self) -> None:
        try:
            self._con.close()
        except pyodbc.Error:
            pass

    # --- introspection (SQL Server catalog views) --------------------------------------------

    def schemas(self) -> list[str]:
        frame = self.query(
            "SELECT name FROM sys.schemas WHERE schema_id = 1 OR schema_id BETWEEN 5 AND 16383 "
            "ORDER BY name"
        )
        return frame["name"].tolist()

    def tables(self, schema: str | None = None) -> pd.DataFrame:
        where, params = ("WHERE TABLE_SCHEMA = ? ", [schema]) if schema else ("", None)
        return self.query(
            "SELECT TABLE_SCHEMA AS [schema], TABLE_NAME AS name, "
            "CASE TABLE_TYPE WHEN 'VIEW' THEN 'view' ELSE 'table' END AS kind "
            f"FROM INFORMATION_SCHEMA.TABLES {where}ORDER BY TABLE_SCHEMA, TABLE_NAME",
            params,
        )

    def _columns(self, schema: str, name: str) -> pd.DataFrame:
        frame = self.query(
            "SELECT COLUMN_NAME AS name, DATA_TYPE + CASE "
            "WHEN CHARACTER_MAXIMUM_LENGTH = -1 THEN '(max)' "
            "WHEN CHARACTER_MAXIMUM_LENGTH IS NOT NULL "
            "THEN '(' + CAST(CHARACTER_MAXIMUM_LENGTH AS varchar(10)) + ')' "
            "WHEN DATA_TYPE IN ('decimal', 'numeric') THEN '(' + "
            "CAST(NUMERIC_PRECISION AS varchar(10)) + ',' + CAST(NUMERIC_SCALE AS varchar(10)) "
            "+ ')' ELSE '' END AS type, "
            "CAST(CASE IS_NULLABLE WHEN 'YES' THEN 1 ELSE 0 END AS bit) AS nullable "
            "FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
            "ORDER BY ORDINAL_POSITION",
            [schema, name],
        )
        frame["nullable"] = frame["nullable"].astype(bool)
        return frame


def exec_statement(name: str, params: Mapping[str, Any]) -> tuple[str, list]:
    """``EXEC schema.proc @a = ?, @b = ?`` and the values in order, names checked first."""
    if not NAME_RE.match(str(name).strip()):
        raise UnknownObjectError("procedure", str(name))
    assignments, values = [], []
    for key, value in params.items():
        found = _PARAM_NAME.match(str(key))
        if not found:
            raise ProcedureParameterError(
                str(name), str(key), "is not a valid parameter name (letters, digits, _)"
            )
        assignments.append(f"@{found.group(1)} = ?")
        values.append(value)
    sql = f"EXEC {str(name).strip()}" + (" " + ", ".join(assignments) if assignments else "")
    return sql, values


def _state_and_text(exc: pyodbc.Error) -> tuple[str, str]:
    args = exc.args
    if len(args) >= 2:
        return str(args[0]), str(args[1])
    return "", str(args[0]) if args else type(exc).__name__


def _odbc_value(value: Any) -> Any:
    # SQL Server converts the text form to uniqueidentifier; pyodbc cannot bind uuid.UUID.
    return str(value) if isinstance(value, uuid.UUID) else value


def _frame(cursor) -> pd.DataFrame:
    if cursor.description is None:
        return pd.DataFrame()
    columns = [d[0] for d in cursor.description]
    return pd.DataFrame.from_records([tuple(r) for r in cursor.fetchall()], columns=columns)
