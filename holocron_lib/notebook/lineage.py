"""The LLM provenance chain: job → runs → artifacts → evidence bundles → evidence items.

Every query is T-SQL with bound parameters, bounded with TOP, so the same calls work on
the embedded database and on SQL Server.
"""

from __future__ import annotations

from dataclasses import dataclass

from holocron_lib.errors import UnknownObjectError
from holocron_lib.notebook import lake

JOB_COLUMNS = ["job_id", "interrogation_key", "status", "priority", "attempt_count",
               "max_attempts", "created_utc", "model_hint", "dedupe_key", "input_bundle_id",
               "last_error"]
RUN_COLUMNS = ["run_id", "status", "worker_id", "model_name", "started_utc", "completed_utc",
               "duration_s", "error"]
ARTIFACT_COLUMNS = ["artifact_id", "run_id", "artifact_type", "content_mime_type", "byte_count",
                    "content_sha256", "lake_uri", "stored_in_sql", "mirrored_to_lake"]
BUNDLE_COLUMNS = ["bundle_id", "run_id", "role", "bundle_kind", "build_version", "created_utc",
                  "lake_uri"]
ITEM_COLUMNS = ["bundle_id", "ordinal", "evidence_id", "evidence_type", "role", "byte_count",
                "source_system", "source_ref"]
RUN_ARTIFACT_COLUMNS = ["artifact_id", "artifact_type", "content_mime_type", "byte_count",
                        "content_sha256", "lake_uri", "stored_in_sql", "mirrored_to_lake",
                        "created_utc"]


@dataclass(frozen=True)
class Lineage:
    job: object  # one-row DataFrame
    runs: object
    artifacts: object
    bundles: object
    items: object


def stage_counts(db):
    """Rows at each stage of the chain, to show its shape before following one job."""
    return db.query(
        """
        SELECT 'llm.job' AS stage, COUNT(*) AS row_count FROM llm.job
        UNION ALL SELECT 'llm.run', COUNT(*) FROM llm.run
        UNION ALL SELECT 'llm.artifact', COUNT(*) FROM llm.artifact
        UNION ALL SELECT 'llm.run_evidence', COUNT(*) FROM llm.run_evidence
        UNION ALL SELECT 'llm.evidence_bundle', COUNT(*) FROM llm.evidence_bundle
        UNION ALL SELECT 'llm.evidence_item', COUNT(*) FROM llm.evidence_item
        """
    )


def job_status_counts(db):
    """Jobs per status, with how many needed more than one attempt."""
    return db.query(
        """
        SELECT status, COUNT(*) AS jobs,
               SUM(CASE WHEN attempt_count > 1 THEN 1 ELSE 0 END) AS retried
        FROM llm.job
        GROUP BY status
        ORDER BY COUNT(*) DESC, status
        """
    )


def pick_example_job(db, status: str = "SUCCEEDED") -> str | None:
    """The richest job to follow: one in ``status`` whose runs left the most artifacts.

    A pipeline that has not got that far gives the next best thing: the job with the most
    runs (artifacts or not), else the oldest job; None when no job is recorded at all.
    """
    job_id = db.scalar(
        """
        SELECT TOP (1) j.job_id
        FROM llm.job AS j
        JOIN llm.run AS r ON r.job_id = j.job_id
        JOIN llm.artifact AS a ON a.run_id = r.run_id
        WHERE j.status = ?
        GROUP BY j.job_id, j.created_utc
        ORDER BY COUNT(*) DESC, COUNT(DISTINCT r.run_id) DESC, j.created_utc, j.job_id
        """,
        [status],
    )
    if job_id is None:
        job_id = db.scalar(
            """
            SELECT TOP (1) j.job_id
            FROM llm.job AS j LEFT JOIN llm.run AS r ON r.job_id = j.job_id
            GROUP BY j.job_id, j.created_utc
            ORDER BY COUNT(r.run_id) DESC, j.created_utc, j.job_id
            """
        )
    return None if job_id is None else str(job_id)


def _empty(columns: list[str]):
    import pandas as pd

    return pd.DataFrame(columns=columns)


