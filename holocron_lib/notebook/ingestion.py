"""One controlled ingestion run: pending work items of one source become ingest records.

The run is identified by its parameters (a deterministic run id), so running it again
finds the finished run and changes nothing. Without ``confirm`` the run is carried out
inside a transaction that is rolled back: the outcome shows what would be written.

Fetching goes through a fetcher object. `OfflineFetcher` (the default) answers every GET
with a small JSON document describing the request — no network, same bytes on every
machine — so the book can show a real run. Fetching live sources is the ingest runner's
job; a fetcher with the same `fetch(item)` method can be passed in instead.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

NAMESPACE = uuid.UUID("6f1d3c1e-2b7a-4c55-9a63-6b1d0b7e4a10")
INGEST_TABLES = ("ingest.ingest_runs", "ingest.work_items", "ingest.IngestRecords", "ingest.seen_resources")


@dataclass(frozen=True)
class FetchResult:
    status_code: int
    payload: str
    content_type: str = "application/json"
    duration_ms: int = 0
    error_type: str | None = None
    error_message: str | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300 and self.error_type is None


class OfflineFetcher:
    """Answers GET requests with a deterministic JSON description of the request."""

    name = "offline"

    def fetch(self, item) -> FetchResult:
        if str(item["request_method"]).upper() != "GET":
            return FetchResult(0, "", "text/plain", 0, "unsupported_method",
                               f"the offline fetcher only answers GET, not {item['request_method']}")
        body = {
            "source_system": item["source_system"], "source_name": item["source_name"],
            "resource_type": item["resource_type"], "resource_id": item["resource_id"],
            "request_uri": item["request_uri"], "fetched_by": self.name,
        }
        return FetchResult(200, json.dumps(body, sort_keys=True))


PLAN_COLUMNS = ["work_item_id", "source_system", "source_name", "resource_type", "resource_id",
                "request_uri", "request_method", "variant", "attempt", "priority", "dedupe_key"]


@dataclass(frozen=True)
class IngestionPlan:
    run_id: str | None  # None when there is no source to take work from
    source_system: str
    source_name: str
    resource_type: str | None
    max_items: int
    items: object  # DataFrame of the work items the run will take
    already_ran: bool

    @property
    def has_work(self) -> bool:
        return self.already_ran or (self.run_id is not None and not self.items.empty)

    def summary(self) -> str:
        """What the run will do, or why it has nothing to do."""
        if self.run_id is None:
            return ("No work items to ingest: ingest.work_items is empty, so this run has "
                    "nothing to do.")
        line = (f"source: {self.source_system}/{self.source_name}  run id: {self.run_id}  "
                f"already ran: {self.already_ran}")
        if not self.has_work:
            kind = f" of type {self.resource_type}" if self.resource_type else ""
            line += (f"\nNo pending work items{kind} for {self.source_system}/"
                     f"{self.source_name}, so this run has nothing to do.")
        return line


@dataclass
class IngestionOutcome:
    run_id: str
    committed: bool
    skipped: bool  # True when the run had already finished: nothing was done
    records: object = None  # DataFrame of the ingest records written (or that would be)
    errors: object = None  # DataFrame: failed items with their error
    run: object = None  # the ingest_runs row after the run
    notes: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, int | bool]:
        """What the run records for comparing runs: items fetched, rows it ingested (none
        on a dry run or a skipped run), fetches that failed, and whether it committed."""
        fetched = 0 if self.records is None else len(self.records)
        return {"items_fetched": fetched, "rows_ingested": fetched if self.committed else 0,
                "items_failed": 0 if self.errors is None else len(self.errors),
                "committed": self.committed}


def run_id_for(source_system: str, source_name: str, resource_type: str | None, max_items: int,
               label: str) -> str:
    """The run's id: the same parameters always name the same run."""
    key = f"ingest|{source_system}|{source_name}|{resource_type or '*'}|{int(max_items)}|{label}"
    return str(uuid.uuid5(NAMESPACE, key)).upper()


def default_source(db):
    """(source_system, source_name) with the most work items of any status, or None.

    Counting every status, not only pending items, keeps the choice stable after a run,
    so the same default parameters name the same run again.
    """
    frame = db.query(
        """
        SELECT TOP (1) source_system, source_name, COUNT(*) AS items
        FROM ingest.work_items
        GROUP BY source_system, source_name
        ORDER BY COUNT(*) DESC, source_system, source_name
        """
    )
    if frame.empty:
        return None
    return str(frame.loc[0, "source_system"]), str(frame.loc[0, "source_name"])


def pending_by_source(db):
    """Work items per source and status: what there is to ingest."""
    return db.query(
        """
        SELECT source_system, source_name, status, COUNT(*) AS items
        FROM ingest.work_items
        GROUP BY source_system, source_name, status
        ORDER BY source_system, source_name, status
        """
    )


