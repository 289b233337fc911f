"""Checks of the local stack for the verify runbook: each gives pass, warn or fail, and a remedy.

A check never raises: whatever goes wrong becomes a row saying what failed and what to do.
No detail ever includes a password or a connection string.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass

from holocron_lib.db import connection
from holocron_lib.notebook.pipeline_state import error_excerpt

PASS, WARN, FAIL = "pass", "warn", "fail"
CONNECT_REMEDY = "run `holocron db build` for the embedded database, or check SEED_SQLSERVER_* in .env"


@dataclass(frozen=True)
class CheckResult:
    check: str
    status: str
    detail: str
    remedy: str = ""


def _guard(name: str, fn: Callable[[], CheckResult], remedy: str, redact=lambda s: s) -> CheckResult:
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - every failure becomes a row
        return CheckResult(name, FAIL, redact(f"{type(exc).__name__}: {exc}")[:300], remedy)


def check_database(db) -> CheckResult:
    def run():
        one = db.scalar("SELECT 1")
        if one != 1:
            return CheckResult("database connection", FAIL, f"SELECT 1 returned {one!r}",
                               "check the database server and the SEED_SQLSERVER_* settings")
        return CheckResult("database connection", PASS, f"connected ({db.backend})")

    return _guard("database connection", run, CONNECT_REMEDY)


def check_expected_objects(db, expected: list[str]) -> CheckResult:
    """Every table and view the project's schema defines exists in the database."""
    def run():
        objects = db.tables()
        present = {f"{r.schema}.{r.name}".lower() for r in objects.itertuples()}
        missing = sorted(o for o in expected if o.lower() not in present)
        if missing:
            shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
            return CheckResult("schema objects", FAIL, f"{len(missing)} of {len(expected)} missing: {shown}",
                               "apply the missing migrations (or rebuild the embedded database)")
        return CheckResult("schema objects", PASS, f"all {len(expected)} expected tables and views present")

    return _guard("schema objects", run, "check that the database is the Holocron database")


def check_seeded(db, table: str = "dbo.DimEntity", minimum: int = 1) -> CheckResult:
    def run():
        rows = db.scalar(f"SELECT COUNT(*) FROM {table}")
        if (rows or 0) < minimum:
            return CheckResult("seed data", WARN, f"{table} has {rows} rows",
                               "load the seed data (`holocron db build` or the seed loader)")
        return CheckResult("seed data", PASS, f"{table} has {int(rows):,} rows")

    return _guard("seed data", run, "load the seed data")


def check_ollama(base_url: str, embedder_factory=None) -> CheckResult:
    from holocron_lib.notebook.embeddings import OllamaEmbedder

    def run():
        client = (embedder_factory or OllamaEmbedder)(base_url, "probe")
        if client.available():
            return CheckResult("ollama", PASS, f"answering at {base_url}")
        return CheckResult("ollama", WARN, f"no answer at {base_url}",
                           "start Ollama (`ollama serve` or the compose service) or set "
                           "OLLAMA_BASE_URL; the embedding runbook falls back to local embeddings")

    return _guard("ollama", run, "check OLLAMA_BASE_URL")


def check_docker(compose_file: str | None = None, runner=subprocess.run) -> CheckResult:
    """Compose services, where a Docker engine answers; a warning (not a failure) otherwise."""
    def run():
        if shutil.which("docker") is None:
            return CheckResult("docker compose", WARN, "docker is not installed",
                               "install Docker to run SQL Server and Ollama locally")
        args = ["docker", "compose"] + (["-f", compose_file] if compose_file else []) + \
               ["ps", "--format", "json"]
        proc = runner(args, capture_output=True, text=True, timeout=20)
        if proc.returncode != 0:
            first = (proc.stderr or proc.stdout).strip().splitlines()[:1]
            return CheckResult("docker compose", WARN,
                               f"docker compose did not answer: {first[0][:160] if first else 'no output'}",
                               "start the Docker engine, then `docker compose up -d`")
        lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
        running = [s.get("Service", "?") for s in lines if s.get("State") == "running"]
        others = [s.get("Service", "?") for s in lines if s.get("State") != "running"]
        if others:
            return CheckResult("docker compose", WARN,
                               f"running: {', '.join(running) or 'none'}; not running: {', '.join(others)}",
                               "`docker compose up -d` the services that are down")
        return CheckResult("docker compose", PASS, f"running: {', '.join(running) or 'no services'}")

    return _guard("docker compose", run, "check the Docker installation")


def results_frame(results: list[CheckResult]):
    import pandas as pd

    return pd.DataFrame([asdict(r) for r in results], columns=["check", "status", "detail", "remedy"])


def expected_objects() -> list[str]:
    """Every table of the project's DDL and every view of its view files, as ``schema.name``."""
    from holocron_lib.schema.apply import view_names
    from holocron_lib.schema.ddl import load_schema_model

    return [t.full_name for t in load_schema_model().tables] + view_names()


def check_schema_version(db) -> CheckResult:
    """The newest migration recorded in ``dbo.__migration_log`` (the embedded database has none)."""
    def run():
        row = db.query(
            "SELECT TOP (1) migration_id, status, started_utc FROM dbo.__migration_log "
            "ORDER BY migration_id DESC, log_id DESC"
        )
        if row.empty:
            return CheckResult("schema version", PASS if db.backend == "duckdb" else WARN,
                               "no migrations logged" + (" (built from the project's DDL)"
                                                         if db.backend == "duckdb" else ""),
                               "" if db.backend == "duckdb" else
                               "the database was not created by the migration runner; compare its "
                               "objects below")
        r = row.iloc[0]
        status = PASS if r["status"] in ("completed", "skipped") else WARN
        return CheckResult("schema version", status, f"latest migration {r['migration_id']} ({r['status']})",
                           "" if status == PASS else "finish or re-run that migration")

    return _guard("schema version", run, "check that dbo.__migration_log exists")


def connect_and_check(settings, *, docker: bool = True, compose_file: str | None = None,
                      connect=None) -> tuple[object | None, list[CheckResult]]:
    """Open the database and run every check: ``(db, results)``.

    A connection that cannot be opened is itself the finding: ``db`` is None and the results
    are one failed row whose detail is the error's message with secrets masked.
    """
    try:
        db = (connect or connection.connect)(settings)
    except Exception as exc:  # noqa: BLE001 - the failure becomes the first row
        detail = error_excerpt(f"{type(exc).__name__}: {exc}", max_chars=300)
        return None, [CheckResult("database connection", FAIL, detail, CONNECT_REMEDY)]
    return db, run_checks(db, settings, docker=docker, compose_file=compose_file)


def next_steps(results: list[CheckResult]) -> list[str]:
    """What to do, one line per check that did not pass, then how many passed."""
    lines = [f"[{r.status}] {r.check}: {r.remedy}" for r in results if r.status != PASS]
    passed = sum(r.status == PASS for r in results)
    return lines + [f"{passed} of {len(results)} checks passed"]


def run_checks(db, settings, *, docker: bool = True, compose_file: str | None = None) -> list[CheckResult]:
    """All checks of the stack, in the order a person would fix them."""
    results = [check_database(db)]
    if results[0].status == FAIL:
        return results
    results += [check_schema_version(db), check_expected_objects(db, expected_objects()), check_seeded(db),
                check_ollama(settings.url("OLLAMA_BASE_URL"))]
    if docker:
        results.append(check_docker(compose_file))
    return results