def job_lineage(db, job_id: str | None, max_rows: int = 50) -> Lineage:
    """Everything recorded about one job, each part bounded to ``max_rows`` rows.

    ``job_id`` None (no job recorded yet) gives the chain with every part empty.
    """
    if job_id is None:
        return Lineage(_empty(JOB_COLUMNS), _empty(RUN_COLUMNS), _empty(ARTIFACT_COLUMNS),
                       _empty(BUNDLE_COLUMNS), _empty(ITEM_COLUMNS))
    job = db.query(
        """
        SELECT job_id, interrogation_key, status, priority, attempt_count, max_attempts,
               created_utc, model_hint, dedupe_key, input_bundle_id, last_error
        FROM llm.job WHERE job_id = ?
        """,
        [job_id],
    )
    if job.empty:
        raise UnknownObjectError("llm.job", job_id)
    n = int(max_rows)
    runs = db.query(
        f"""
        SELECT TOP ({n}) run_id, status, worker_id, model_name, started_utc, completed_utc,
               DATEDIFF(SECOND, started_utc, completed_utc) AS duration_s, error
        FROM llm.run WHERE job_id = ? ORDER BY started_utc, run_id
        """,
        [job_id],
    )
    artifacts = db.query(
        f"""
        SELECT TOP ({n}) a.artifact_id, a.run_id, a.artifact_type, a.content_mime_type,
               a.byte_count, a.content_sha256, a.lake_uri, a.stored_in_sql, a.mirrored_to_lake
        FROM llm.artifact AS a JOIN llm.run AS r ON r.run_id = a.run_id
        WHERE r.job_id = ? ORDER BY r.started_utc, a.artifact_type, a.artifact_id
        """,
        [job_id],
    )
    bundles = db.query(
        f"""
        SELECT TOP ({n}) b.bundle_id, re.run_id, re.role, b.bundle_kind, b.build_version,
               b.created_utc, b.lake_uri
        FROM llm.run_evidence AS re
        JOIN llm.evidence_bundle AS b ON b.bundle_id = re.bundle_id
        JOIN llm.run AS r ON r.run_id = re.run_id
        WHERE r.job_id = ? ORDER BY b.created_utc, b.bundle_id
        """,
        [job_id],
    )
    items = db.query(
        f"""
        SELECT TOP ({n}) i.bundle_id, i.ordinal, i.evidence_id, i.evidence_type, i.role,
               i.byte_count, i.source_system, i.source_ref
        FROM llm.evidence_item AS i
        WHERE i.bundle_id IN (
            SELECT re.bundle_id FROM llm.run_evidence AS re
            JOIN llm.run AS r ON r.run_id = re.run_id WHERE r.job_id = ?)
        ORDER BY i.bundle_id, i.ordinal, i.evidence_id
        """,
        [job_id],
    )
    return Lineage(job, runs, artifacts, bundles, items)


def chain_summary(chain: Lineage) -> str:
    """One line about the job being followed, or why there is none."""
    if chain.job.empty:
        return "No LLM jobs recorded yet (llm.job is empty), so there is no job to follow."
    job = chain.job.iloc[0]
    parts = [f"{len(chain.runs)} run(s)", f"{len(chain.artifacts)} artifact(s)",
             f"{len(chain.bundles)} evidence bundle(s)", f"{len(chain.items)} evidence item(s)"]
    line = f"Job {job['job_id']} ({job['interrogation_key']}, {job['status']}): " + ", ".join(parts)
    if chain.runs.empty:
        line += ". It has not been run yet, so the rest of the chain is empty."
    elif chain.artifacts.empty:
        line += ". Its runs recorded no artifacts, so there are no files to read."
    return line


def artifact_content(db, artifact_id: str):
    """The SQL-stored copy of an artifact and its lake coordinates (one-row DataFrame)."""
    return db.query(
        "SELECT artifact_id, artifact_type, lake_uri, content_sha256, byte_count, content "
        "FROM llm.artifact WHERE artifact_id = ?",
        [artifact_id],
    )


def artifact_views(db, lake_root, artifacts, max_bytes: int | None = None) -> list[tuple[str, object]]:
    """A title and a redacted value to display for each artifact row: its lake file, else the SQL copy.

    ``artifacts`` is a frame of `job_lineage(...).artifacts` or `run_artifacts` rows. An
    artifact whose SQL copy is NULL, or whose row is gone, falls back to what the lake holds.
    """
    views = []
    for _, art in artifacts.iterrows():
        content = artifact_content(db, str(art["artifact_id"]))
        sql_copy = content.loc[0, "content"] if not content.empty else None
        views.append(lake.artifact_view(lake_root, art, sql_content=sql_copy,
                                        max_bytes=max_bytes or lake.DEFAULT_MAX_BYTES))
    return views


