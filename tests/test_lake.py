import hashlib
import json

import pytest

from holocron_lib.errors import LakePathError
from holocron_lib.notebook.lake import read_lake_file, redact, resolve_lake_path


@pytest.fixture
def lake(tmp_path):
    run = tmp_path / "2026" / "02" / "21" / "88ED08BB-7895-4EF2-B17E-F9B272A9FD70"
    run.mkdir(parents=True)
    body = json.dumps({"model": "llama3.2", "options": {"api_key": "k-123"}}, indent=2).encode()
    (run / "request.json").write_bytes(body)
    return tmp_path, "2026/02/21/88ED08BB-7895-4EF2-B17E-F9B272A9FD70/request.json", body


def test_reads_file_and_checks_hash(lake):
    root, uri, body = lake
    f = read_lake_file(root, uri, expected_sha256=hashlib.sha256(body).hexdigest())
    assert f.source == "lake" and f.sha256_matches is True and f.byte_count == len(body)
    assert f.json()["model"] == "llama3.2"
    bad = read_lake_file(root, uri, expected_sha256="0" * 64)
    assert bad.sha256_matches is False


def test_size_limit_truncates(lake):
    root, uri, body = lake
    f = read_lake_file(root, uri, max_bytes=10)
    assert f.truncated and len(f.text) == 10 and f.json() is None


def test_falls_back_to_sql_copy_when_file_missing(tmp_path):
    f = read_lake_file(tmp_path, "2026/01/01/x/response.json", sql_content='{"done": true}')
    assert f.source == "sql" and f.json() == {"done": True}
    assert read_lake_file(tmp_path, None).source == "missing"


@pytest.mark.parametrize("uri", ["../etc/passwd", "/etc/passwd", "2026/../../x", "C:\\x.json"])
def test_paths_outside_the_lake_are_refused(tmp_path, uri):
    with pytest.raises(LakePathError) as info:
        resolve_lake_path(tmp_path, uri)
    assert repr(uri) in str(info.value)


def test_redaction_masks_secret_keys_and_cuts_long_strings():
    doc = {"options": {"api_key": "k-123", "Password": "p", "temperature": 0.1},
           "messages": [{"content": "x" * 50}], "token": None}
    out = redact(doc, max_string=10)
    assert out["options"]["api_key"] == "***redacted***"
    assert out["options"]["Password"] == "***redacted***"
    assert out["options"]["temperature"] == 0.1
    assert out["messages"][0]["content"].startswith("x" * 10 + "…")
    assert out["token"] is None


def test_list_directory_is_bounded_and_relative(lake):
    from holocron_lib.notebook.lake import list_directory, run_directory

    root, uri, body = lake
    folder = run_directory(uri)
    assert folder == "2026/02/21/88ED08BB-7895-4EF2-B17E-F9B272A9FD70"
    (root / folder / "response.json").write_text("{}")
    listing = list_directory(root, folder)
    assert list(listing["lake_uri"]) == [f"{folder}/request.json", f"{folder}/response.json"]
    assert listing.iloc[0]["bytes"] == len(body)
    assert len(list_directory(root, folder, max_entries=1)) == 1
    assert list_directory(root, "2027/01/01/none").empty
    with pytest.raises(LakePathError):
        list_directory(root, "../elsewhere")


def test_artifact_view_redacts_and_falls_back_to_sql(lake):
    from holocron_lib.notebook.lake import REDACTED, artifact_view

    root, uri, body = lake
    row = {"artifact_type": "request_json", "lake_uri": uri, "content_sha256": hashlib.sha256(body).hexdigest()}
    title, value = artifact_view(root, row)
    assert "from lake" in title and "sha256 ok" in title
    assert value["options"]["api_key"] == REDACTED
    missing = {"artifact_type": "response_json", "lake_uri": None, "content_sha256": float("nan")}
    title, value = artifact_view(root, missing, sql_content='{"done": true}')
    assert "from sql" in title and value == {"done": True}
    title, value = artifact_view(root, {**row, "content_sha256": "0" * 64}, max_bytes=10)
    assert "cut at the size limit" in title and isinstance(value, str) and len(value) == 10


def test_run_files_lists_the_run_directory_of_the_first_artifact_with_a_lake_copy(lake):
    import pandas as pd

    from holocron_lib.notebook.lake import run_files

    root, uri, body = lake
    arts = pd.DataFrame({"lake_uri": [None, float("nan"), uri]})
    assert list(run_files(root, arts)["lake_uri"]) == [uri]
    none = run_files(root, pd.DataFrame({"lake_uri": [None, float("nan")]}))
    assert none.empty and list(none.columns) == ["lake_uri", "bytes"]
