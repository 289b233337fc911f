from pathlib import Path

import pytest

from holocron_lib.errors import SettingsError
from holocron_lib.settings import SETTINGS, load_settings, render_env_example

ROOT = Path(__file__).resolve().parent.parent
CANARY = "Canary-Pa55word-7f3e"


def test_defaults_use_embedded_backend(clean_env):
    s = load_settings(env={"HOLOCRON_HOME": str(clean_env)})
    assert s.backend == "duckdb"
    assert s.db_path == clean_env / ".holocron" / "holocron.duckdb"


def test_sqlserver_selected_by_host_and_needs_credentials(clean_env):
    half = load_settings(env={"HOLOCRON_HOME": str(clean_env), "SEED_SQLSERVER_HOST": "db"})
    with pytest.raises(SettingsError) as info:  # when SQL Server is used, not on load
        half.require_sqlserver_login()
    assert info.value.variable == "SEED_SQLSERVER_USER"
    s = load_settings(env={
        "HOLOCRON_HOME": str(clean_env), "SEED_SQLSERVER_HOST": "db",
        "SEED_SQLSERVER_USER": "sa", "SEED_SQLSERVER_PASSWORD": CANARY,
    })
    assert s.backend == "sqlserver"
    assert CANARY not in repr(s)
    assert CANARY not in str(s)
    assert s.redact(f"login failed for {CANARY}") == "login failed for ***"


def test_invalid_port_is_named_without_value_leak(clean_env):
    s = load_settings(env={"HOLOCRON_HOME": str(clean_env), "SEED_SQLSERVER_PORT": "abc"})
    with pytest.raises(SettingsError) as info:
        s.integer("SEED_SQLSERVER_PORT")
    assert "SEED_SQLSERVER_PORT" in str(info.value)


def test_bad_token_entry_does_not_print_tokens(clean_env):
    s = load_settings(env={"HOLOCRON_HOME": str(clean_env), "HOLOCRON_API_TOKENS": CANARY})
    with pytest.raises(SettingsError) as info:
        s.api_tokens  # noqa: B018 - reading it raises
    assert CANARY not in str(info.value)
    assert "HOLOCRON_API_TOKENS" in str(info.value)


def test_dotenv_file_is_read_and_environment_wins(clean_env):
    (clean_env / ".env").write_text("HOLOCRON_WORKERS=5\nHOLOCRON_RUN_TIMEOUT=30\n")
    s = load_settings(env={"HOLOCRON_HOME": str(clean_env), "HOLOCRON_WORKERS": "3"})
    assert s.workers == 3
    assert s.run_timeout == 30


def test_env_example_is_current_and_documents_every_setting():
    text = (ROOT / ".env.example").read_text()
    assert text == render_env_example(), "regenerate with: holocron settings env-example > .env.example"
    for s in SETTINGS:
        assert f"# {s.name}=" in text


def test_configuration_page_lists_every_setting():
    from holocron_lib.settings import render_settings_table

    page = (ROOT / "book" / "configuration.md").read_text()
    start = page.index("<!-- settings-table:start -->\n") + len("<!-- settings-table:start -->\n")
    end = page.index("<!-- settings-table:end -->")
    assert page[start:end] == render_settings_table()


def _settings(clean_env, **values):
    return load_settings(env={"HOLOCRON_HOME": str(clean_env), **values}, dotenv=False)


@pytest.mark.parametrize("name, value, expected", [
    ("HOLOCRON_SEED_SCALE", "0", "must be at least 1, got '0'"),
    ("HOLOCRON_SEED_SCALE", "two", "must be a whole number, got 'two'"),
    ("SEED_SQLSERVER_PORT", "99999", "must be from 1 to 65535, got '99999'"),
    ("SEED_SQLSERVER_PORT", "0", "must be from 1 to 65535, got '0'"),
    ("HOLOCRON_RUN_TIMEOUT", "0", "must be at least 1 (or none), got '0'"),
    ("HOLOCRON_RUN_TIMEOUT", "-5", "must be at least 1 (or none), got '-5'"),
    ("HOLOCRON_WORKERS", "0", "must be from 1 to 64, got '0'"),
    ("HOLOCRON_MAX_WAITING_PER_USER", "0", "must be from 1 to 1000, got '0'"),
])
def test_numbers_are_checked_against_their_range_where_used(clean_env, name, value, expected):
    s = _settings(clean_env, **{name: value})  # loading never fails over a number
    with pytest.raises(SettingsError) as info:
        s.integer(name)
    assert str(info.value) == f"Setting {name}: {expected}"


def test_typed_settings_use_the_same_checks(clean_env):
    with pytest.raises(SettingsError, match="HOLOCRON_SEED_SCALE"):
        _settings(clean_env, HOLOCRON_SEED_SCALE="0").seed_scale  # noqa: B018 - reading it raises
    with pytest.raises(SettingsError, match="HOLOCRON_WORKERS"):
        _settings(clean_env, HOLOCRON_WORKERS="0").workers  # noqa: B018 - reading it raises
    assert _settings(clean_env, HOLOCRON_RUN_TIMEOUT="none").run_timeout is None
    assert _settings(clean_env, HOLOCRON_RUN_TIMEOUT="NONE").run_timeout is None
    assert _settings(clean_env, HOLOCRON_RUN_TIMEOUT="30").run_timeout == 30
    assert _settings(clean_env).max_waiting_per_user == 20


