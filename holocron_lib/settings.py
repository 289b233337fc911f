"""Settings: one declarative table of environment variables, read from the environment and `.env`.

The table drives validation, the redacted ``repr``, `.env.example` and the docs page, and a
test checks that those agree with it. Secret values never appear in a repr, a log line or
an error message: errors name the variable only. A value is checked where it is used (the
typed properties below), so a command never fails over a setting it does not need; only
HOLOCRON_HOME, which locates `.env`, is checked on load.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from holocron_lib.errors import SettingsError

PROJECT_MARKERS = ("_toc.yml", "pyproject.toml")
ROLES = ("viewer", "runner", "operator", "admin")  # each may do what the ones before it may
DEFAULT_ROLE = "runner"
MIN_TOKEN_LENGTH = 16
STORE_SCHEMES = ("sqlite", "postgresql")
DB_MODES = ("work", "copy")
_USER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str
    secret: bool = False
    kind: str = "str"  # str | int | path | url | tokens
    group: str = "General"
    minimum: int | None = None  # int: inclusive bounds
    maximum: int | None = None
    none_word: str | None = None  # int: a word that means "no value" (e.g. no time limit)
    schemes: tuple[str, ...] = ()  # url: accepted schemes (a "+driver" suffix is allowed)


SETTINGS: tuple[Setting, ...] = (
    Setting("HOLOCRON_HOME", None,
            "Project folder that relative paths below are resolved against. Default: the nearest "
            "folder above the current directory that holds _toc.yml or pyproject.toml.",
            kind="path", group="Embedded database"),
    Setting("HOLOCRON_DB_PATH", ".holocron/holocron.duckdb",
            "The seeded embedded DuckDB file built by `holocron db build`. Nothing else writes "
            "to it: connections open the working database or a private copy of this file.",
            kind="path", group="Embedded database"),
    Setting("HOLOCRON_WORK_DB_PATH", ".holocron/work.duckdb",
            "The persistent working database: `holocron run`, the run service and connect() in "
            "your own notebooks read and write it, so a confirmed runbook's writes stay. Made "
            "from the seeded file on first use; `holocron db reset` restores the seeded state.",
            kind="path", group="Embedded database"),
    Setting("HOLOCRON_DB_MODE", "work",
            "What connect() opens on the embedded backend: work (the working database) or copy "
            "(a private throwaway copy of the seeded file per connection, deleted on close; the "
            "book build and the tests use it).",
            group="Embedded database"),
    Setting("HOLOCRON_DB_WAIT", "300",
            "Seconds (0-86400) a connection waits while another process writes the working "
            "database (DuckDB allows one writer per file) before it fails naming that process; "
            "0 refuses at once.",
            kind="int", group="Embedded database", minimum=0, maximum=86400),
    Setting("HOLOCRON_SEED_SCALE", "1",
            "Scale factor of the synthetic seed data when the database is built without --scale "
            "(at least 1).",
            kind="int", group="Embedded database", minimum=1),
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
    Setting("SEED_SQLSERVER_PORT", "1433", "SQL Server TCP port (1-65535).", kind="int",
            group="SQL Server", minimum=1, maximum=65535),
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
            kind="url", group="Ollama", schemes=("http", "https")),
    Setting("OLLAMA_EMBED_MODEL", "nomic-embed-text", "Embedding model requested from Ollama.",
            group="Ollama"),
    Setting("HOLOCRON_STORE_URL", None,
            "SQLAlchemy URL of the run-history store. Default: a SQLite file "
            ".holocron/runs.sqlite; use postgresql+psycopg://... for a team.",
            secret=True, kind="url", group="Run service", schemes=STORE_SCHEMES),
    Setting("HOLOCRON_ARTIFACTS_DIR", "artifacts",
            "Where executed notebooks are saved (artifacts/notebooks/YYYY-MM-DD/).",
            kind="path", group="Run service"),
    Setting("HOLOCRON_API_TOKENS", None,
            "Bearer tokens for the HTTP API, comma-separated, each token=user or "
            "token=user:role (roles: viewer, runner, operator, admin; default runner); a token "
            "may be given as sha256:<hex digest>. Plain tokens need 16 characters or more. "
            "Never printed.",
            secret=True, kind="tokens", group="Run service"),
    Setting("HOLOCRON_RUN_TIMEOUT", "600",
            "Seconds a notebook run may take before it is stopped and recorded as timed out "
            "(at least 1), or none for no limit.",
            kind="int", group="Run service", minimum=1, none_word="none"),
    Setting("HOLOCRON_WORKERS", "2",
            "Runs executed at once by each worker process (1-64): `holocron worker`, and the "
            "worker `holocron serve` runs in-process.",
            kind="int", group="Run service", minimum=1, maximum=64),
    Setting("HOLOCRON_MAX_WAITING_PER_USER", "20",
            "Runs one user may have waiting in the API's queue at once (1-1000); more are "
            "refused with 429.",
            kind="int", group="Run service", minimum=1, maximum=1000),
    Setting("HOLOCRON_RUN_ATTEMPTS", "3",
            "Most attempts (1-100) of a run of a retry-safe notebook (`**Retry safe** | yes` in "
            "its metadata) whose worker died; other runs are tried once and recorded failed.",
            kind="int", group="Workers", minimum=1, maximum=100),
    Setting("HOLOCRON_WORKER_POLL", "1",
            "Seconds (1-60) an idle worker waits before it looks for queued runs again; also how "
            "often it looks for cancel requests of the runs it holds.",
            kind="int", group="Workers", minimum=1, maximum=60),
    Setting("HOLOCRON_STOP_GRACE", "10",
            "Seconds (0-3600) a stopping worker (SIGTERM or Ctrl-C to `holocron worker` or "
            "`holocron serve`) lets its running runs go on before it stops them and records "
            "them interrupted; a second signal stops them at once. `--grace` overrides it.",
            kind="int", group="Workers", minimum=0, maximum=3600),
    Setting("HOLOCRON_RECOVERY_SECONDS", "30",
            "How often (seconds, at least 1) each worker looks for running runs whose runner "
            "died, on any machine.",
            kind="int", group="Workers", minimum=1),
    Setting("HOLOCRON_STALE_SECONDS", "60",
            "Heartbeat silence (seconds, at least 10) after which a run held on another machine "
            "counts as abandoned (on the same machine a dead process is seen at once).",
            kind="int", group="Workers", minimum=10),
    Setting("HOLOCRON_SCHEDULER_POLL", "15",
            "Seconds (at least 1) between two looks of a server's scheduler for due schedules (a "
            "run is queued at most this late; several servers still queue each due run once).",
            kind="int", group="Schedules", minimum=1),
    Setting("HOLOCRON_OIDC_ISSUER", None,
            "Issuer URL of an OpenID Connect provider (e.g. https://sso.example/realms/team for "
            "Keycloak). When set, the API also accepts that provider's JWT bearer tokens.",
            kind="url", group="Single sign-on", schemes=("https", "http")),
    Setting("HOLOCRON_OIDC_AUDIENCE", None,
            "The audience (aud) a token must name: the provider's client id of this service. "
            "Required with HOLOCRON_OIDC_ISSUER.",
            group="Single sign-on"),
    Setting("HOLOCRON_OIDC_JWKS_URL", None,
            "The provider's key set (JWKS) address. Default: the jwks_uri of the issuer's "
            "/.well-known/openid-configuration.",
            kind="url", group="Single sign-on", schemes=("https", "http")),
    Setting("HOLOCRON_OIDC_USER_CLAIM", "preferred_username",
            "Claim holding the user name recorded with runs (a dotted path for nested claims).",
            group="Single sign-on"),
    Setting("HOLOCRON_OIDC_ROLE_CLAIM", "realm_access.roles",
            "Claim holding the user's roles: a dotted path to a list (Keycloak realm roles) or "
            "to a flat claim of space- or comma-separated names. The highest of viewer, runner, "
            "operator and admin found there is the user's role (none: viewer).",
            group="Single sign-on"),
    Setting("HOLOCRON_OIDC_ALGORITHMS", "RS256,ES256,PS256",
            "Signature algorithms accepted, comma-separated; `none` and shared-secret (HS*) "
            "algorithms are never accepted.",
            group="Single sign-on"),
    Setting("HOLOCRON_OIDC_LEEWAY", "30",
            "Seconds (0-300) of clock difference tolerated when checking expiry and not-before.",
            kind="int", group="Single sign-on", minimum=0, maximum=300),
    Setting("HOLOCRON_OIDC_JWKS_REFRESH", "60",
            "Fewest seconds (at least 1) between two fetches of the key set when tokens name an "
            "unknown key id (key rotation); the set is also fetched again after an hour.",
            kind="int", group="Single sign-on", minimum=1),
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

    def integer(self, name: str) -> int | None:
        """The checked whole number of ``name`` (None for its ``none_word``)."""
        return check_integer(_BY_NAME[name], self.get(name))

    def url(self, name: str) -> str | None:
        """The checked URL of ``name``; only the schemes the table allows."""
        return check_url(_BY_NAME[name], self.get(name))

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

    def require_sqlserver_login(self) -> None:
        """With a host and no connection string, a login is needed: name what is missing."""
        if self.values.get("SEED_SQLSERVER_HOST") and not self.values.get(
                "SEED_SQLSERVER_CONN_STR"):
            for needed in ("SEED_SQLSERVER_USER", "SEED_SQLSERVER_PASSWORD"):
                if not self.values.get(needed):
                    raise SettingsError(needed, "is required when SEED_SQLSERVER_HOST is set")

    @property
    def db_path(self) -> Path:
        return self._path("HOLOCRON_DB_PATH")

    @property
    def work_db_path(self) -> Path:
        return self._path("HOLOCRON_WORK_DB_PATH")

    @property
    def db_mode(self) -> str:
        """'work' (the persistent working database) or 'copy' (a throwaway copy each)."""
        mode = (self.get("HOLOCRON_DB_MODE") or "work").strip().lower()
        if mode not in DB_MODES:
            raise SettingsError("HOLOCRON_DB_MODE", f"must be one of {', '.join(DB_MODES)}, "
                                f"got {mode!r}")
        return mode

    @property
    def db_wait(self) -> int:
        return self.integer("HOLOCRON_DB_WAIT")

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
        return self.integer("HOLOCRON_SEED_SCALE")

    @property
    def store_url(self) -> str:
        url = self.url("HOLOCRON_STORE_URL")
        if url:
            return url
        return "sqlite:///" + str(self.home / ".holocron" / "runs.sqlite")

    @property
    def api_tokens(self) -> tuple[ApiToken, ...]:
        """The API's tokens, checked: users, roles and SHA-256 digests (never the tokens)."""
        return parse_tokens(self.values.get("HOLOCRON_API_TOKENS") or "")

    @property
    def run_timeout(self) -> int | None:
        """Seconds a run may take; None means no limit (HOLOCRON_RUN_TIMEOUT=none)."""
        return self.integer("HOLOCRON_RUN_TIMEOUT")

    @property
    def workers(self) -> int:
        return self.integer("HOLOCRON_WORKERS")

    @property
    def max_waiting_per_user(self) -> int:
        return self.integer("HOLOCRON_MAX_WAITING_PER_USER")

    @property
    def run_attempts(self) -> int:
        return self.integer("HOLOCRON_RUN_ATTEMPTS")

    @property
    def worker_poll(self) -> float:
        return float(self.integer("HOLOCRON_WORKER_POLL"))

    @property
    def stop_grace(self) -> float:
        """Seconds running runs may go on once their worker is told to stop."""
        return float(self.integer("HOLOCRON_STOP_GRACE"))

    @property
    def recovery_every(self) -> float:
        return float(self.integer("HOLOCRON_RECOVERY_SECONDS"))

    @property
    def scheduler_poll(self) -> float:
        return float(self.integer("HOLOCRON_SCHEDULER_POLL"))

    @property
    def oidc_issuer(self) -> str | None:
        """The provider's issuer URL, or None when single sign-on is off."""
        return self.url("HOLOCRON_OIDC_ISSUER") or None

    @property
    def oidc_audience(self) -> str:
        audience = self.get("HOLOCRON_OIDC_AUDIENCE")
        if not audience:
            raise SettingsError("HOLOCRON_OIDC_AUDIENCE", "is required when "
                                                          "HOLOCRON_OIDC_ISSUER is set")
        return audience

    @property
    def oidc_jwks_url(self) -> str | None:
        return self.url("HOLOCRON_OIDC_JWKS_URL") or None

    @property
    def oidc_user_claim(self) -> str:
        return self.get("HOLOCRON_OIDC_USER_CLAIM")

    @property
    def oidc_role_claim(self) -> str:
        return self.get("HOLOCRON_OIDC_ROLE_CLAIM")

    @property
    def oidc_algorithms(self) -> tuple[str, ...]:
        return tuple(a.strip() for a in self.get("HOLOCRON_OIDC_ALGORITHMS").split(",")
                     if a.strip())

    @property
    def oidc_leeway(self) -> int:
        return self.integer("HOLOCRON_OIDC_LEEWAY")

    @property
    def oidc_jwks_refresh(self) -> int:
        return self.integer("HOLOCRON_OIDC_JWKS_REFRESH")

    @property
    def stale_after(self) -> int:
        return self.integer("HOLOCRON_STALE_SECONDS")

    def secrets(self) -> list[str]:
        """Every secret value in force, so output can be scrubbed of them."""
        found = [v for s in SETTINGS if s.secret and (v := self.values.get(s.name))]
        found += _plain_tokens(self.values.get("HOLOCRON_API_TOKENS") or "")
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