def choose_plan(db, source_system: str = "", source_name: str = "", *,
                resource_type: str | None = None, max_items: int = 5,
                label: str = "manual") -> IngestionPlan:
    """The plan for the given source, or for ``default_source`` when none is given.

    With no work items at all the plan has no source and no run id: executing it does
    nothing, and ``summary()`` says so.
    """
    source = (source_system, source_name) if source_system else default_source(db)
    if source is None:
        import pandas as pd

        return IngestionPlan(None, "", "", resource_type, int(max_items),
                             pd.DataFrame(columns=PLAN_COLUMNS), False)
    return plan(db, *source, resource_type=resource_type, max_items=max_items, label=label)


def plan(db, source_system: str, source_name: str, resource_type: str | None = None,
         max_items: int = 5, label: str = "manual") -> IngestionPlan:
    """Which pending items the run would take (highest priority, oldest first)."""
    run_id = run_id_for(source_system, source_name, resource_type, max_items, label)
    already = db.scalar("SELECT COUNT(*) FROM ingest.ingest_runs WHERE run_id = ?", [run_id])
    type_filter = "AND resource_type = ?" if resource_type else ""
    params = [source_system, source_name] + ([resource_type] if resource_type else [])
    items = db.query(
        f"""
        SELECT TOP ({int(max_items)}) work_item_id, source_system, source_name, resource_type,
               resource_id, request_uri, request_method, variant, attempt, priority, dedupe_key
        FROM ingest.work_items
        WHERE status = 'pending' AND source_system = ? AND source_name = ? {type_filter}
        ORDER BY priority DESC, created_at, work_item_id
        """,
        params,
    )
    return IngestionPlan(run_id, source_system, source_name, resource_type, int(max_items), items,
                         bool(already))


def execute(db, plan: IngestionPlan, *, confirm: bool = False, fetcher=None,
            now: datetime | None = None) -> IngestionOutcome:
    """Carry out the plan in one transaction; commit only when ``confirm`` is true."""
    if plan.already_ran:
        return IngestionOutcome(plan.run_id, False, True, run=run_row(db, plan.run_id),
                                notes=["this run already finished; nothing was done"])
    if not plan.has_work:
        import pandas as pd

        return IngestionOutcome(plan.run_id, False, True, pd.DataFrame(columns=RECORD_COLUMNS),
                                pd.DataFrame(columns=ERROR_COLUMNS), run_row(db, plan.run_id),
                                ["nothing to do: no pending work items, so nothing was written"])
    fetcher = fetcher or OfflineFetcher()
    now = (now or datetime.now(UTC)).replace(tzinfo=None)
    records, errors = [], []
    with db.dry_run(confirm) as tx:
        tx.execute(
            "INSERT INTO ingest.ingest_runs (run_id, started_at, status, items_processed, "
            "items_succeeded, items_failed, items_discovered, config_hash, metadata) "
            "VALUES (?, ?, 'running', 0, 0, 0, 0, ?, ?)",
            [plan.run_id, now, _config_hash(plan), json.dumps(
                {"fetcher": getattr(fetcher, "name", type(fetcher).__name__), "max_items": plan.max_items})],
        )
        for item in plan.items.to_dict("records"):
            result = _fetch(fetcher, item)
            records.append(_record(tx, plan.run_id, item, result, now))
            if not result.ok:
                errors.append({"work_item_id": item["work_item_id"], "resource_id": item["resource_id"],
                               "status_code": result.status_code, "error_type": result.error_type,
                               "error_message": result.error_message})
        done = len(records) - len(errors)
        tx.execute(
            "UPDATE ingest.ingest_runs SET completed_at = ?, status = ?, items_processed = ?, "
            "items_succeeded = ?, items_failed = ? WHERE run_id = ?",
            [now, "failed" if records and not done else "completed", len(records), done, len(errors),
             plan.run_id],
        )
        run = tx.query("SELECT * FROM ingest.ingest_runs WHERE run_id = ?", [plan.run_id])
    import pandas as pd

    committed = tx.keeps_writes
    notes = [] if committed else ["dry run: the transaction was rolled back, nothing was written"]
    return IngestionOutcome(plan.run_id, committed, False,
                            pd.DataFrame(records, columns=RECORD_COLUMNS),
                            pd.DataFrame(errors, columns=ERROR_COLUMNS), run, notes)


RECORD_COLUMNS = ["ingest_id", "work_item_id", "resource_id", "status_code", "content_length",
                  "hash_sha256", "status"]
ERROR_COLUMNS = ["work_item_id", "resource_id", "status_code", "error_type", "error_message"]


