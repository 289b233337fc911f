"""Presets: named, checked parameter sets owned by a user, used by runs and schedules, and
checked again when the notebook's parameters cell changes."""

import re
import shutil
from datetime import datetime

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from runservice_fixtures import NOTEBOOKS, auth, tokens_setting

from holocron_lib.cli import cli
from holocron_lib.errors import (
    ParameterError,
    PresetError,
    PresetExistsError,
    UnknownObjectError,
)
from holocron_lib.service import presets
from holocron_lib.service import schedules as sched
from holocron_lib.service.api import create_app
from holocron_lib.service.registry import discover_notebooks, get_notebook, validate_parameters
from holocron_lib.service.runner import queue_run
from holocron_lib.service.store import RunStatus
from holocron_lib.settings import load_settings


@pytest.fixture
def root(tmp_path):
    """A registry of its own, so a test may edit a notebook's parameters cell."""
    folder = tmp_path / "nb"
    folder.mkdir()
    shutil.copy(NOTEBOOKS / "simple_params.py", folder / "simple_params.py")
    return folder


def _loud(store, root, **kw):
    return presets.create_preset(store, root, notebook="simple_params", name=kw.pop("name", "loud"),
                                 owner=kw.pop("owner", "alice"),
                                 parameters=kw.pop("parameters", {"COUNT": "4", "MODE": "apply"}),
                                 from_strings=True, **kw)


def _narrow_count(root, maximum: int) -> None:
    path = root / "simple_params.py"
    path.write_text(re.sub(r"\[max: \d+\]", f"[max: {maximum}]", path.read_text()))


def test_a_preset_keeps_the_values_given_typed_and_refuses_what_a_run_refuses(store, root):
    made = _loud(store, root)
    assert (made.owner, made.valid, made.parameters) == ("alice", True,
                                                         {"COUNT": 4, "MODE": "apply"})
    with pytest.raises(PresetExistsError, match="'loud' of notebook 'simple_params' exists"):
        _loud(store, root)
    info = get_notebook(root, "simple_params")
    with pytest.raises(ParameterError) as as_run:
        validate_parameters(info, {"MODE": "explode"})
    with pytest.raises(ParameterError) as as_preset:
        _loud(store, root, name="bad", parameters={"MODE": "explode"})
    assert str(as_preset.value) == str(as_run.value)
    with pytest.raises(PresetError, match="not a valid name"):
        _loud(store, root, name="../x")
    with pytest.raises(UnknownObjectError, match="preset of simple_params 'lod'.*'loud'"):
        presets.get_preset(store, "simple_params", "lod")
    assert [p.name for p in presets.list_presets(store)] == ["loud"]


def test_a_run_starts_from_the_preset_and_given_values_override_it(store, root):
    _loud(store, root)
    run = queue_run(store, root, "simple_params", {"NAME": "Rey"}, "bob", preset="loud")
    assert run.preset == "loud" and run.status == RunStatus.QUEUED
    assert run.parameters == {"NAME": "Rey", "COUNT": 4, "MODE": "apply", "OUT_FILE": ""}
    over = queue_run(store, root, "simple_params", {"COUNT": "1"}, "bob", preset="loud",
                     from_strings=True)
    assert over.parameters["COUNT"] == 1
    with pytest.raises(ParameterError, match="'COUNT'"):
        queue_run(store, root, "simple_params", {"COUNT": 9}, "bob", preset="loud")
    with pytest.raises(UnknownObjectError):
        queue_run(store, root, "simple_params", {}, "bob", preset="quiet")


def test_a_changed_parameters_cell_invalidates_a_preset_that_no_longer_fits(store, root):
    _loud(store, root)
    _loud(store, root, name="soft", parameters={"COUNT": "2"})
    assert presets.revalidate(store, discover_notebooks(root)) == []  # nothing changed
    _narrow_count(root, 3)
    changed = {p.name: p for p in presets.revalidate(store, discover_notebooks(root))}
    assert changed["soft"].valid is True
    loud = changed["loud"]
    assert loud.valid is False and "'COUNT'" in loud.problem and "1 to 3" in loud.problem
    assert presets.get_preset(store, "simple_params", "loud").valid is False

    with pytest.raises(PresetError, match="'loud' of notebook 'simple_params' no longer fits"):
        queue_run(store, root, "simple_params", {}, "bob", preset="loud")
    (refused,), _ = store.list_runs(status="error")
    assert refused.preset == "loud" and "no longer fits" in refused.error_message

    _narrow_count(root, 5)  # put back: the preset fits again
    presets.revalidate(store, discover_notebooks(root))
    assert presets.get_preset(store, "simple_params", "loud").valid is True