@dataclass(frozen=True)
class ApiToken:
    """One configured API token: who it belongs to, their role, and its SHA-256 digest."""

    user: str
    role: str
    digest: bytes = field(repr=False)


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def _plain_tokens(raw: str) -> list[str]:
    """The plain tokens in ``raw``, without checking anything (for redaction)."""
    found = []
    for entry in raw.split(","):
        token = entry.strip().rpartition("=")[0].strip()
        if token and not token.lower().startswith("sha256:"):
            found.append(token)
    return found


def parse_tokens(raw: str) -> tuple[ApiToken, ...]:
    """HOLOCRON_API_TOKENS as checked entries; errors name the entry and user, never a token."""
    name = "HOLOCRON_API_TOKENS"
    tokens: list[ApiToken] = []
    seen: dict[bytes, int] = {}
    for i, entry in enumerate((p.strip() for p in raw.split(",")), start=1):
        if not entry:
            continue
        token, sep, who = (part.strip() for part in entry.rpartition("="))
        user, _, role = (part.strip() for part in who.partition(":"))
        if not sep or not token or not user:
            raise SettingsError(name, f"entry {i} is not of the form token=user or "
                                      "token=user:role (values not shown)")
        if not _USER.fullmatch(user):
            raise SettingsError(name, f"entry {i}: a user name has letters, digits and . _ @ -, "
                                      "starting with a letter or digit (values not shown)")
        role = role.lower() or DEFAULT_ROLE
        if role not in ROLES:
            raise SettingsError(name, f"entry {i} (user {user}): unknown role; allowed: "
                                      + ", ".join(ROLES))
        if token.lower().startswith("sha256:"):
            hexdigest = token[len("sha256:"):]
            if not _HEX64.fullmatch(hexdigest):
                raise SettingsError(name, f"entry {i} (user {user}): a sha256: token needs the "
                                          "64 hexadecimal digits of the token's SHA-256 digest")
            digest = bytes.fromhex(hexdigest)
        elif len(token) < MIN_TOKEN_LENGTH:
            raise SettingsError(name, f"entry {i} (user {user}): the token is shorter than "
                                      f"{MIN_TOKEN_LENGTH} characters; use a long random one, "
                                      "e.g. from `python -c \"import secrets; "
                                      "print(secrets.token_urlsafe(32))\"`")
        else:
            digest = token_digest(token)
        if digest in seen:
            raise SettingsError(name, f"entries {seen[digest]} and {i} have the same token")
        seen[digest] = i
        tokens.append(ApiToken(user, role, digest))
    return tuple(tokens)


