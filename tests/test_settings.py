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
    with pytest.raises(SettingsError) as info:
        load_settings(env={"HOLOCRON_HOME": str(clean_env), "SEED_SQLSERVER_HOST": "db"})
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
    with pytest.raises(SettingsError) as info:
        load_settings(env={"HOLOCRON_HOME": str(clean_env), "SEED_SQLSERVER_PORT": "abc"})
    assert "SEED_SQLSERVER_PORT" in str(info.value)


def test_bad_token_entry_does_not_print_tokens(clean_env):
    with pytest.raises(SettingsError) as info:
        load_settings(env={"HOLOCRON_HOME": str(clean_env), "HOLOCRON_API_TOKENS": CANARY})
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
