"""The provenance chain: stage counts, one job's lineage, runs by date, a run's artifacts."""

import pytest

from holocron_lib.db.connection import connect
from holocron_lib.errors import UnknownObjectError
from holocron_lib.notebook import lineage


@pytest.fixture(scope="module")
def db(seeded_file):
    with connect(path=seeded_file) as conn:
        yield conn


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
