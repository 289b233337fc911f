"""A run cannot be turned against the server: what its kernel, its SQL and its parameters reach,
who may ask for what, and what a client can fetch back."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from runservice_fixtures import LiveServer, auth, tokens_setting, wait_for_runs
from seeded_db import fresh, lake_path, seeded_path

from holocron_lib.errors import ParameterError, TranslationError
from holocron_lib.execution.environment import kernel_environment
from holocron_lib.service import paths
from holocron_lib.service.api import create_app
from holocron_lib.service.registry import parse_parameters_cell
from holocron_lib.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
CANARY = "Canary-Pa55word-7f3e"
FILE_SECRET = "file-content-that-must-stay-put-4d2a"
PROBE = """# %% [markdown]
# # Environment probe
#
# | | |
# |---|---|
# | **Category** | Debug |
# | **Prerequisites** | none |
# | **Last verified** | 2026-01-01 |
#
# Prints the names of the variables its kernel was given.

# %% tags=["parameters"]
NOTE: str = ""  # ignored

# %%
import os

print("VARIABLES:", ",".join(sorted(os.environ)))
print("VALUES:", "|".join(os.environ.values()))
"""
CODE = PROBE.replace('NOTE: str = ""  # ignored', 'SNIPPET: str = ""  # Python to run [code]')


# ------------------------------------------------------------------ the kernel's environment


def test_kernel_environment_is_an_allow_list(tmp_path):
    environ = {"PATH": "/usr/bin", "HOME": "/home/x", "LANG": "C.UTF-8", "LC_ALL": "C",
               "PYTHONPATH": "/src", "HOLOCRON_DB_PATH": "db.duckdb", "LAKE_ROOT": "lake",
               "HOLOCRON_API_TOKENS": "secret-token-0123456=ana", "HOLOCRON_STORE_URL":
               f"postgresql://u:{CANARY}@h/d", "SEED_SQLSERVER_PASSWORD": CANARY,
               "AWS_SECRET_ACCESS_KEY": CANARY, "HOLOCRON_WORKERS": "3",
               "HTTPS_PROXY": f"http://u:{CANARY}@proxy"}
    env = kernel_environment(tmp_path, environ)
    assert {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "HOLOCRON_DB_PATH",
            "LAKE_ROOT"} <= set(env)
    assert env["HOLOCRON_HOME"] == str(tmp_path) and env["OMP_NUM_THREADS"] == "1"
    assert not {"HOLOCRON_API_TOKENS", "HOLOCRON_STORE_URL", "SEED_SQLSERVER_PASSWORD",
                "AWS_SECRET_ACCESS_KEY", "HOLOCRON_WORKERS", "HTTPS_PROXY"} & set(env)
    assert CANARY not in json.dumps(env)


def test_sql_server_variables_pass_only_with_that_backend(tmp_path):
    environ = {"PATH": "/usr/bin", "SEED_SQLSERVER_PASSWORD": CANARY, "ODBCSYSINI": "/etc"}
    assert "SEED_SQLSERVER_PASSWORD" not in kernel_environment(tmp_path, environ)
    with_host = kernel_environment(tmp_path, {**environ, "SEED_SQLSERVER_HOST": "db"})
    assert with_host["SEED_SQLSERVER_PASSWORD"] == CANARY and with_host["ODBCSYSINI"] == "/etc"
    (tmp_path / ".env").write_text("SEED_SQLSERVER_HOST=db\n")
    assert "SEED_SQLSERVER_PASSWORD" in kernel_environment(tmp_path, environ)


# ------------------------------------------------------------------ DuckDB sessions


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    return seeded_path(tmp_path_factory)


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_text('/proc/self/environ')", "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM glob('/*')", "SELECT * FROM read_blob('/etc/hostname')",
    "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')", "ATTACH '/tmp/x.duckdb' AS x",
    "INSTALL httpfs", "LOAD httpfs", "COPY (SELECT 1) TO '/tmp/holocron-out.csv'",
    "SET enable_external_access = true", "SET autoinstall_known_extensions = true",
    "SET lock_configuration = false", "EXPORT DATABASE '/tmp/holocron-export'",
])
def test_duckdb_sessions_reach_nothing_but_the_database(seeded, tmp_path_factory, sql):
    db = fresh(tmp_path_factory)
    try:
        with pytest.raises(duckdb.Error) as info:
            db.connection.execute(sql)
        assert "disabled" in str(info.value) or "locked" in str(info.value)
        assert db.scalar("SELECT COUNT(*) FROM dbo.DimEntity") > 0  # the database still works
    finally:
        db.close()
    assert not Path("/tmp/holocron-out.csv").exists()


def test_t_sql_file_functions_are_refused_with_a_clear_error(seeded, tmp_path_factory,
                                                             tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(FILE_SECRET)
    db = fresh(tmp_path_factory)
    try:
        # the translator refuses DuckDB's file functions: they are not T-SQL
        with pytest.raises(TranslationError) as info:
            db.query(f"SELECT TOP 1 * FROM read_text('{secret}')")
        # and the DuckDB session itself refuses them, should a file function get past it
        with pytest.raises(duckdb.Error) as raw:
            db._con.execute(f"SELECT * FROM read_text('{secret}')").fetchall()
    finally:
        db.close()
    assert "READ_TEXT() is not a T-SQL function" in str(info.value)
    assert "file system operations are disabled" in str(raw.value)
    assert FILE_SECRET not in str(info.value) + str(raw.value)


# ------------------------------------------------------------------ parameters


def _cell(line: str):
    return parse_parameters_cell(line, notebook="t")


def test_path_parameters_are_declared_and_confined():
    (p,) = _cell('OUT: str = ""  # where [within: user]')
    assert (p.type, p.within) == ("path", "user")
    (q,) = _cell('OUT: "path" = "a/b.json"  # default folder')
    assert (q.type, q.within) == ("path", "run")
    with pytest.raises(ParameterError, match="unknown folder"):
        _cell('OUT: str = ""  # x [within: anywhere]')
    with pytest.raises(ParameterError, match="must be a str"):
        _cell('OUT: int = 1  # x [within: run]')


@pytest.mark.parametrize("value, reason", [
    ("/etc/passwd", "absolute path"), ("~/x", "absolute path"), ("../x.json", "(..)"),
    ("a/../../x", "(..)"), (".env", "not allowed"), ("a/.git/config", "not allowed"),
    ("a\\b", "backslash"), ("a//b", "empty part"), ("x" * 300, "longer than"),
    ("C:/x", "absolute path"),
])
def test_path_values_that_leave_their_folder_are_refused(value, reason):
    from holocron_lib.service.params import validate_values

    params = _cell('CHECKPOINT_PATH: str = ""  # where [within: run]')
    with pytest.raises(ParameterError) as info:
        validate_values("runbooks/x", params, {"CHECKPOINT_PATH": value})
    assert info.value.parameter == "CHECKPOINT_PATH" and reason in info.value.reason
    assert validate_values("runbooks/x", params, {"CHECKPOINT_PATH": "ckpt/state-1.json"})


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path):
    params = _cell('CHECKPOINT_PATH: str = ""  # where [within: user]')
    outside = tmp_path / "outside"
    outside.mkdir()
    artifacts = tmp_path / "artifacts"
    box = paths.folder_for("user", home=tmp_path, artifacts_dir=artifacts, run_id=1, user="ana")
    (box / "escape").symlink_to(outside)
    (box / "hidden").symlink_to(box / ".secret")
    kw = dict(home=tmp_path, artifacts_dir=artifacts, run_id=1, user="ana")
    for value, reason in (("escape/x.json", "out of its folder"), ("hidden", "hidden file")):
        with pytest.raises(ParameterError) as info:
            paths.confine("runbooks/x", params, {"CHECKPOINT_PATH": value}, **kw)
        assert info.value.parameter == "CHECKPOINT_PATH" and reason in info.value.reason
    done = paths.confine("runbooks/x", params, {"CHECKPOINT_PATH": "a/b.json"}, **kw)
    assert done["CHECKPOINT_PATH"] == str(box.resolve() / "a" / "b.json")


def test_marks_and_the_confirm_convention():
    from holocron_lib.service import auth

    params = _cell('Q: str = ""  # sql [sql]\nC: str = ""  # code [code]\n'
                   'CONFIRM: bool = False  # writes\nW: bool = False  # w [writes]')
    assert [p.marks for p in params] == [("sql",), ("code",), ("writes",), ("writes",)]

    class Info:
        parameters = params

    assert auth.role_needed(Info, {"Q": " ", "C": "", "CONFIRM": False})[0] == "runner"
    assert auth.role_needed(Info, {"Q": "SELECT 1"}) == ("operator", "parameter Q is free-form "
                                                                     "SQL")
    assert auth.role_needed(Info, {"CONFIRM": True})[0] == "operator"
    assert auth.role_needed(Info, {"Q": "x", "C": "print(1)"})[0] == "admin"


def test_tokens_are_compared_by_digest():
    from holocron_lib.service.auth import authenticate
    from holocron_lib.settings import parse_tokens

    digest = hashlib.sha256(b"only-the-digest-is-configured").hexdigest()
    tokens = parse_tokens(f"plain-token-0123456789=ana,sha256:{digest}=ben:admin")
    assert authenticate(tokens, "plain-token-0123456789").user == "ana"
    assert authenticate(tokens, "only-the-digest-is-configured").role == "admin"
    assert authenticate(tokens, digest) is None and authenticate(tokens, "") is None


# ------------------------------------------------------------------ runs over the API


@pytest.fixture
def registry(tmp_path):
    """A registry with the real scratchpad and checkpoint runbook, and two probes."""
    root = tmp_path / "registry"
    for name in ("exploration/01_sql_scratchpad", "runbooks/05_checkpoint_rerun"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "notebooks_py" / f"{name}.py", root / f"{name}.py")
    (root / "probe.py").write_text(PROBE)
    (root / "code_probe.py").write_text(CODE)
    return root


@pytest.fixture
def secured(clean_env, registry, seeded, monkeypatch):
    """A client of an API whose process holds secrets a run must not see."""
    values = {"HOLOCRON_STORE_URL": f"sqlite:///{clean_env}/runs.sqlite",
              "HOLOCRON_API_TOKENS": tokens_setting(), "HOLOCRON_DB_PATH": str(seeded),
              "LAKE_ROOT": str(lake_path()), "SEED_SQLSERVER_PASSWORD": CANARY,
              "HOLOCRON_RUN_TIMEOUT": "120", "UNRELATED_SECRET": CANARY}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    settings = load_settings(dotenv=False)
    with TestClient(create_app(settings, notebooks_root=registry, workers=2)) as client:
        client.home = clean_env
        yield client


SECRETS = [CANARY, FILE_SECRET, "root:x:0:0", *(t for t in tokens_setting().replace(
    "=", ",").split(",") if t.startswith("tok-"))]


def _output(client, run, who="otto") -> str:
    reply = client.get(f"/runs/{run['id']}/output", headers=auth(who))
    assert reply.status_code == 200, reply.text
    return reply.text


def _assert_nothing_leaks(text: str, home: Path, queried: bool = False) -> None:
    for secret in SECRETS:
        assert secret not in text
    for path in {str(home), str(ROOT), sys.prefix, *(() if queried else ("/tmp/", "/proc/"))}:
        at = text.find(path)
        assert at < 0, text[max(0, at - 300):at + 100]


@pytest.mark.slow
def test_the_scratchpad_reads_no_file_and_no_url(secured, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(FILE_SECRET)
    queries = [f"SELECT * FROM read_text('{path}')" for path in ("/proc/self/environ", secret)]
    queries += [f"SELECT * FROM read_csv('{secret}')", "SELECT * FROM read_csv('/etc/*')",
                f"SELECT * FROM '{secret}'", "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",
                "SELECT * FROM read_parquet('https://example.com/x.parquet')",
                "ATTACH '/tmp/x.duckdb' AS x", "INSTALL httpfs", "LOAD httpfs"]
    ids = []
    for sql in queries:
        reply = secured.post("/notebooks/exploration/01_sql_scratchpad/runs", headers=auth("otto"),
                             json={"parameters": {"QUERY": sql}})
        assert reply.status_code == 202, reply.text
        ids.append(reply.json()["id"])
    runs = wait_for_runs(secured, ids, auth("otto"), timeout=300)
    for sql, run_id in zip(queries, ids, strict=True):
        run = runs[run_id]
        assert run["status"] == "failed", (sql, run)
        assert any(words in run["error"] for words in (
            "file system operations are disabled", "Unknown table", "only SELECT queries",
            "not valid T-SQL", "see the T-SQL support page")), (sql, run["error"])
        assert "httpfs" not in run["error"] or "INSTALL" in sql or "LOAD" in sql
        # the paths the queries name are in the output as typed; nothing else is
        shown = {k: v for k, v in run.items() if k != "parameters"}  # those echo the query
        _assert_nothing_leaks(_output(secured, run) + json.dumps(shown), secured.home, True)


@pytest.mark.slow
def test_a_kernel_sees_only_the_allowed_variables(secured):
    reply = secured.post("/notebooks/probe/runs", headers=auth(), json={})
    (run,) = wait_for_runs(secured, [reply.json()["id"]], auth()).values()
    assert run["status"] == "succeeded", run
    text = _output(secured, run, "alice")
    names = set(text.split("VARIABLES: ", 1)[1].split("\\n", 1)[0].split(","))
    assert {"PATH", "HOLOCRON_HOME", "HOLOCRON_DB_PATH"} <= names
    assert not {"HOLOCRON_API_TOKENS", "HOLOCRON_STORE_URL", "SEED_SQLSERVER_PASSWORD",
                "UNRELATED_SECRET"} & names
    _assert_nothing_leaks(text, secured.home)


@pytest.mark.slow
def test_roles_decide_who_may_run_what(secured):
    def post(who, name, parameters):
        return secured.post(f"/notebooks/{name}/runs", headers=auth(who),
                            json={"parameters": parameters})

    def refused(reply, needed):
        assert reply.status_code == 403, reply.text
        error = reply.json()["error"]
        assert error["code"] == "forbidden" and error["details"]["needed_role"] == needed
        assert f"needs the role {needed}" in error["message"]
        return error

    refused(post("vera", "probe", {}), "runner")
    assert "QUERY is free-form SQL" in refused(
        post("alice", "exploration/01_sql_scratchpad", {"QUERY": "SELECT 1"}), "operator")[
        "message"]
    refused(post("alice", "runbooks/05_checkpoint_rerun", {"CONFIRM": True}), "operator")
    refused(post("otto", "code_probe", {"SNIPPET": "print(1)"}), "admin")
    assert secured.get("/runs", headers=auth("ada")).json()["total"] == 0  # nothing recorded
    ok = [post("alice", "exploration/01_sql_scratchpad", {"QUERY": ""}),
          post("otto", "exploration/01_sql_scratchpad", {"QUERY": "SELECT TOP 1 1 AS x"}),
          post("ada", "code_probe", {"SNIPPET": "print(1)"})]
    assert [r.status_code for r in ok] == [202, 202, 202]
    done = wait_for_runs(secured, [r.json()["id"] for r in ok], auth("ada"), timeout=300)
    alice_run = done[ok[0].json()["id"]]
    assert secured.get("/notebooks", headers=auth("vera")).status_code == 200  # viewers read
    summary = secured.get(f"/runs/{alice_run['id']}", headers=auth("vera")).json()
    assert summary["detail"] == "summary" and summary["parameters"] == {}
    assert summary["error"] is None and "output" not in summary["links"]
    refused(secured.get(f"/runs/{alice_run['id']}/output", headers=auth("vera")), "admin")
    refused(secured.get(f"/runs/{alice_run['id']}/output.html", headers=auth("bob")), "admin")
    assert secured.get(f"/runs/{alice_run['id']}", headers=auth("alice")).json()[
        "detail"] == "full"
    assert secured.get(f"/runs/{alice_run['id']}/output", headers=auth("ada")).status_code == 200


@pytest.mark.slow
def test_a_path_parameter_writes_only_inside_its_folder(secured, tmp_path):
    outside = tmp_path / "victim.json"
    outside.write_text('{"step": "not yours"}')
    name = "runbooks/05_checkpoint_rerun"
    for value in (str(outside), "../../notebooks/x.ipynb", "../bob/checkpoint.json"):
        reply = secured.post(f"/notebooks/{name}/runs", headers=auth(),
                             json={"parameters": {"CHECKPOINT_PATH": value}})
        assert reply.status_code == 422, reply.text
        (problem,) = reply.json()["error"]["details"]["problems"]
        assert problem["field"] == "CHECKPOINT_PATH"
    artifacts = secured.home / "artifacts"
    box = artifacts / "users" / "otto"  # an operator: only a confirmed run keeps its checkpoint
    box.mkdir(parents=True)
    (box / "escape").symlink_to(tmp_path)
    good = secured.post(f"/notebooks/{name}/runs", headers=auth("otto"),
                        json={"parameters": {"CHECKPOINT_PATH": "ckpt/state.json", "CONFIRM": True}})
    sneaky = secured.post(f"/notebooks/{name}/runs", headers=auth("otto"),
                          json={"parameters": {"CHECKPOINT_PATH": "escape/victim.json"}})
    runs = wait_for_runs(secured, [good.json()["id"], sneaky.json()["id"]], auth("otto"), timeout=300)
    assert runs[good.json()["id"]]["status"] == "succeeded", runs[good.json()["id"]]
    saved = json.loads((box / "ckpt" / "state.json").read_text())
    assert saved["step"] == "entity_classification_v1" and saved["done"]
    bad = runs[sneaky.json()["id"]]
    assert bad["status"] == "error" and "CHECKPOINT_PATH" in bad["error"]
    assert "symbolic link" in bad["error"] and "output" not in bad["links"]
    assert json.loads(outside.read_text()) == {"step": "not yours"}
    _assert_nothing_leaks(_output(secured, runs[good.json()["id"]], "otto"), secured.home)


@pytest.mark.slow
def test_a_failing_query_shows_no_absolute_path(secured):
    reply = secured.post("/notebooks/exploration/01_sql_scratchpad/runs", headers=auth("otto"),
                         json={"parameters": {"QUERY": "SELECT TOP 1 * FROM dbo.NoSuchTable"}})
    (run,) = wait_for_runs(secured, [reply.json()["id"]], auth("otto"), timeout=300).values()
    assert run["status"] == "failed" and "NoSuchTable" in run["error"]
    served = _output(secured, run)
    assert "holocron_lib/db/" in served  # the traceback is there, with relative paths
    html = secured.get(f"/runs/{run['id']}/output.html", headers=auth("otto")).text
    stored = next((secured.home / "artifacts" / "notebooks").rglob(f"*-{run['id']}.ipynb"))
    for text in (served, html, stored.read_text()):
        _assert_nothing_leaks(text, secured.home)


def test_an_unwritable_artifacts_folder_gives_no_output_link(secured, monkeypatch, registry):
    blocker = secured.home / "not-a-folder"
    blocker.write_text("x")
    settings = load_settings(env={**dict(__import__("os").environ),
                                  "HOLOCRON_ARTIFACTS_DIR": str(blocker / "artifacts")},
                             dotenv=False)
    with TestClient(create_app(settings, notebooks_root=registry, workers=1)) as client:
        reply = client.post("/notebooks/probe/runs", headers=auth(), json={})
        (run,) = wait_for_runs(client, [reply.json()["id"]], auth()).values()
        assert run["status"] == "error" and "HOLOCRON_ARTIFACTS_DIR" in run["error"]
        assert "cannot be written" in run["error"] and str(blocker) not in run["error"]
        assert "output" not in run["links"] and "output_html" not in run["links"]
        assert client.get(f"/runs/{run['id']}/output", headers=auth()).status_code == 404


def test_a_token_in_the_query_string_stays_out_of_the_access_log(run_settings, registry):
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    handler = Keep()
    app = create_app(run_settings, notebooks_root=registry, workers=1)
    with LiveServer(app, log_level="info") as server:
        logging.getLogger("uvicorn.access").addHandler(handler)
        try:
            import httpx

            token = auth()["Authorization"].split()[1]
            for query in (f"token={token}&limit=5", f"access_token={token}", f"x={token}"):
                assert httpx.get(f"{server.url}/runs?{query}").status_code == 401
        finally:
            logging.getLogger("uvicorn.access").removeHandler(handler)
    assert len(lines) == 3 and "limit=5" in lines[0]
    assert not [line for line in lines if token in line]


WRITER = PROBE.replace('NOTE: str = ""  # ignored', 'OUT: str = ""  # where to write [within: run]'
                       ).replace('print("VARIABLES:"', 'open(OUT, "w").write("written") if OUT '
                                 'else None\nprint("VARIABLES:"')


@pytest.mark.slow
def test_the_command_line_confines_path_parameters_too(clean_env, monkeypatch, tmp_path):
    from click.testing import CliRunner

    from holocron_lib.cli import cli

    root = tmp_path / "registry"
    root.mkdir()
    (root / "writer.py").write_text(WRITER)
    monkeypatch.setenv("HOLOCRON_STORE_URL", f"sqlite:///{clean_env}/runs.sqlite")
    target = tmp_path / "elsewhere.txt"
    refused = CliRunner().invoke(cli, ["run", "writer", "-p", f"OUT={target}", "-q",
                                       "--root", str(root)])
    assert refused.exit_code == 1 and "parameter 'OUT': is an absolute path" in refused.output
    assert not target.exists()
    done = CliRunner().invoke(cli, ["run", "writer", "-p", "OUT=sub/out.txt", "-q",
                                    "--root", str(root)])
    assert done.exit_code == 0, done.output
    assert (clean_env / "artifacts" / "runs" / "2" / "sub" / "out.txt").read_text() == "written"


@pytest.mark.slow
def test_one_user_cannot_fill_the_queue(run_env, monkeypatch, store_url):
    monkeypatch.setenv("HOLOCRON_MAX_WAITING_PER_USER", "2")
    settings = load_settings(dotenv=False)
    from runservice_fixtures import NOTEBOOKS

    with TestClient(create_app(settings, notebooks_root=NOTEBOOKS, workers=1)) as client:
        replies = [client.post("/notebooks/slow/runs", headers=auth(),
                               json={"parameters": {"SECONDS": 3}, "timeout": 30})
                   for _ in range(5)]
        codes = [r.status_code for r in replies]
        assert codes[:2] == [202, 202] and 429 in codes, codes
        error = next(r for r in replies if r.status_code == 429).json()["error"]
        assert error["code"] == "too_many_waiting" and error["details"] == {"limit": 2}
        assert "HOLOCRON_MAX_WAITING_PER_USER" in error["message"]
        other = client.post("/notebooks/no_parameters/runs", headers=auth("bob"), json={})
        assert other.status_code == 202  # the limit is per user
        queued = [r for r in client.get("/runs", params={"user": "alice", "status": "queued"},
                                        headers=auth("ada")).json()["runs"]]
        assert len(queued) <= 2
        ids = [r.json()["id"] for r in replies if r.status_code == 202] + [other.json()["id"]]
        wait_for_runs(client, ids, auth("ada"), timeout=180)


@pytest.mark.slow
def test_the_books_kernels_get_the_allow_list_too(tmp_path, monkeypatch):
    import jupytext

    from holocron_lib.execution.executor import Job, execute_notebooks

    monkeypatch.setenv("HOLOCRON_API_TOKENS", "build-machine-token-0123=ana")
    monkeypatch.setenv("UNRELATED_SECRET", CANARY)
    nb = jupytext.reads("# %%\nimport os\nprint(sorted(os.environ))\n", fmt="py:percent")
    results: list = []
    execute_notebooks([Job("nb", nb, tmp_path)], workers=1, env=kernel_environment(tmp_path),
                      cell_timeout=30, notebook_timeout=60, on_result=results.append)
    (cell,) = [c for c in results[0].nb.cells]
    printed = cell.outputs[0]["text"]
    assert "HOLOCRON_HOME" in printed and "PATH" in printed
    assert "HOLOCRON_API_TOKENS" not in printed and "UNRELATED_SECRET" not in printed
