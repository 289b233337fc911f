"""Profiling: row counts, null rates, duplicate keys and the per-table summary."""

from seeded_db import fresh_db_fixture

from holocron_lib.notebook import profiling
from holocron_lib.schema.ddl import load_schema_model

db = fresh_db_fixture()


def test_row_counts_cover_only_the_chosen_schemas_largest_first(db):
    counts = profiling.row_counts(db, ["llm", "ingest"])
    assert set(counts["schema"]) == {"llm", "ingest"}
    assert counts["rows"].is_monotonic_decreasing
    job = counts[(counts["schema"] == "llm") & (counts["table"] == "job")]
    assert int(job["rows"].iloc[0]) == db.scalar("SELECT COUNT(*) FROM llm.job")


def test_null_rates_count_nulls_per_column(db):
    rates = profiling.null_rates(db, "llm.job").set_index("column")
    total = db.scalar("SELECT COUNT(*) FROM llm.job")
    assert rates.loc["job_id", "nulls"] == 0
    assert rates.loc["locked_by", "nulls"] == db.scalar("SELECT COUNT(*) FROM llm.job WHERE locked_by IS NULL")
    assert rates.loc["locked_by", "null_pct"] == round(100.0 * rates.loc["locked_by", "nulls"] / total, 1)
    assert list(rates.index) == list(db.columns("llm.job")["name"])


def test_anomalies_flag_unused_columns_and_nulls_in_required_ones(db):
    row = {"rows": 10, "nulls": 10, "null_pct": 100.0, "nullable": True}
    assert profiling.null_anomaly(row) == "always null"
    assert profiling.null_anomaly({**row, "nulls": 1, "null_pct": 10.0, "nullable": False}) == \
        "NOT NULL column holds nulls"
    assert profiling.null_anomaly({**row, "nulls": 5, "null_pct": 50.0}) == ""
    assert profiling.null_anomaly({**row, "rows": 0, "nulls": 0}) == ""
    cols = profiling.profile_columns(db, ["llm.job", "llm.run"])
    assert set(cols["table"]) == {"llm.job", "llm.run"}
    assert (cols.loc[cols["nulls"] == cols["rows"], "anomaly"].isin(["always null", ""])).all()


def test_duplicate_keys_find_a_planted_duplicate(db):
    model = load_schema_model()
    clean = profiling.duplicate_keys(db, ["dbo.DimEntity", "llm.job"], model=model)
    assert (clean["duplicates"] == 0).all()
    assert {"EntityKey", "EntityGuid", "job_id"} <= set(clean["key"])
    con = db.connection
    con.execute('CREATE TABLE dbo."DimEntity__plain" AS SELECT * FROM dbo."DimEntity"')
    con.execute('DROP TABLE dbo."DimEntity"')
    con.execute('ALTER TABLE dbo."DimEntity__plain" RENAME TO "DimEntity"')
    con.execute('INSERT INTO dbo."DimEntity" SELECT * FROM dbo."DimEntity" WHERE "EntityKey" = 3')
    dup = profiling.duplicate_keys(db, ["dbo.DimEntity"], model=model).set_index("key")
    assert dup.loc["EntityKey", "duplicates"] == 1 and dup.loc["EntityGuid", "duplicates"] == 1


def test_key_columns_without_a_model_use_the_first_column_and_a_guid():
    class Stub:
        def columns(self, table):
            import pandas as pd

            return pd.DataFrame({"name": ["WorkKey", "WorkGuid", "Title"]})

    assert profiling.key_columns(Stub(), "dbo.DimWork") == [("WorkKey",), ("WorkGuid",)]


def test_composite_keys_come_from_the_model(db):
    model = load_schema_model()
    assert ("run_id", "bundle_id") in profiling.key_columns(db, "llm.run_evidence", model)
    dup = profiling.duplicate_keys(db, ["llm.run_evidence"], model=model)
    assert dup.loc[dup["key"] == "run_id, bundle_id", "duplicates"].tolist() == [0]


def test_table_summary_flags_duplicates_and_empty_tables(db):
    counts = profiling.row_counts(db, ["llm"])
    tables = list(counts["schema"] + "." + counts["table"])
    cols = profiling.profile_columns(db, tables)
    dups = profiling.duplicate_keys(db, tables)
    summary = profiling.table_summary(counts, cols, dups)
    assert len(summary) == len(counts)
    empty = summary[summary["rows"] == 0]
    assert (empty["flag"] == "empty").all()
    assert not any(profiling.is_failure(flag) for flag in empty["flag"])


def test_duplicates_and_nulls_in_not_null_columns_are_failures_the_rest_curiosities():
    assert profiling.is_failure("duplicate keys")
    assert profiling.is_failure("NOT NULL column holds nulls")
    assert not any(profiling.is_failure(f) for f in ("empty", "always null", "", None))
