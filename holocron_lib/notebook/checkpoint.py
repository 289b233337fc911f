"""Checkpoint and re-run: an idempotent pipeline step, state snapshots, and a duplicate proof.

The step enqueues entity-classification jobs through `llm.usp_enqueue_job` with the
pipeline's dedupe key (`entity_classify:<EntityKey>`). A checkpoint records which keys
are done, so a re-run skips them; and even without a checkpoint the dedupe key makes
the procedure return the existing job instead of inserting a second one. A snapshot
fingerprints the step's rows so two moments can be compared exactly. A `trial` runs the
step and its re-runs in one dry run, so the proof can be shown and then left behind.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from holocron_lib.errors import DatabaseError

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
    """Enqueue one job per entity not yet in the checkpoint; roll back unless ``confirm``.

    The outcome's checkpoint moves on only when the writes are kept.
    """
    checkpoint = checkpoint or Checkpoint(INTERROGATION_KEY)
    with db.dry_run(confirm) as tx:
        outcome = _enqueue(tx, batch, checkpoint, priority)
    return outcome if outcome.committed else replace(outcome, checkpoint=checkpoint)


def _enqueue(tx, batch, checkpoint: Checkpoint, priority: int) -> StepOutcome:
    """The step inside an open transaction; the outcome holds the checkpoint moved on."""
    done = set(checkpoint.done)
    enqueued = already = skipped = 0
    finished: list[str] = []
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
    return StepOutcome(enqueued, already, skipped, tx.keeps_writes,
                       Checkpoint(checkpoint.step, sorted(done | set(finished))))


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
    """The step and its re-runs inside one transaction, with a snapshot after each.

    Made by `trial()`. During the trial the checkpoint lives here, in memory; it is saved
    to its file only when the trial's writes are kept, so a dry run never leaves behind a
    checkpoint that claims work nobody kept.
    """

    def __init__(self, tx, batch, checkpoint: Checkpoint, priority: int):
        self._tx = tx
        self.batch = batch
        self.checkpoint = checkpoint
        self.priority = priority
        self.steps: dict[str, StepOutcome] = {}
        self.snapshots: dict[str, Snapshot] = {"before": snapshot(tx)}
        self.duplicates = None  # dedupe keys held twice, looked up as the trial ends
        self.committed = False

    def step(self, label: str, *, use_checkpoint: bool = True) -> StepOutcome:
        """Run the step and snapshot the state as ``label``; without the checkpoint when
        ``use_checkpoint`` is false, as if its file had been lost."""
        if self._tx is None:
            raise DatabaseError(f"step {label!r}: the trial has ended; start a new one")
        start = self.checkpoint if use_checkpoint else Checkpoint(self.checkpoint.step)
        outcome = _enqueue(self._tx, self.batch, start, self.priority)
        self.checkpoint = Checkpoint(self.checkpoint.step,
                                     sorted(set(self.checkpoint.done) | set(outcome.checkpoint.done)))
        self.steps[label] = outcome
        self.snapshots[label] = snapshot(self._tx)
        return outcome

    @property
    def outcome(self) -> str:
        return "committed" if self.committed else "rolled back"

    @property
    def idempotent(self) -> bool:
        """Every snapshot after the first step equals it, and no dedupe key is held twice."""
        after = [self.snapshots[label] for label in self.steps]
        same = all(snap == after[0] for snap in after)
        return same and self.duplicates is not None and self.duplicates.empty


@contextmanager
def trial(db, batch, checkpoint_path: str | Path, *, confirm: bool = False,
          priority: int = 100) -> Iterator[Trial]:
    """A `Trial` for one ``with`` block: kept only when ``confirm`` is true, and rolled back
    (transaction released, checkpoint file untouched) when anything inside raises."""
    path = Path(checkpoint_path)
    with db.dry_run(confirm) as tx:
        run = Trial(tx, batch, Checkpoint.load(path, INTERROGATION_KEY), priority)
        try:
            yield run
            run.duplicates = duplicate_jobs(tx)
        finally:
            run._tx = None
    run.committed = tx.keeps_writes
    if run.committed:
        run.checkpoint.save(path)