def check_integer(setting: Setting, raw: str | None) -> int | None:
    """``raw`` as the whole number ``setting`` allows; the error names the variable."""
    if raw is None:
        return None
    shown = "" if setting.secret else f", got {raw!r}"
    if setting.none_word and raw.lower() == setting.none_word:
        return None
    try:
        number = int(raw)
    except ValueError:
        words = f" or {setting.none_word}" if setting.none_word else ""
        raise SettingsError(setting.name, f"must be a whole number{words}{shown}") from None
    low, high = setting.minimum, setting.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            bounds = f"from {low} to {high}"
        else:
            bounds = f"at least {low}" if low is not None else f"at most {high}"
        words = f" (or {setting.none_word})" if setting.none_word else ""
        raise SettingsError(setting.name, f"must be {bounds}{words}{shown}")
    return number


def check_url(setting: Setting, raw: str | None) -> str | None:
    """``raw`` when its scheme is one ``setting`` allows; the error names the variable."""
    if raw is None:
        return None
    allowed = " or ".join(f"{s}://" for s in setting.schemes)
    scheme, sep, rest = raw.partition("://")
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme) or not rest:
        raise SettingsError(setting.name, f"is not a URL; it must start with {allowed}")
    if setting.schemes and scheme.lower().split("+", 1)[0] not in setting.schemes:
        shown = "" if setting.secret else f", got {scheme}://"
        raise SettingsError(setting.name, f"must start with {allowed}{shown}")
    return raw


def writable_folder(variable: str, folder: Path, shown: str | None = None) -> Path:
    """Create ``folder`` if need be and prove it takes a file; the error names ``variable``."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SettingsError(variable, f"the folder {shown or folder} cannot be written "
                                      f"({reason.lower()})") from None
    return folder


def load_settings(
    env: Mapping[str, str] | None = None,
    dotenv: bool = True,
    home: Path | str | None = None,
) -> Settings:
    """Settings from ``env`` (default ``os.environ``) over the project's `.env` over defaults."""
    environ = dict(os.environ if env is None else env)
    if home:
        root = Path(home)
    elif environ.get("HOLOCRON_HOME"):
        root = Path(environ["HOLOCRON_HOME"]).expanduser()
        if not root.is_dir():
            raise SettingsError("HOLOCRON_HOME", f"the folder {root} does not exist; create it "
                                "or point HOLOCRON_HOME at the project folder")
    else:
        root = find_project_root()
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
        values[s.name] = raw if raw is not None else s.default
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