def test_a_schedule_with_an_invalid_preset_records_an_error_run_naming_it(store, root):
    _loud(store, root)
    sched.create_schedule(store, root, name="nightly", notebook="simple_params",
                          cron="0 2 * * *", owner="alice", preset="loud",
                          now=datetime(2026, 3, 2, 1, 0))
    _narrow_count(root, 3)
    clock = lambda: datetime(2026, 3, 2, 2, 0)  # noqa: E731 - a fixed clock
    (run,) = sched.Scheduler(store, root, clock=clock).tick()
    assert run.status == RunStatus.ERROR and run.preset == "loud"
    assert run.error_message.startswith("schedule 'nightly': Preset 'loud' of notebook "
                                        "'simple_params' no longer fits")
    with pytest.raises(PresetError, match="no longer fits"):
        sched.create_schedule(store, root, name="again", notebook="simple_params",
                              cron="0 2 * * *", owner="alice", preset="loud")


def test_only_the_owner_deletes_a_preset(store, root):
    _loud(store, root)
    with pytest.raises(PresetError, match="belongs to alice"):
        presets.delete_preset(store, "simple_params", "loud", "bob")
    assert presets.delete_preset(store, "simple_params", "loud", "alice").name == "loud"
    assert presets.list_presets(store) == []


def test_presets_commands_and_run_with_a_preset(run_env, root, monkeypatch):
    monkeypatch.setenv("USER", "alice")

    def invoke(*args):
        return CliRunner().invoke(cli, [*args, "--root", str(root)])

    made = invoke("presets", "create", "simple_params", "loud", "-p", "COUNT=4",
                  "-p", "MODE=apply")
    assert made.exit_code == 0, made.output
    assert "run it: holocron run simple_params --preset loud" in made.output
    bad = invoke("presets", "create", "simple_params", "bad", "-p", "COUNT=9")
    assert bad.exit_code == 1 and "'COUNT'" in bad.output
    dry = invoke("run", "simple_params", "--preset", "loud", "-p", "NAME=Rey", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "preset loud" in dry.output and '"apply"' in dry.output
    queued = invoke("run", "simple_params", "--preset", "loud", "--queue")
    assert queued.exit_code == 0 and "queued" in queued.output
    _narrow_count(root, 3)
    listed = invoke("presets", "list").output
    assert "INVALID: " in listed and "'COUNT'" in listed
    refused = invoke("run", "simple_params", "--preset", "loud", "--queue")
    assert refused.exit_code == 1 and "no longer fits" in refused.output
    assert "deleted" in invoke("presets", "delete", "simple_params", "loud").output


def test_presets_over_http(clean_env, root):
    settings = load_settings(env={
        "HOLOCRON_HOME": str(clean_env),
        "HOLOCRON_STORE_URL": f"sqlite:///{clean_env}/runs.sqlite",
        "HOLOCRON_API_TOKENS": tokens_setting()}, dotenv=False)
    app = create_app(settings, notebooks_root=root, run_worker=False, run_scheduler=False)
    with TestClient(app) as c:
        base = "/notebooks/simple_params/presets"
        r = c.post(base, headers=auth(), json={"name": "loud",
                                               "parameters": {"COUNT": 4, "MODE": "apply"}})
        assert r.status_code == 201, r.text
        assert r.json()["owner"] == "alice" and r.json()["valid"] is True
        assert c.post(base, headers=auth(), json={"name": "loud"}).status_code == 409
        bad = c.post(base, headers=auth(), json={"name": "b", "parameters": {"COUNT": 9}})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_parameters"
        assert c.get(base, headers=auth("bob")).json()["total"] == 1

        run = c.post("/notebooks/simple_params/runs", headers=auth("bob"),
                     json={"preset": "loud", "parameters": {"NAME": "Finn"}})
        assert run.status_code == 202, run.text
        assert run.json()["preset"] == "loud" and run.json()["parameters"]["COUNT"] == 4
        missing = c.post("/notebooks/simple_params/runs", headers=auth(),
                         json={"preset": "quiet"})
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "preset_not_found"
        sch = c.post("/schedules", headers=auth(), json={
            "name": "n", "notebook": "simple_params", "cron": "0 2 * * *", "preset": "loud"})
        assert sch.status_code == 201 and sch.json()["preset"] == "loud"

        _narrow_count(root, 3)
        shown = c.get(f"{base}/loud", headers=auth()).json()
        assert shown["valid"] is False and "'COUNT'" in shown["problem"]
        refused = c.post("/notebooks/simple_params/runs", headers=auth(),
                         json={"preset": "loud"})
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "invalid_preset"
        assert "no longer fits" in refused.json()["error"]["message"]

        assert c.delete(f"{base}/loud", headers=auth("bob")).status_code == 403
        assert c.delete(f"{base}/loud", headers=auth()).status_code == 204
        assert c.get(f"{base}/loud", headers=auth()).status_code == 404
