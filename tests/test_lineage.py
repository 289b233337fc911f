"""The provenance chain: stage counts, one job's lineage, runs by date, a run's artifacts."""

import pytest
from seeded_db import fresh_db_fixture

from holocron_lib.errors import UnknownObjectError
from holocron_lib.notebook import lineage

db = fresh_db_fixture("module")


def test_stage_counts_match_the_tables(db):
    counts = lineage.stage_counts(db).set_index("stage")["row_count"]
    assert counts["llm.artifact"] == db.scalar("SELECT COUNT(*) FROM llm.artifact")
    assert len(counts) == 6


def test_job_status_counts_cover_every_job(db):
    counts = lineage.job_status_counts(db)
    assert counts["jobs"].sum() == db.scalar("SELECT COUNT(*) FROM llm.job")
    dead = counts.set_index("status").loc["DEADLETTER"]
    assert dead["retried"] <= dead["jobs"]


def test_the_example_job_has_the_richest_chain(db):
    job_id = lineage.pick_example_job(db)
    chain = lineage.job_lineage(db, job_id, max_rows=10)
    assert chain.job.iloc[0]["status"] == "SUCCEEDED"
    assert len(chain.runs) >= 1 and len(chain.artifacts) >= 1 and len(chain.artifacts) <= 10
    assert set(chain.artifacts["run_id"]) <= set(chain.runs["run_id"])
    with pytest.raises(UnknownObjectError):
        lineage.job_lineage(db, "00000000-0000-0000-0000-000000000000")


def test_runs_by_date_and_on_a_date(db):
    per_day = lineage.runs_by_date(db, days=3)
    assert 1 <= len(per_day) <= 4
    newest = per_day.iloc[-1]
    runs = lineage.runs_on(db, None, limit=1000)
    assert len(runs) == newest["runs"]
    assert runs["artifacts"].is_monotonic_decreasing
    same = lineage.runs_on(db, str(newest["run_date"]), limit=1000)
    assert len(same) == len(runs)


def test_run_artifacts_and_their_content(db):
    run_id = str(lineage.runs_on(db).iloc[0]["run_id"])
    arts = lineage.run_artifacts(db, run_id)
    assert len(arts) == db.scalar("SELECT COUNT(*) FROM llm.artifact WHERE run_id = ?", [run_id])
    content = lineage.artifact_content(db, str(arts.iloc[0]["artifact_id"]))
    assert len(content) == 1 and "content" in content.columns


def test_claims_with_evidence_point_at_bundles(db):
    claims = lineage.claims_with_evidence(db, limit=5)
    assert 0 < len(claims) <= 5
    assert (claims["evidence_items"] >= 0).all()
    assert claims["ConfidenceScore"].is_monotonic_decreasing


def test_artifact_views_read_the_lake_fall_back_to_sql_and_survive_nulls(db, tmp_path):
    from seeded_db import lake_path

    chain = lineage.job_lineage(db, lineage.pick_example_job(db))
    arts = chain.artifacts.head(3)
    from_lake = lineage.artifact_views(db, lake_path(), arts)
    assert len(from_lake) == len(arts)
    assert any("from lake" in title and "sha256 ok" in title for title, _ in from_lake)
    from_sql = lineage.artifact_views(db, tmp_path, arts)  # an empty lake: the SQL copies serve
    assert all("from sql" in title for title, _ in from_sql)
    assert [type(v) for _, v in from_sql] == [type(v) for _, v in from_lake]
    # a row whose lake_uri and hash are NULL and whose SQL copy is gone
    ghost = arts.head(1).assign(artifact_id="00000000-0000-0000-0000-000000000000",
                                lake_uri=float("nan"), content_sha256=float("nan"))
    [(title, value)] = lineage.artifact_views(db, tmp_path, ghost)
    assert "from missing" in title and "sha256 not checked" in title and value == ""


def test_bundle_documents_of_a_claims_bundle(db):
    claim = lineage.claims_with_evidence(db, limit=1)
    bundle = lineage.bundle_documents(db, claim.loc[0, "bundle_id"])
    assert list(bundle.columns) == ["bundle_id", "policy_json", "summary_json"]
    assert len(bundle) == 1 and str(bundle.loc[0, "bundle_id"]).lower() == str(claim.loc[0, "bundle_id"]).lower()
    assert lineage.bundle_documents(db, "00000000-0000-0000-0000-000000000000").empty
