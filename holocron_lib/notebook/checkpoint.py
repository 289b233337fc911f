"""Checkpoint and re-run: an idempotent pipeline step, state snapshots, and a duplicate proof.

The step enqueues entity-classification jobs through `llm.usp_enqueue_job` with the
pipeline's dedupe key (`entity_classify:<EntityKey>`). A checkpoint records which keys
are done, so a re-run skips them; and even without a checkpoint the dedupe key makes
the procedure return the existing job instead of inserting a second one. A snapshot
fingerprints the step's rows so two moments can be compared exactly.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

INTERROGATION_KEY = "entity_classification_v1"
DEDUPE_PREFIX = "entity_classify:"


@dataclass
class Checkpoint:
    """Which items a step has finished; saved as JSON so a later run can resume."""

    step: str
    done: list[str] = field(default_factory=list)

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path, step: str) -> Checkpoint:
        """The saved checkpoint, or an empty one for ``step`` when there is none yet."""
        path = Path(path)
        if not path.is_file():
            return cls(step)
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data.get("step", step), list(data.get("done", [])))


@dataclass(frozen=True)
class StepOutcome:
    enqueued: int  # new jobs inserted
    already_queued: int  # the procedure found an existing job for the dedupe key
    skipped: int  # the checkpoint said the item was done
    committed: bool
    checkpoint: Checkpoint


@dataclass(frozen=True)
class Snapshot:
    jobs: int
    distinct_keys: int
    fingerprint: str  # SHA-256 of the sorted (dedupe_key, job_id, status, priority) rows

    def as_row(self, label: str) -> dict:
        return {"moment": label, "jobs": self.jobs, "distinct_keys": self.distinct_keys,
                "fingerprint": self.fingerprint[:16]}


def select_batch(db, entity_type: str = "Character", size: int = 5):
    """The first ``size`` active entities of a type, by key: a stable batch to work on."""
    return db.query(
        f"""
        SELECT TOP ({int(size)}) EntityKey, DisplayName, EntityType
        FROM dbo.DimEntity
        WHERE IsActive = 1 AND IsLatest = 1 AND EntityType = ?
        ORDER BY EntityKey
        """,
        [entity_type],
    )


def dedupe_key(entity_key) -> str:
    return f"{DEDUPE_PREFIX}{int(entity_key)}"


def run_step(db, batch, checkpoint: Checkpoint | None = None, *, confirm: bool = False,
             priority: int = 100) -> StepOutcome:
    """Enqueue one job per entity not yet in the checkpoint; roll back unless ``confirm``."""
    checkpoint = checkpoint or Checkpoint(INTERROGATION_KEY)
    done = set(checkpoint.done)
    enqueued = already = skipped = 0
    finished: list[str] = []
    with db.transaction() as tx:
        for row in batch.to_dict("records"):
            key = dedupe_key(row["EntityKey"])
            if key in done:
                skipped += 1
                continue
            payload = json.dumps({"entity_key": int(row["EntityKey"]), "display_name": row["DisplayName"],
                                  "entity_type": row["EntityType"]}, sort_keys=True)
            result = tx.call("llm.usp_enqueue_job", interrogation_key=INTERROGATION_KEY,
                             input_json=payload, dedupe_key=key, priority=int(priority))[0]
            if int(result.loc[0, "is_duplicate"]):
                already += 1
            else:
                enqueued += 1
            finished.append(key)
        if not confirm:
            tx.rollback()
    if confirm:
        checkpoint = Checkpoint(checkpoint.step, sorted(done | set(finished)))
    return StepOutcome(enqueued, already, skipped, confirm, checkpoint)


def snapshot(db, interrogation_key: str = INTERROGATION_KEY) -> Snapshot:
    """Counts and a content fingerprint of the step's jobs (bounded to the job type)."""
    rows = db.query(
        "SELECT dedupe_key, job_id, status, priority FROM llm.job WHERE interrogation_key = ? "
        "ORDER BY dedupe_key, job_id",
        [interrogation_key],
    )
    text = "\n".join("|".join(str(v) for v in r) for r in rows.itertuples(index=False, name=None))
    return Snapshot(len(rows), int(rows["dedupe_key"].nunique()), hashlib.sha256(text.encode()).hexdigest())


def duplicate_jobs(db, interrogation_key: str = INTERROGATION_KEY, limit: int = 20):
    """Dedupe keys held by more than one job of the type: should always be empty."""
    return db.query(
        f"""
        SELECT TOP ({int(limit)}) dedupe_key, COUNT(*) AS jobs
        FROM llm.job
        WHERE interrogation_key = ? AND dedupe_key IS NOT NULL
        GROUP BY dedupe_key
        HAVING COUNT(*) > 1
        ORDER BY COUNT(*) DESC, dedupe_key
        """,
        [interrogation_key],
    )


def compare(snapshots: dict[str, Snapshot]):
    """The snapshots side by side, with whether each equals the previous one."""
    import pandas as pd

    rows, previous = [], None
    for label, snap in snapshots.items():
        row = snap.as_row(label)
        row["same_as_previous"] = None if previous is None else snap == previous
        rows.append(row)
        previous = snap
    return pd.DataFrame(rows)


class Trial:
    """Several notebook cells in one transaction, kept only when ``confirm`` is true.

    Steps called inside it join its transaction, so a dry run can still show a real
    run, checkpoint and re-run, and then leave nothing behind.
    """

    def __init__(self, db, confirm: bool = False):
        self.confirm = bool(confirm)
        self._cm = db.transaction()
        self.tx = self._cm.__enter__()
        self.outcome = "open"

    def finish(self) -> str:
        """Commit (confirmed) or roll back; says which."""
        if self.outcome != "open":
            return self.outcome
        if not self.confirm:
            self.tx.rollback()
        self._cm.__exit__(None, None, None)
        self.outcome = "committed" if self.confirm else "rolled back"
        return self.outcome
