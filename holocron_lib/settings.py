"""Settings: one declarative table of environment variables, read from the environment and `.env`.

The table drives validation, the redacted ``repr``, `.env.example` and the docs page, and a
test checks that those agree with it. Secret values never appear in a repr, a log line or
an error message: errors name the variable only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from holocron_lib.errors import SettingsError

PROJECT_MARKERS = ("_toc.yml", "pyproject.toml")


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str
    secret: bool = False
    kind: str = "str"  # str | int | path | url | tokens
    group: str = "General"


SETTINGS: tuple[Setting, ...] = (
    Setting("HOLOCRON_HOME", None,
            "Project folder that relative paths below are resolved against. Default: the nearest "
            "folder above the current directory that holds _toc.yml or pyproject.toml.",
            kind="path", group="Embedded database"),
    Setting("HOLOCRON_DB_PATH", ".holocron/holocron.duckdb",
            "The seeded embedded DuckDB file built by `holocron db build`. Notebooks never write "
            "to it: each connection works on its own copy.",
            kind="path", group="Embedded database"),
    Setting("HOLOCRON_SEED_SCALE", "1",
            "Scale factor of the synthetic seed data when the database is built without --scale.",
            kind="int", group="Embedded database"),
    Setting("LAKE_ROOT", ".holocron/lake/llm_runs",
            "Root of the LLM run lake (request/response/evidence JSON per run), as the real "
            "Holocron runners name it.",
            kind="path", group="Embedded database"),
    Setting("HOLOCRON_LESSONS_DIR", None,
            "A Holocron checkout's docs/lessons/ folder. The SQL exercises companion then "
            "presents those lesson modules, read where they are, instead of its bundled "
            "exercises.",
            kind="path", group="Notebooks"),
    Setting("SEED_SQLSERVER_HOST", None,
            "SQL Server host. When set, connect() uses SQL Server through pyodbc instead of the "
            "embedded database.",
            group="SQL Server"),
    Setting("SEED_SQLSERVER_PORT", "1433", "SQL Server TCP port.", kind="int", group="SQL Server"),
    Setting("SEED_SQLSERVER_DATABASE", "Holocron", "Database name on the server.",
            group="SQL Server"),
    Setting("SEED_SQLSERVER_DRIVER", "ODBC Driver 18 for SQL Server",
            "ODBC driver name as registered with the driver manager (odbcinst -q -d).",
            group="SQL Server"),
    Setting("SEED_SQLSERVER_USER", None, "SQL login. Required with SEED_SQLSERVER_HOST.",
            group="SQL Server"),
    Setting("SEED_SQLSERVER_PASSWORD", None,
            "Password of the SQL login. Required with SEED_SQLSERVER_HOST. Never printed.",
            secret=True, group="SQL Server"),
    Setting("SEED_SQLSERVER_CONN_STR", None,
            "A complete ODBC connection string; overrides the separate SEED_SQLSERVER_* parts. "
            "Never printed.",
            secret=True, group="SQL Server"),
    Setting("SEED_SQLSERVER_TRUST_CERT", "yes",
            "TrustServerCertificate value sent to the driver (yes for the local Docker server).",
            group="SQL Server"),
    Setting("OLLAMA_BASE_URL", "http://localhost:11434",
            "Ollama server used by the embedding runbook; when it does not answer, a "
            "deterministic local embedding is used instead.",
            kind="url", group="Ollama"),
    Setting("OLLAMA_EMBED_MODEL", "nomic-embed-text", "Embedding model requested from Ollama.",
            group="Ollama"),
    Setting("HOLOCRON_STORE_URL", None,
            "SQLAlchemy URL of the run-history store. Default: a SQLite file "
            ".holocron/runs.sqlite; use postgresql+psycopg://... for a team.",
            secret=True, kind="url", group="Run service"),
    Setting("HOLOCRON_ARTIFACTS_DIR", "artifacts",
            "Where executed notebooks are saved (artifacts/notebooks/YYYY-MM-DD/).",
            kind="path", group="Run service"),
    Setting("HOLOCRON_API_TOKENS", None,
            "Bearer tokens for the HTTP API, as token=user pairs separated by commas. Never "
            "printed.",
            secret=True, kind="tokens", group="Run service"),
    Setting("HOLOCRON_RUN_TIMEOUT", "600",
            "Seconds a notebook run may take before it is stopped and recorded as timed out.",
            kind="int", group="Run service"),
    Setting("HOLOCRON_WORKERS", "2", "Size of the API's notebook worker pool.", kind="int",
            group="Run service"),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding a project marker, else ``start``."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if all((folder / m).exists() for m in PROJECT_MARKERS) or (folder / "_toc.yml").exists():
            return folder
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").exists() and (folder / "holocron_lib").is_dir():
            return folder
    return start


@dataclass(frozen=True)
class Settings:
    """Resolved configuration. ``values`` holds raw strings; properties give typed views."""

    home: Path
    values: Mapping[str, str | None] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        if name not in _BY_NAME:
            raise SettingsError(name, "is not a known setting")
        return self.values.get(name)

    def _path(self, name: str) -> Path:
        raw = self.get(name)
        p = Path(raw).expanduser()
        return p if p.is_absolute() else self.home / p

    @property
    def backend(self) -> str:
        """'sqlserver' when a SQL Server host or connection string is configured, else 'duckdb'."""
        if self.values.get("SEED_SQLSERVER_HOST") or self.values.get("SEED_SQLSERVER_CONN_STR"):
            return "sqlserver"
        return "duckdb"

    @property
    def db_path(self) -> Path:
        return self._path("HOLOCRON_DB_PATH")

    @property
    def lake_root(self) -> Path:
        return self._path("LAKE_ROOT")

    @property
    def lessons_dir(self) -> Path | None:
        """The checkout's lessons folder, or None when HOLOCRON_LESSONS_DIR is not set."""
        return self._path("HOLOCRON_LESSONS_DIR") if self.values.get("HOLOCRON_LESSONS_DIR") else None

    @property
    def artifacts_dir(self) -> Path:
        return self._path("HOLOCRON_ARTIFACTS_DIR")

    @property
    def seed_scale(self) -> int:
        return int(self.get("HOLOCRON_SEED_SCALE"))

    @property
    def store_url(self) -> str:
        url = self.values.get("HOLOCRON_STORE_URL")
        if url:
            return url
        return "sqlite:///" + str(self.home / ".holocron" / "runs.sqlite")

    @property
    def api_tokens(self) -> dict[str, str]:
        """Bearer token → user name."""
        return parse_tokens(self.values.get("HOLOCRON_API_TOKENS") or "")

    @property
    def run_timeout(self) -> int:
        return int(self.get("HOLOCRON_RUN_TIMEOUT"))

    @property
    def workers(self) -> int:
        return int(self.get("HOLOCRON_WORKERS"))

    def secrets(self) -> list[str]:
        """Every secret value in force, so output can be scrubbed of them."""
        found = [v for s in SETTINGS if s.secret and (v := self.values.get(s.name))]
        found += list(self.api_tokens)
        return [s for s in found if len(s) >= 3]

    def redact(self, text: str) -> str:
        """``text`` with every secret value in force replaced by ``***``."""
        for secret in sorted(self.secrets(), key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    def __repr__(self) -> str:
        shown = []
        for s in SETTINGS:
            value = self.values.get(s.name)
            if value is None:
                continue
            shown.append(f"{s.name}={'***' if s.secret else value!r}")
        return f"Settings(home={str(self.home)!r}, {', '.join(shown)})"

    __str__ = __repr__


def parse_tokens(raw: str) -> dict[str, str]:
    tokens: dict[str, str] = {}
    for i, pair in enumerate(p.strip() for p in raw.split(",")):
        if not pair:
            continue
        token, sep, user = pair.partition("=")
        if not sep or not token.strip() or not user.strip():
            raise SettingsError(
                "HOLOCRON_API_TOKENS",
                f"entry {i + 1} is not of the form token=user (values not shown)",
            )
        tokens[token.strip()] = user.strip()
    return tokens


def _validate(name: str, value: str) -> None:
    kind = _BY_NAME[name].kind
    if kind == "int":
        try:
            number = int(value)
        except ValueError:
            raise SettingsError(name, f"must be a whole number, got {value!r}") from None
        if number < 0:
            raise SettingsError(name, f"must not be negative, got {value!r}")
    elif kind == "url" and name == "OLLAMA_BASE_URL":
        if not value.startswith(("http://", "https://")):
            raise SettingsError(name, "must start with http:// or https://")
    elif kind == "tokens":
        parse_tokens(value)


def load_settings(
    env: Mapping[str, str] | None = None,
    dotenv: bool = True,
    home: Path | str | None = None,
) -> Settings:
    """Settings from ``env`` (default ``os.environ``) over the project's `.env` over defaults."""
    environ = dict(os.environ if env is None else env)
    root = Path(home) if home else Path(environ["HOLOCRON_HOME"]) if environ.get(
        "HOLOCRON_HOME") else find_project_root()
    file_values: dict[str, str | None] = {}
    if dotenv and (root / ".env").is_file():
        from dotenv import dotenv_values

        file_values = dict(dotenv_values(root / ".env"))
    values: dict[str, str | None] = {}
    for s in SETTINGS:
        raw = environ.get(s.name)
        if raw is None or raw == "":
            raw = file_values.get(s.name) or None
        if raw is not None:
            raw = raw.strip()
            _validate(s.name, raw)
        values[s.name] = raw if raw is not None else s.default
    if values.get("SEED_SQLSERVER_HOST") and not values.get("SEED_SQLSERVER_CONN_STR"):
        for needed in ("SEED_SQLSERVER_USER", "SEED_SQLSERVER_PASSWORD"):
            if not values.get(needed):
                raise SettingsError(needed, "is required when SEED_SQLSERVER_HOST is set")
    return Settings(home=root.resolve(), values=values)


def render_env_example() -> str:
    """The text of `.env.example`, generated from the table."""
    lines = [
        "# Holocron Notebooks configuration. Copy to .env and fill in what you need.",
        "# Every variable is optional: with none set, the embedded DuckDB database is used.",
        "# Generated from holocron_lib/settings.py (holocron settings env-example).",
    ]
    group = None
    for s in SETTINGS:
        if s.group != group:
            group = s.group
            lines += ["", f"# --- {group} ---"]
        lines.append(f"# {s.help}" + (" (secret)" if s.secret else ""))
        lines.append(f"# {s.name}={s.default or ''}")
    return "\n".join(lines) + "\n"


def render_settings_table() -> str:
    """A Markdown table of every setting, for the book's configuration page."""
    rows = ["| variable | default | secret | what it does |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "—"
        rows.append(f"| `{s.name}` | {default} | {'yes' if s.secret else ''} | {s.help} |")
    return "\n".join(rows) + "\n"
