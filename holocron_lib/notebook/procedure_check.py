"""Validate a stored procedure with a sample payload, inside a transaction rolled back by default.

A `Sample` names the procedure, its parameters, the tables it may touch and the checks
that must hold afterwards (each a T-SQL scalar and the value it should return), or the
error it is expected to raise. `validate` records the result sets, the row-count change
of each table and every check, then rolls back unless ``confirm`` is true.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from holocron_lib.errors import HolocronError, UnknownObjectError


@dataclass(frozen=True)
class Check:
    name: str
    sql: str  # T-SQL returning one value
    params: tuple = ()
    expected: object = None


@dataclass(frozen=True)
class Sample:
    name: str
    procedure: str
    params: dict
    description: str
    tables: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    expect_error: str | None = None  # a fragment of the message the procedure should raise


@dataclass
class Validation:
    sample: Sample
    params: dict
    committed: bool
    result_sets: list = field(default_factory=list)
    error: str | None = None
    deltas: object = None  # DataFrame: table, before, after, rows_affected
    checks: object = None  # DataFrame: check, expected, actual, passed

    @property
    def passed(self) -> bool:
        return bool(self.checks is not None and len(self.checks) and self.checks["passed"].all())


PROBE_KEY = "runbook-probe:0001"
PROBE_TYPE = "runbook_validation_v1"

SAMPLES: tuple[Sample, ...] = (
    Sample(
        "enqueue_job", "llm.usp_enqueue_job",
        {"interrogation_key": PROBE_TYPE, "input_json": json.dumps({"probe": True, "purpose": "runbook"}),
         "dedupe_key": PROBE_KEY, "priority": 120},
        "Enqueue one job with a dedupe key: exactly one NEW job exists for the key afterwards.",
        tables=("llm.job",),
        checks=(
            Check("one job holds the dedupe key",
                  "SELECT COUNT(*) FROM llm.job WHERE interrogation_key = ? AND dedupe_key = ?",
                  (PROBE_TYPE, PROBE_KEY), 1),
            Check("it waits in status NEW with the given priority",
                  "SELECT COUNT(*) FROM llm.job WHERE dedupe_key = ? AND status = 'NEW' AND priority = 120",
                  (PROBE_KEY,), 1),
            Check("a second call finds it instead of inserting (is_duplicate)",
                  "CALL:llm.usp_enqueue_job", (), 1),
        ),
    ),
    Sample(
        "enqueue_idempotent_without_key", "llm.usp_enqueue_job_idempotent",
        {"interrogation_key": PROBE_TYPE, "dedupe_key": " ", "input_json": "{}"},
        "The idempotent variant refuses a blank dedupe key and writes nothing.",
        tables=("llm.job",),
        expect_error="dedupe_key is required",
    ),
    Sample(
        "count_entities", "dbo.usp_count_entities_by_type", {"entity_type": "Character"},
        "Read-only: counts per promotion state add up to the active latest characters.",
        tables=("dbo.DimEntity",),
        checks=(
            Check("counts add up to the active latest characters",
                  "SELECT COUNT(*) FROM dbo.DimEntity WHERE IsActive = 1 AND IsLatest = 1 "
                  "AND EntityType = 'Character'", (), "RS0:entity_count:sum"),
        ),
    ),
    Sample(
        "batch_insert_entities", "dbo.usp_batch_insert_entities",
        {"entities_json": json.dumps([{"name": "Runbook Probe Droid", "type": "Droid", "confidence": 0.9}]),
         "run_id": "00000000-0000-4000-8000-000000000001"},
        "On the newest schema this procedure stops at its matching step (it names "
        "DimEntity.EntityId, which no longer exists); validating it shows the failure and that "
        "nothing was written.",
        tables=("dbo.DimEntity",),
        expect_error="EntityId",
    ),
)


def sample(name: str) -> Sample:
    for s in SAMPLES:
        if s.name == name:
            return s
    raise UnknownObjectError("procedure sample", name, [s.name for s in SAMPLES])


def with_params(base: Sample, overrides_json: str = "") -> dict:
    """The sample's parameters with any given as a JSON object replacing them."""
    params = dict(base.params)
    if overrides_json.strip():
        extra = json.loads(overrides_json)
        if not isinstance(extra, dict):
            raise ValueError("the parameter overrides must be a JSON object")
        params.update(extra)
    return params


def validate(db, s: Sample, params: dict | None = None, *, confirm: bool = False) -> Validation:
    """Call the procedure and run its checks in one transaction; commit only on ``confirm``."""
    import pandas as pd

    params = dict(s.params if params is None else params)
    report = Validation(s, params, committed=False)
    before = _counts(db, s.tables)
    try:
        with db.dry_run(confirm) as tx:
            report.result_sets = list(tx.call(s.procedure, **params))
            report.checks = pd.DataFrame([_run_check(tx, s, params, c, report.result_sets)
                                          for c in s.checks],
                                         columns=["check", "expected", "actual", "passed"])
            during = _counts(tx, s.tables)
        report.committed = tx.keeps_writes
    except HolocronError as exc:
        report.error = str(exc)
        report.committed = False
        during = _counts(db, s.tables)
        expected = s.expect_error
        report.checks = pd.DataFrame(
            [{"check": "raises the expected error" if expected else "runs without error",
              "expected": expected or "no error", "actual": report.error[:200],
              "passed": bool(expected and expected.lower() in report.error.lower())}])
    else:
        if s.expect_error:
            extra = {"check": "raises the expected error", "expected": s.expect_error,
                     "actual": "no error", "passed": False}
            report.checks = pd.concat([report.checks, pd.DataFrame([extra])], ignore_index=True)
    after = _counts(db, s.tables)
    report.deltas = pd.DataFrame(
        [{"table": t, "before": before[t], "inside_transaction": during[t], "after": after[t],
          "rows_affected": during[t] - before[t]} for t in s.tables])
    return report


def _counts(db, tables) -> dict:
    return {t: int(db.scalar(f"SELECT COUNT(*) FROM {t}")) for t in tables}


def _run_check(tx, s: Sample, params: dict, check: Check, result_sets) -> dict:
    if check.sql.startswith("CALL:"):
        # calling the procedure again with the same parameters must be a no-op
        again = tx.call(check.sql[5:], **params)[0]
        actual = int(again.loc[0, "is_duplicate"])
        return {"check": check.name, "expected": check.expected, "actual": actual,
                "passed": actual == check.expected}
    actual = tx.scalar(check.sql, list(check.params))
    expected = check.expected
    if isinstance(expected, str) and expected.startswith("RS"):
        # expected value computed from a result set: RS<n>:<column>:sum
        index, column, _ = expected[2:].split(":")
        expected = int(result_sets[int(index)][column].sum())
    actual = int(actual) if actual is not None else None
    return {"check": check.name, "expected": expected, "actual": actual, "passed": actual == expected}