def bundle_documents(db, bundle_id: str):
    """An evidence bundle's policy and summary JSON documents (one-row DataFrame, or empty)."""
    return db.query(
        "SELECT bundle_id, policy_json, summary_json FROM llm.evidence_bundle WHERE bundle_id = ?",
        [str(bundle_id)],
    )


def claims_with_evidence(db, limit: int = 10):
    """Claims that carry an evidence bundle, with the bundle's kind and item count."""
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) c.ClaimKey, e.DisplayName AS SubjectName, c.Predicate,
               c.ObjectValue, c.ConfidenceScore, b.bundle_id, b.bundle_kind,
               (SELECT COUNT(*) FROM llm.evidence_item AS i WHERE i.bundle_id = b.bundle_id)
                   AS evidence_items
        FROM dbo.FactClaim AS c
        JOIN dbo.DimEntity AS e ON e.EntityKey = c.SubjectEntityKey
        JOIN llm.evidence_bundle AS b ON b.bundle_id = c.EvidenceBundleGuid
        WHERE c.IsActive = 1 AND c.IsLatest = 1
        ORDER BY c.ConfidenceScore DESC, c.ClaimKey
        """
    )


def runs_by_date(db, days: int = 30):
    """Runs per UTC start date over the last ``days`` days of activity, with artifact counts."""
    import pandas as pd

    frame = db.query(
        """
        SELECT CAST(r.started_utc AS DATE) AS run_date, COUNT(DISTINCT r.run_id) AS runs,
               COUNT(a.artifact_id) AS artifacts
        FROM llm.run AS r LEFT JOIN llm.artifact AS a ON a.run_id = r.run_id
        WHERE r.started_utc > DATEADD(DAY, -?, (SELECT MAX(started_utc) FROM llm.run))
        GROUP BY CAST(r.started_utc AS DATE)
        ORDER BY CAST(r.started_utc AS DATE)
        """,
        [int(days)],
    )
    frame["run_date"] = pd.to_datetime(frame["run_date"]).dt.date
    return frame


def runs_on(db, run_date=None, limit: int = 20):
    """Runs started on one UTC date (default: the newest date with runs), newest first."""
    if run_date in (None, ""):
        run_date = db.scalar("SELECT MAX(CAST(started_utc AS DATE)) FROM llm.run")
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) r.run_id, j.interrogation_key, r.status, r.model_name,
               r.started_utc, (SELECT COUNT(*) FROM llm.artifact AS a WHERE a.run_id = r.run_id)
                   AS artifacts
        FROM llm.run AS r JOIN llm.job AS j ON j.job_id = r.job_id
        WHERE CAST(r.started_utc AS DATE) = CAST(? AS DATE)
        ORDER BY (SELECT COUNT(*) FROM llm.artifact AS a WHERE a.run_id = r.run_id) DESC,
                 r.started_utc DESC, r.run_id
        """,
        [run_date],
    )


def first_run(runs) -> str | None:
    """The run ``runs_on`` lists first (the one with the most artifacts), or None."""
    return None if runs.empty else str(runs.iloc[0]["run_id"])


def run_summary(run_id: str | None, artifacts) -> str:
    """One line about the run being inspected, or why there is none."""
    if run_id is None:
        return "No LLM runs recorded yet (llm.run is empty), so there is no run to inspect."
    if artifacts.empty:
        return f"Run {run_id} recorded no artifacts, so there are no files to read."
    in_lake = int(artifacts["lake_uri"].notna().sum())
    return f"Run {run_id}: {len(artifacts)} artifact(s), {in_lake} of them with a lake file."


def run_artifacts(db, run_id: str | None, limit: int = 50):
    """Artifact metadata of one run (no content); empty for no run."""
    if run_id is None:
        return _empty(RUN_ARTIFACT_COLUMNS)
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) artifact_id, artifact_type, content_mime_type, byte_count,
               content_sha256, lake_uri, stored_in_sql, mirrored_to_lake, created_utc
        FROM llm.artifact WHERE run_id = ?
        ORDER BY artifact_type, artifact_id
        """,
        [run_id],
    )