@pytest.mark.parametrize("url, expected", [
    ("not-a-url", "is not a URL; it must start with sqlite:// or postgresql://"),
    (f"mysql://root:{CANARY}@db/x", "must start with sqlite:// or postgresql://"),
    ("postgresql+psycopg://", "is not a URL; it must start with sqlite:// or postgresql://"),
])
def test_store_url_scheme_is_checked_without_showing_the_url(clean_env, url, expected):
    s = _settings(clean_env, HOLOCRON_STORE_URL=url)
    with pytest.raises(SettingsError) as info:
        s.store_url  # noqa: B018 - reading it raises
    assert str(info.value) == f"Setting HOLOCRON_STORE_URL: {expected}"
    assert CANARY not in str(info.value) and "mysql" not in str(info.value)


def test_store_url_accepts_sqlite_and_postgresql_with_a_driver(clean_env):
    for url in ("sqlite:////tmp/x.sqlite", "postgresql://u@h/d", "postgresql+psycopg://u@h/d"):
        assert _settings(clean_env, HOLOCRON_STORE_URL=url).store_url == url


def test_ollama_url_must_be_http(clean_env):
    with pytest.raises(SettingsError, match="must start with http:// or https://"):
        _settings(clean_env, OLLAMA_BASE_URL="ftp://x").url("OLLAMA_BASE_URL")


def test_a_missing_home_is_refused_not_created(tmp_path):
    missing = tmp_path / "nonexistent"
    with pytest.raises(SettingsError) as info:
        load_settings(env={"HOLOCRON_HOME": str(missing)}, dotenv=False)
    assert info.value.variable == "HOLOCRON_HOME" and "does not exist" in str(info.value)
    assert not missing.exists()


def test_writable_folder_names_the_variable(tmp_path):
    from holocron_lib.settings import writable_folder

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(SettingsError) as info:
        writable_folder("HOLOCRON_ARTIFACTS_DIR", blocker / "notebooks", "artifacts/notebooks")
    assert str(info.value).startswith("Setting HOLOCRON_ARTIFACTS_DIR: the folder "
                                      "artifacts/notebooks cannot be written")
    assert writable_folder("HOLOCRON_ARTIFACTS_DIR", tmp_path / "ok") == tmp_path / "ok"


def test_tokens_carry_users_roles_and_digests(clean_env):
    import hashlib

    hashed = hashlib.sha256(b"a-hashed-token-of-any-length").hexdigest()
    s = _settings(clean_env, HOLOCRON_API_TOKENS=(
        f"plain-token-0123456789=ana, long-token-for-ben-42=ben:operator,sha256:{hashed}=cy:admin,"
        "viewer-token-0123456789=dee:Viewer"))
    tokens = s.api_tokens
    assert [(t.user, t.role) for t in tokens] == [("ana", "runner"), ("ben", "operator"),
                                                 ("cy", "admin"), ("dee", "viewer")]
    assert tokens[0].digest == hashlib.sha256(b"plain-token-0123456789").digest()
    assert tokens[2].digest == bytes.fromhex(hashed)
    assert "plain-token" not in repr(tokens)
    assert s.redact("x plain-token-0123456789 y") == "x *** y"


@pytest.mark.parametrize("raw, expected", [
    ("short=ana", "entry 1 (user ana): the token is shorter than 16 characters"),
    ("a-long-enough-token-1=ana:boss", "entry 1 (user ana): unknown role; allowed: viewer, "
                                       "runner, operator, admin"),
    ("sha256:abc=ana", "entry 1 (user ana): a sha256: token needs the 64 hexadecimal digits"),
    ("a-long-enough-token-1=ana,a-long-enough-token-1=ben", "entries 1 and 2 have the same token"),
    ("a-long-enough-token-1=an a", "entry 1: a user name has letters, digits"),
    ("a-long-enough-token-1", "entry 1 is not of the form token=user or token=user:role"),
])
def test_bad_tokens_are_refused_with_the_reason(clean_env, raw, expected):
    s = _settings(clean_env, HOLOCRON_API_TOKENS=raw)
    with pytest.raises(SettingsError) as info:
        s.api_tokens  # noqa: B018 - reading it raises
    assert expected in str(info.value)
    assert "a-long-enough-token-1" not in str(info.value) and "short=" not in str(info.value)


def test_a_bad_token_setting_does_not_stop_commands_that_do_not_use_it(clean_env, monkeypatch):
    from click.testing import CliRunner

    from holocron_lib.cli import cli

    monkeypatch.setenv("HOLOCRON_API_TOKENS", "short=ana")
    result = CliRunner().invoke(cli, ["db", "info"])
    assert "HOLOCRON_API_TOKENS" not in result.output
    assert "does not exist; run `holocron db build`" in result.output
