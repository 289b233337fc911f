"""Validating stored procedures with sample payloads, rolled back unless confirmed."""

import pytest
from seeded_db import fresh_db_fixture

from holocron_lib.errors import UnknownObjectError
from holocron_lib.notebook import procedure_check as pc

db = fresh_db_fixture()


@pytest.mark.parametrize("sample", pc.SAMPLES, ids=[s.name for s in pc.SAMPLES])
def test_every_sample_passes_and_a_dry_run_keeps_nothing(db, sample):
    report = pc.validate(db, sample)
    assert report.passed, report.checks.to_string()
    assert not report.committed
    assert (report.deltas["after"] == report.deltas["before"]).all()


def test_the_enqueue_sample_affects_one_row_and_commits_on_confirm(db):
    report = pc.validate(db, pc.sample("enqueue_job"), confirm=True)
    row = report.deltas.iloc[0]
    assert (row["rows_affected"], row["after"] - row["before"]) == (1, 1)
    assert list(report.result_sets[0].columns) == ["job_id", "is_duplicate", "existing_status"]
    again = pc.validate(db, pc.sample("enqueue_job"), confirm=True)
    assert again.deltas.iloc[0]["rows_affected"] == 0
    assert again.passed and int(again.result_sets[0].loc[0, "is_duplicate"]) == 1


def test_a_check_that_does_not_hold_fails(db):
    base = pc.sample("enqueue_job")
    report = pc.validate(db, base, pc.with_params(base, '{"priority": 130}'))
    failed = report.checks[~report.checks["passed"]]
    assert list(failed["check"]) == ["it waits in status NEW with the given priority"]
    assert not report.passed


def test_an_expected_error_that_does_not_come_fails(db):
    base = pc.sample("enqueue_idempotent_without_key")
    report = pc.validate(db, base, pc.with_params(base, '{"dedupe_key": "real-key"}'))
    assert report.error is None and not report.passed


def test_overrides_must_be_a_json_object_and_samples_are_named():
    with pytest.raises(ValueError, match="JSON object"):
        pc.with_params(pc.sample("count_entities"), "[1]")
    with pytest.raises(UnknownObjectError, match="enqueue_job"):
        pc.sample("enqueue")
