"""The seeded database as a whole: every table and view of the schema exists, every view
returns rows, and every foreign key holds (the foundation's definition of done)."""

import duckdb
import pytest
from seeded_db import fresh_db_fixture, seeded_path

from holocron_lib.schema.apply import check_foreign_keys, view_names
from holocron_lib.schema.ddl import load_schema_model

VIEWS = view_names()


db = fresh_db_fixture("module")


def test_every_table_of_the_schema_exists_with_its_columns(db):
    objects = db.tables()
    tables = {f"{s}.{n}".lower() for s, n, k in objects.itertuples(index=False) if k == "table"}
    for table in load_schema_model().tables:
        assert table.full_name.lower() in tables, table.full_name
    entity = db.columns("dbo.DimEntity")
    assert list(entity["name"]) == [c.name for c in load_schema_model().table("DimEntity").columns]


@pytest.mark.parametrize("view", VIEWS, ids=VIEWS)
def test_every_view_returns_rows(db, view):
    assert db.scalar(f"SELECT COUNT(*) FROM {view}") > 0, f"{view} is empty on the seeded database"


def test_every_foreign_key_holds(db):
    assert check_foreign_keys(db) == []


def test_learn_views_resolve_unqualified_as_the_lessons_write_them(db):
    assert db.scalar("SELECT COUNT(*) FROM learn_events") == db.scalar(
        "SELECT COUNT(*) FROM sem.vw_event")


def test_every_view_runs_where_the_file_is_opened_with_plain_duckdb(tmp_path_factory):
    """No session set-up of ours (TEMP macros, search path): a DuckDB CLI or BI tool sees this."""
    con = duckdb.connect(str(seeded_path(tmp_path_factory)), read_only=True)
    try:
        failed = {}
        for view in VIEWS:
            try:
                con.execute(f"SELECT * FROM {view} LIMIT 1").fetchall()
            except duckdb.Error as err:
                failed[view] = str(err).splitlines()[0]
        assert failed == {}
        queued = con.execute("SELECT COUNT(*) FROM llm.vw_queue_health").fetchall()[0][0]
        assert queued > 0
    finally:
        con.close()
