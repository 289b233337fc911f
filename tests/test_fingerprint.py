"""Fingerprints of files: stable for the same content, changed by any change that matters."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from holocron_lib.db import seeded
from holocron_lib.fingerprint import LIBRARY, library_fingerprint, source_files, tree_fingerprint


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("a = 1\n")
    (tmp_path / "pkg" / "b.sql").write_text("SELECT 1;\n")
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "a.cpython-311.py").write_text("compiled")
    (tmp_path / "notes.txt").write_text("not source")
    return tmp_path


def test_the_same_files_give_the_same_fingerprint_in_any_order(tree):
    files = source_files(tree)
    assert [p.relative_to(tree).as_posix() for p in files] == ["pkg/a.py", "pkg/b.sql"]
    first = tree_fingerprint(files, base=tree)
    assert tree_fingerprint(list(reversed(files)), base=tree) == first
    assert tree_fingerprint(source_files(tree), base=tree) == first
    assert len(first) == 64 and int(first, 16) >= 0


def test_a_moved_checkout_keeps_its_fingerprint_when_names_are_relative(tree, tmp_path_factory):
    other = tmp_path_factory.mktemp("moved") / "copy"
    shutil.copytree(tree, other)
    assert (tree_fingerprint(source_files(other), base=other)
            == tree_fingerprint(source_files(tree), base=tree))


@pytest.mark.parametrize("change", ["edit", "rename", "add", "remove", "move bytes"])
def test_every_change_to_the_files_changes_the_fingerprint(tree, change):
    before = tree_fingerprint(source_files(tree), base=tree)
    pkg = tree / "pkg"
    if change == "edit":
        (pkg / "a.py").write_text("a = 2\n")
    elif change == "rename":
        (pkg / "a.py").rename(pkg / "c.py")
    elif change == "add":
        (pkg / "c.py").write_text("")
    elif change == "remove":
        (pkg / "b.sql").unlink()
    else:  # the same bytes in all, split differently between two files
        (pkg / "a.py").write_text("a = 1\nSELECT")
        (pkg / "b.sql").write_text(" 1;\n")
    assert tree_fingerprint(source_files(tree), base=tree) != before


def test_extra_text_and_bare_names_count(tree):
    files = source_files(tree)
    plain = tree_fingerprint(files, base=tree)
    assert tree_fingerprint(files, base=tree, extra="scale 10") != plain
    # without a base a file is named by its bare name: the folder it is in does not count
    flat = tree / "flat"
    flat.mkdir()
    for path in files:
        shutil.copy(path, flat / path.name)
    assert tree_fingerprint(source_files(flat)) == tree_fingerprint(files) != plain


def test_a_missing_file_is_an_error_not_a_silent_gap(tree):
    with pytest.raises(FileNotFoundError):
        tree_fingerprint([tree / "pkg" / "gone.py"])


def test_the_library_fingerprint_covers_every_package():
    files = {p.relative_to(LIBRARY).parts[0] for p in source_files(LIBRARY)}
    assert {"tsql", "schema", "db", "notebook", "book", "fingerprint.py"} <= files
    assert library_fingerprint() == library_fingerprint()


def test_the_seed_fingerprint_reads_the_schema_sql_and_the_generator(tmp_path, monkeypatch):
    assert source_files(seeded.SQL_DIR, (".sql",)), f"no SQL files under {seeded.SQL_DIR}"
    assert source_files(seeded.SYNTHETIC_DIR, (".py",)), "no generator under SYNTHETIC_DIR"
    sql = tmp_path / "sql"
    shutil.copytree(seeded.SQL_DIR, sql)
    monkeypatch.setattr(seeded, "SQL_DIR", sql)
    seed = tmp_path / "seed.json"
    seed.write_text("{}")
    as_of = datetime(2024, 1, 1, tzinfo=UTC)
    before = seeded.fingerprint([seed]), seeded.synthetic_fingerprint(1, 42, as_of)
    assert seeded.synthetic_fingerprint(2, 42, as_of) != before[1]
    view = source_files(sql, (".sql",))[-1]
    view.write_text(view.read_text() + "\n-- changed\n")
    after = seeded.fingerprint([seed]), seeded.synthetic_fingerprint(1, 42, as_of)
    assert after[0] != before[0] and after[1] != before[1]
