"""Data-quality checks: all pass on the seeded database; each fails where its defect is planted."""

import pytest
from seeded_db import fresh, fresh_db_fixture

from holocron_lib.notebook import quality
from holocron_lib.schema.ddl import load_schema_model

MODEL = load_schema_model()


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    with fresh(tmp_path_factory) as conn:
        yield quality.run_checks(conn)


db = fresh_db_fixture()


def without_constraints(db, table: str):
    """Recreate ``table`` with its rows but none of its constraints, as a bulk load around them would."""
    con = db.connection
    schema, name = table.split(".")
    con.execute(f'CREATE TABLE {schema}."{name}__plain" AS SELECT * FROM {schema}."{name}"')
    con.execute(f'DROP TABLE {schema}."{name}"')
    con.execute(f'ALTER TABLE {schema}."{name}__plain" RENAME TO "{name}"')


def failing(results, family, fragment):
    rows = results[(results["family"] == family) & results["check"].str.contains(fragment, regex=False)]
    assert len(rows) > 0, f"no {family} check matches {fragment!r}"
    return rows[rows["status"] == quality.FAIL]


def test_every_check_passes_on_the_seeded_database(clean):
    assert (clean["status"] == quality.PASS).all(), clean[clean["status"] == quality.FAIL].to_string()


def test_every_family_ran_over_every_schema(clean):
    assert set(clean["family"]) == set(quality.FAMILIES)
    assert len(clean[clean["family"] == "orphans"]) == len(MODEL.foreign_keys)
    assert len(clean[clean["family"] == "schema drift"]) == len(MODEL.tables)


def test_an_orphan_run_fails_its_foreign_key_check(db):
    db.execute(
        "INSERT INTO llm.run (run_id, job_id, status, worker_id, ollama_base_url, model_name) "
        "VALUES (NEWID(), '11111111-2222-3333-4444-555555555555', 'FAILED', 'w', 'http://x', 'm')")
    results = quality.run_checks(db, schemas=["llm"], families=["orphans"])
    bad = failing(results, "orphans", "llm.run(job_id) → llm.job")
    assert len(bad) == 1 and bad.iloc[0]["violations"] == 1
    assert "11111111-2222-3333-4444-555555555555" in bad.iloc[0]["detail"].lower()
    assert (results["status"] == quality.FAIL).sum() == 1


def test_a_value_outside_a_check_constraint_fails_it(db):
    without_constraints(db, "llm.job")
    changed = db.execute("UPDATE llm.job SET status = 'PAUSED' WHERE job_id = "
                         "(SELECT TOP (1) job_id FROM llm.job ORDER BY job_id)")
    assert changed == 1
    results = quality.run_checks(db, schemas=["llm"], families=["constraints"])
    bad = failing(results, "constraints", "llm.job: CHECK status IN")
    assert bad.iloc[0]["violations"] == 1
    assert len(results[results["status"] == quality.FAIL]) == 1


def test_a_null_in_a_not_null_column_fails(db):
    without_constraints(db, "ingest.work_items")
    db.execute("UPDATE ingest.work_items SET request_uri = NULL WHERE work_item_id = "
               "(SELECT TOP (1) work_item_id FROM ingest.work_items ORDER BY work_item_id)")
    results = quality.run_checks(db, schemas=["ingest"], families=["constraints"])
    assert failing(results, "constraints", "ingest.work_items: NOT NULL").iloc[0]["violations"] == 1


def test_a_duplicate_guid_fails_the_key_check(db):
    without_constraints(db, "dbo.DimEntity")
    db.execute("UPDATE dbo.DimEntity SET EntityGuid = (SELECT EntityGuid FROM dbo.DimEntity WHERE EntityKey = 1) "
               "WHERE EntityKey = 2")
    results = quality.run_checks(db, schemas=["dbo"], families=["keys"])
    bad = failing(results, "keys", "dbo.DimEntity(EntityGuid)")
    assert bad.iloc[0]["violations"] == 1
    assert failing(results, "keys", "dbo.DimEntity(EntityKey)").empty


@pytest.mark.parametrize("change, expected", [
    ("ALTER TABLE llm.artifact DROP COLUMN schema_version", "missing column schema_version"),
    ("ALTER TABLE llm.artifact ADD COLUMN reviewer VARCHAR", "extra column reviewer"),
    ("ALTER TABLE llm.artifact ALTER COLUMN byte_count TYPE VARCHAR", "byte_count is VARCHAR"),
], ids=["dropped", "added", "retyped"])
def test_schema_drift_is_detected(db, change, expected):
    db.connection.execute(change)
    results = quality.run_checks(db, schemas=["llm"], families=["schema drift"])
    bad = failing(results, "schema drift", "llm.artifact")
    assert expected in bad.iloc[0]["detail"]
    assert len(results[results["status"] == quality.FAIL]) == 1


def test_a_missing_table_is_drift(db):
    db.connection.execute("DROP TABLE vector.retrieval_hit")
    results = quality.run_checks(db, schemas=["vector"], families=["schema drift"])
    assert failing(results, "schema drift", "vector.retrieval_hit").iloc[0]["detail"] == "table missing"


def test_unknown_family_is_named(db):
    from holocron_lib.errors import UnknownObjectError

    with pytest.raises(UnknownObjectError, match="orphan"):
        quality.run_checks(db, families=["orphan"])


def test_summary_counts_per_family(clean):
    summary = quality.summary(clean)
    assert summary["checks"].sum() == len(clean)
    assert (summary["failed"] == 0).all()
