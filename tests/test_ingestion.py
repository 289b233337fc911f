"""One controlled ingestion run: dry run writes nothing, a confirmed run writes once, errors are logged."""

import pandas as pd
from seeded_db import fresh_db_fixture

from holocron_lib.notebook import ingestion
from holocron_lib.notebook.diffs import diff

db = fresh_db_fixture()


def busiest_plan(db, max_items=4, label="test"):
    source = ingestion.default_source(db)
    assert source is not None, "the seeded database has pending work items"
    return ingestion.plan(db, *source, max_items=max_items, label=label)


def test_the_run_id_is_a_function_of_the_parameters():
    a = ingestion.run_id_for("mediawiki", "wookieepedia", None, 5, "x")
    assert a == ingestion.run_id_for("mediawiki", "wookieepedia", None, 5, "x")
    assert a != ingestion.run_id_for("mediawiki", "wookieepedia", None, 5, "y")


def test_plan_takes_pending_items_by_priority(db):
    plan = busiest_plan(db, max_items=4)
    assert 0 < len(plan.items) <= 4 and not plan.already_ran
    statuses = db.query("SELECT status FROM ingest.work_items WHERE work_item_id IN (?, ?)",
                        [str(plan.items.iloc[0]["work_item_id"]), str(plan.items.iloc[-1]["work_item_id"])])
    assert set(statuses["status"]) == {"pending"}
    assert plan.items["priority"].is_monotonic_decreasing


def test_a_dry_run_reports_the_records_and_writes_nothing(db):
    before = ingestion.ingest_counts(db)
    plan = busiest_plan(db)
    outcome = ingestion.execute(db, plan)
    assert not outcome.committed and len(outcome.records) == len(plan.items)
    assert outcome.run.iloc[0]["items_processed"] == len(plan.items)
    pd.testing.assert_frame_equal(before, ingestion.ingest_counts(db))
    assert outcome.figures() == {"items_fetched": len(plan.items), "rows_ingested": 0,
                                 "items_failed": 0, "committed": False}


def test_a_confirmed_run_writes_records_marks_items_and_is_done_once(db):
    before = ingestion.ingest_counts(db)
    plan = busiest_plan(db, max_items=3)
    outcome = ingestion.execute(db, plan, confirm=True)
    n = len(plan.items)
    changes = diff(before, ingestion.ingest_counts(db)).set_index(["table", "measure"])["delta"]
    assert changes[("ingest.IngestRecords", "rows")] == n
    assert changes[("ingest.ingest_runs", "rows")] == 1
    assert changes[("ingest.work_items", "status=pending")] == -n
    run = db.query("SELECT status, items_succeeded FROM ingest.ingest_runs WHERE run_id = ?", [plan.run_id])
    assert run.iloc[0]["status"] == "completed" and run.iloc[0]["items_succeeded"] == n
    assert outcome.errors.empty and ingestion.run_errors(db, plan.run_id).empty
    assert outcome.figures() == {"items_fetched": n, "rows_ingested": n, "items_failed": 0,
                                 "committed": True}
    again = ingestion.execute(db, ingestion.plan(db, plan.source_system, plan.source_name, max_items=3,
                                                 label="test"), confirm=True)
    assert again.skipped and not again.committed
    assert again.figures() == {"items_fetched": 0, "rows_ingested": 0, "items_failed": 0,
                               "committed": False}
    assert diff(before, ingestion.ingest_counts(db)).set_index(["table", "measure"])["delta"].equals(changes)


class BrokenFetcher:
    name = "broken"

    def fetch(self, item):
        if item["resource_id"] == self.bad:
            raise ConnectionError("remote closed the connection")
        return ingestion.OfflineFetcher().fetch(item)


def test_a_failed_fetch_is_recorded_not_raised(db):
    plan = busiest_plan(db, max_items=3)
    fetcher = BrokenFetcher()
    fetcher.bad = plan.items.iloc[1]["resource_id"]
    outcome = ingestion.execute(db, plan, confirm=True, fetcher=fetcher)
    assert list(outcome.errors["resource_id"]) == [fetcher.bad]
    assert outcome.figures()["items_failed"] == 1
    assert outcome.figures()["rows_ingested"] == len(plan.items)
    log = ingestion.run_errors(db, plan.run_id)
    assert list(log["error_type"]) == ["ConnectionError"]
    item = db.query("SELECT status, error_type FROM ingest.work_items WHERE work_item_id = ?",
                    [str(plan.items.iloc[1]["work_item_id"])])
    assert item.iloc[0]["status"] == "failed" and item.iloc[0]["error_type"] == "ConnectionError"
    assert int(db.scalar("SELECT items_failed FROM ingest.ingest_runs WHERE run_id = ?", [plan.run_id])) == 1


def test_the_offline_fetcher_is_deterministic_and_refuses_other_methods():
    item = {"source_system": "s", "source_name": "n", "resource_type": "page", "resource_id": "Tatooine",
            "request_uri": "https://example.org/Tatooine", "request_method": "GET"}
    a, b = ingestion.OfflineFetcher().fetch(item), ingestion.OfflineFetcher().fetch(item)
    assert a == b and a.ok and "Tatooine" in a.payload
    post = ingestion.OfflineFetcher().fetch({**item, "request_method": "POST"})
    assert not post.ok and post.error_type == "unsupported_method"


def test_seen_resources_count_each_fetch(db):
    plan = busiest_plan(db, max_items=2)
    ingestion.execute(db, plan, confirm=True)
    key = str(plan.items.iloc[0]["dedupe_key"])
    seen = db.query("SELECT seen_count, last_run_id FROM ingest.seen_resources WHERE resource_key = ?", [key])
    assert len(seen) == 1 and str(seen.iloc[0]["last_run_id"]).upper() == plan.run_id