def _fetch(fetcher, item) -> FetchResult:
    started = time.perf_counter()
    try:
        result = fetcher.fetch(item)
    except Exception as exc:  # noqa: BLE001 - a failed fetch is recorded, not raised
        result = FetchResult(0, "", "text/plain", 0, type(exc).__name__, str(exc)[:500])
    if not result.duration_ms:
        elapsed = int((time.perf_counter() - started) * 1000)
        result = FetchResult(result.status_code, result.payload, result.content_type, elapsed,
                             result.error_type, result.error_message)
    return result


def _record(tx, run_id: str, item: dict, result: FetchResult, now: datetime) -> dict:
    """Write one fetch: the ingest record, the work item's new state, the seen-resource entry."""
    ingest_id = str(uuid.uuid5(uuid.UUID(run_id), str(item["work_item_id"]))).upper()
    payload = result.payload or ""
    data = payload.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest() if data else None
    attempt = int(item["attempt"] or 0) + 1
    tx.execute(
        "INSERT INTO ingest.IngestRecords (ingest_id, source_system, source_name, resource_type, "
        "resource_id, request_uri, request_method, status_code, payload, fetched_at_utc, hash_sha256, "
        "run_id, work_item_id, attempt, error_message, duration_ms, variant, content_type, "
        "content_length, request_timestamp, response_timestamp, error_type) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ingest_id, item["source_system"], item["source_name"], item["resource_type"],
         item["resource_id"], item["request_uri"], item["request_method"], result.status_code, payload,
         now, digest, run_id, str(item["work_item_id"]), attempt, result.error_message,
         result.duration_ms, item["variant"], result.content_type, len(data), now, now,
         result.error_type],
    )
    status = "completed" if result.ok else "failed"
    tx.execute(
        "UPDATE ingest.work_items SET status = ?, attempt = ?, run_id = ?, updated_at = ?, "
        "error_message = ?, last_error = ?, error_type = ?, request_started_at = ?, "
        "request_finished_at = ?, claimed_by = NULL, claimed_at = NULL, lease_expires_at = NULL "
        "WHERE work_item_id = ?",
        [status, attempt, run_id, now, result.error_message, result.error_message, result.error_type,
         now, now, str(item["work_item_id"])],
    )
    key = str(item["dedupe_key"])
    seen = tx.execute(
        "UPDATE ingest.seen_resources SET last_seen_at = ?, seen_count = seen_count + 1, "
        "last_run_id = ? WHERE resource_key = ?",
        [now, run_id, key],
    )
    if seen == 0:
        tx.execute(
            "INSERT INTO ingest.seen_resources (resource_key, source_system, source_name, resource_type, "
            "resource_id, first_seen_at, last_seen_at, seen_count, last_run_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
            [key, item["source_system"], item["source_name"], item["resource_type"], item["resource_id"],
             now, now, run_id],
        )
    return {"ingest_id": ingest_id, "work_item_id": str(item["work_item_id"]),
            "resource_id": item["resource_id"], "status_code": result.status_code,
            "content_length": len(data), "hash_sha256": digest, "status": status}


def _config_hash(plan: IngestionPlan) -> str:
    text = json.dumps([plan.source_system, plan.source_name, plan.resource_type, plan.max_items])
    return hashlib.sha256(text.encode()).hexdigest()


def run_row(db, run_id: str | None):
    """The run's ingest_runs row (none for a plan without a run id)."""
    if run_id is None:
        return db.query("SELECT TOP (0) * FROM ingest.ingest_runs")
    return db.query("SELECT * FROM ingest.ingest_runs WHERE run_id = ?", [run_id])


def ingest_counts(db):
    """Rows per ingest table and work items per status, shaped for `diffs.diff`."""
    parts = " UNION ALL ".join(f"SELECT '{t}' AS [table], 'rows' AS measure, COUNT(*) AS [count] FROM {t}"
                               for t in INGEST_TABLES)
    counts = db.query(parts)
    statuses = db.query(
        "SELECT 'ingest.work_items' AS [table], CONCAT('status=', status) AS measure, COUNT(*) AS [count] "
        "FROM ingest.work_items GROUP BY status"
    )
    import pandas as pd

    out = pd.concat([counts, statuses], ignore_index=True)
    out["count"] = out["count"].astype(int)
    return out.sort_values(["table", "measure"], ignore_index=True)


def run_errors(db, run_id: str | None, limit: int = 20):
    """Failed fetches recorded for one run (the run's error log); none without a run id."""
    limit = int(limit) if run_id is not None else 0
    return db.query(
        f"""
        SELECT TOP ({limit}) resource_id, status_code, error_type, error_message, fetched_at_utc
        FROM ingest.IngestRecords
        WHERE run_id = ? AND (error_type IS NOT NULL OR status_code NOT BETWEEN 200 AND 299)
        ORDER BY fetched_at_utc, resource_id
        """,
        [run_id],
    )
