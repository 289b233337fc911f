"""Acquisition and semantic staging: ingest queue and fetches, wiki pages, signals, page types."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from holocron_lib.synthetic import facts as catalog
from holocron_lib.synthetic.base import Rand, SeedTable, iso, jdumps
from holocron_lib.synthetic.entity_hub import Cast

WIKI = "https://starwars.fandom.com"
SOURCE = ("mediawiki", "wookieepedia")
CONCEPT_PAGES = (("The Force", "Concept"), ("Hyperspace", "Concept"),
                 ("Galactic Civil War", "EventConflict"), ("Clone Wars", "EventConflict"),
                 ("Kyber crystal", "ObjectItem"), ("Holocron", "ObjectArtifact"),
                 ("Imperial Era", "TimePeriod"), ("Star Wars Insider", "WorkMedia"))


@dataclass
class Page:
    page_id: str
    title: str
    namespace: str
    continuity: str
    primary_type: str
    entity_key: int | None
    confidence: float
    method: str
    needs_review: bool
    lead: str
    created: datetime
    ingest_id: str = ""
    run_id: str | None = None  # the llm run that classified it, set by the pipeline


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_pages(rng: Rand, scale: int, cast: Cast, as_of: datetime) -> list[Page]:
    """Which wiki pages exist and how they end up classified (decided before any job runs)."""
    pages = []

    def add(title, namespace, primary, entity, continuity, lead):
        low = rng.random() < 0.12 or primary == "Unknown"
        confidence = rng.score(0.35, 0.69) if low else rng.score(0.75, 0.99)
        method = rng.weighted({"llm": 55, "rules": 25, "hybrid": 15, "manual": 5})
        created = as_of - timedelta(days=rng.uniform(20, 60))
        pages.append(Page(rng.guid(), title, namespace, continuity, primary, entity, confidence,
                          method, low and rng.random() < 0.8, lead, created))

    keys = [k for k in range(1, len(cast.entities) + 1) if rng.random() < 0.42]
    for key in keys:
        row = cast.entity(key)
        primary = catalog.PAGE_TYPES_BY_ENTITY[row["EntityType"]]
        if row["EntityType"] == "TechInstance" and "#" in row["DisplayName"]:
            primary = "ObjectItem"
        if rng.random() < 0.04:
            primary = "Unknown"
        add(row["DisplayName"], "main", primary, key,
            "canon" if row["IsCanonical"] else rng.choice(("legends", "unknown")),
            row["SummaryShort"])
    for title, primary in CONCEPT_PAGES:
        add(title, "main", primary, None, "canon", f"{title} is a {primary.lower()} topic.")
    for title in catalog.TECHNICAL_PAGES:
        namespace = title.split(":")[0].lower() if ":" in title else "main"
        add(title, namespace if namespace in ("help", "template", "module", "mediawiki", "user",
                                              "category", "forum", "wookieepedia") else "other",
            "TechnicalSitePage", None, "unknown", "A site maintenance page.")
    for title in catalog.META_PAGES:
        add(title, "main", "MetaReference", None, "unknown", "A reference list page.")
    return pages


def build_ingest(rng: Rand, scale: int, pages: list[Page], as_of: datetime
                 ) -> dict[str, SeedTable]:
    """ingest.*: runs, the work-item queue (raw + html per page) and the fetch records."""
    t = {name: SeedTable(*name.split("."), natural_key=nk) for name, nk in (
        ("ingest.ingest_runs", ["run_id"]), ("ingest.work_items", ["dedupe_key"]),
        ("ingest.IngestRecords", ["ingest_id"]), ("ingest.seen_resources", ["resource_key"]),
        ("ingest.worker_heartbeats", ["worker_id"]), ("ingest.run_metrics", ["run_id"]))}
    runs = []
    for n in range(8 * scale):
        started = as_of - timedelta(days=60 * (n + 1) / (8 * scale + 1), hours=rng.uniform(0, 3))
        runs.append((rng.guid(), started))
    workers = [f"ingest-worker-{n}" for n in range(1, 4)]
    stats = {run_id: [0, 0, 0, 0] for run_id, _ in runs}
    for page in pages:
        run_id, run_start = min(runs, key=lambda r: abs((r[1] - page.created).total_seconds()))
        for variant in ("raw", "html"):
            _work_item(rng, t, page, variant, run_id, run_start, workers, stats, as_of)
        t["ingest.seen_resources"].add({
            "resource_key": f"{SOURCE[0]}:{SOURCE[1]}:page:{page.title}",
            "source_system": SOURCE[0], "source_name": SOURCE[1], "resource_type": "page",
            "resource_id": page.title, "first_seen_at": iso(run_start),
            "last_seen_at": iso(run_start + timedelta(minutes=rng.randint(1, 600))),
            "seen_count": rng.randint(1, 4), "last_run_id": run_id})
    # dedupe_key is unique (any case): a discovered title may not repeat a fetched page's
    taken = {page.title.lower() for page in pages}
    for _ in range(40 * scale):  # discovered but not yet fetched, or deliberately skipped
        status = rng.weighted({"pending": 6, "in_progress": 1, "skipped": 2, "failed": 1})
        title = _new_title(rng, taken)
        created = as_of - timedelta(hours=rng.uniform(1, 24 * 20))
        t["ingest.work_items"].add(_item_row(
            rng, title, "raw", status, created, created, runs[-1][0], workers, as_of,
            attempt=0 if status == "pending" else 1))
    for run_id, started in runs:
        done, ok, bad, found = stats[run_id]
        finished = started + timedelta(minutes=20 + done // 4)
        status = "completed" if finished < as_of - timedelta(hours=2) else "running"
        t["ingest.ingest_runs"].add({
            "run_id": run_id, "started_at": iso(started),
            "completed_at": iso(finished) if status == "completed" else None, "status": status,
            "items_processed": done, "items_succeeded": ok, "items_failed": bad,
            "items_discovered": found, "config_hash": _sha(f"config:{run_id}"),
            "metadata": jdumps({"source": "wookieepedia", "max_workers": 3})})
        t["ingest.run_metrics"].add({
            "run_id": run_id, "started_at": iso(started),
            "ended_at": iso(finished) if status == "completed" else None, "max_workers": 3,
            "items_processed": done, "items_succeeded": ok, "items_failed": bad,
            "items_discovered": found, "retry_count": bad // 2, "backoff_events": bad // 3,
            "status": status})
    for n, worker in enumerate(workers):
        beat = as_of - timedelta(minutes=[1, 3, 95][n])
        t["ingest.worker_heartbeats"].add({
            "worker_id": worker, "hostname": f"ingest-host-{n + 1}", "pid": 4100 + n * 17,
            "started_at": iso(beat - timedelta(hours=6)), "last_heartbeat_at": iso(beat),
            "items_processed": 120 + n * 31, "items_succeeded": 115 + n * 29,
            "items_failed": 5 + n * 2, "status": "active" if n < 2 else "stale",
            "current_work_item_id": None})
    return t


def _new_title(rng: Rand, taken: set[str]) -> str:
    """A discovered page title not used before; redrawn only on a clash, so streams stay put."""
    while True:
        title = f"{rng.word(2)} ({rng.choice(('episode', 'comic', 'novel', 'card'))})"
        if title.lower() not in taken:
            taken.add(title.lower())
            return title


def _item_row(rng, title, variant, status, created, updated, run_id, workers, as_of, attempt):
    uri = (f"{WIKI}/api.php?action=query&prop=revisions&titles={title.replace(' ', '_')}"
           if variant == "raw" else f"{WIKI}/wiki/{title.replace(' ', '_')}")
    failed = status == "failed"
    running = status == "in_progress"
    return {
        "work_item_id": rng.guid(), "source_system": SOURCE[0], "source_name": SOURCE[1],
        "resource_type": "page", "resource_id": title, "request_uri": uri,
        "request_method": "GET", "request_headers": jdumps({"Accept": "application/json"}),
        "request_body": None, "metadata": jdumps({"discovered_via": "category crawl"}),
        "priority": rng.choice((100, 100, 100, 50, 200)), "status": status, "attempt": attempt,
        "run_id": run_id, "discovered_from": None, "created_at": iso(created),
        "updated_at": iso(updated), "error_message": "HTTP 503 from upstream" if failed else None,
        "dedupe_key": f"{SOURCE[0]}:{SOURCE[1]}:page:{title}:{variant}", "variant": variant,
        "rank": rng.randint(1, 5000), "claimed_by": rng.choice(workers) if running else None,
        "claimed_at": iso(updated) if running else None,
        "lease_expires_at": iso(updated + timedelta(minutes=10)) if running else None,
        "last_error": "HTTP 503 from upstream" if failed else None,
        "next_retry_at": iso(as_of + timedelta(minutes=30)) if failed else None,
        "request_started_at": iso(updated) if attempt else None,
        "request_finished_at": iso(updated + timedelta(seconds=2)) if attempt and not running
        else None,
        "last_heartbeat_at": iso(updated) if running else None,
        "error_type": "HTTPError" if failed else None, "rank_source_artifact_id": None,
    }


def _work_item(rng, t, page, variant, run_id, run_start, workers, stats, as_of):
    fetched = run_start + timedelta(seconds=rng.randint(5, 3600))
    code = rng.weighted({200: 94, 404: 2, 429: 2, 500: 2})
    status = "completed" if code == 200 else "failed"
    row = _item_row(rng, page.title, variant, status, page.created, fetched, run_id, workers,
                    as_of, attempt=1 if code == 200 else rng.randint(1, 3))
    if code != 200:
        row["error_message"] = row["last_error"] = f"HTTP {code} fetching page"
    t["ingest.work_items"].add(row)
    if variant == "raw":
        payload = json.dumps({"title": page.title, "revision": {"content": page.lead}},
                             ensure_ascii=False)
        content_type = "application/json"
    else:
        payload = (f'<html><body><div class="mw-parser-output"><p><b>{page.title}</b>: '
                   f"{page.lead}</p></div></body></html>")
        content_type = "text/html"
    if code != 200:
        payload = jdumps({"error": {"code": code}})
    ingest_id = rng.guid()
    stamp = fetched.strftime("%Y%m%d_%H%M%S")
    t["ingest.IngestRecords"].add({
        "ingest_id": ingest_id, "source_system": SOURCE[0], "source_name": SOURCE[1],
        "resource_type": "page", "resource_id": page.title, "request_uri": row["request_uri"],
        "request_method": "GET", "request_headers": row["request_headers"], "status_code": code,
        "response_headers": jdumps({"content-type": content_type}), "payload": payload,
        "fetched_at_utc": iso(fetched), "hash_sha256": _sha(payload), "run_id": run_id,
        "work_item_id": row["work_item_id"], "attempt": max(1, row["attempt"]),
        "error_message": row["error_message"], "duration_ms": rng.randint(80, 2400),
        "variant": variant, "content_type": content_type,
        "content_length": len(payload.encode("utf-8")),
        "file_path": (f"{SOURCE[0]}/{SOURCE[1]}/page/{page.title.replace(' ', '_')}_{variant}_"
                      f"{stamp}_{row['work_item_id'][:8]}_{ingest_id[:8]}.json"),
        "request_timestamp": iso(fetched), "response_timestamp": iso(fetched),
        "request_body": None, "response_body_binary": None,
        "error_type": None if code == 200 else "HTTPError"})
    if (variant == "html" and code == 200) or not page.ingest_id:
        page.ingest_id = ingest_id
    counts = stats[run_id]
    counts[0] += 1
    counts[1 if code == 200 else 2] += 1
    counts[3] += 1 if variant == "raw" else 0


def build_sem(rng: Rand, pages: list[Page], as_of: datetime) -> dict[str, SeedTable]:
    """sem.SourcePage, PageSignals and PageClassification (current rows plus a few superseded)."""
    t = {name: SeedTable(*name.split("."), natural_key=nk) for name, nk in (
        ("sem.SourcePage", ["source_system", "resource_id", "variant"]),
        ("sem.PageSignals", ["source_page_id"]),
        ("sem.PageClassification", ["source_page_id", "is_current"]))}
    for page in pages:
        body = f"'''{page.title}''' {page.lead}"
        content_hash = _sha(body)
        seen = page.created + timedelta(hours=2)
        t["sem.SourcePage"].add({
            "source_page_id": page.page_id, "source_system": SOURCE[0],
            "resource_id": page.title, "variant": "raw", "namespace": page.namespace,
            "continuity_hint": page.continuity, "content_hash_sha256": content_hash,
            "latest_ingest_id": page.ingest_id or None, "source_registry_id": None,
            "created_utc": iso(page.created), "updated_utc": iso(seen), "is_active": True})
        infobox = {"PersonCharacter": "character", "Droid": "droid", "Species": "species",
                   "LocationPlace": "planet", "Organization": "organization",
                   "VehicleCraft": "starship"}.get(page.primary_type)
        lead = page.lead[:1000]
        t["sem.PageSignals"].add({
            "page_signals_id": rng.guid(), "source_page_id": page.page_id,
            "content_hash_sha256": content_hash, "signals_version": 1, "lead_sentence": lead,
            "infobox_type": infobox,
            "categories_json": jdumps([f"{page.continuity.title()} articles"]),
            "is_list_page": page.primary_type == "MetaReference", "is_disambiguation": False,
            "has_timeline_markers": rng.random() < 0.3, "has_infobox": infobox is not None,
            "signals_json": jdumps({"word_count": len(body.split())}),
            "extracted_utc": iso(seen), "extraction_method": "rules",
            "extraction_duration_ms": rng.randint(2, 40), "is_current": True,
            "content_format_detected": "wikitext", "content_start_strategy": "triple_quote",
            "content_start_offset": 0, "lead_excerpt_text": lead, "lead_excerpt_len": len(lead),
            "lead_excerpt_hash": _sha(lead)})
        current_id = rng.guid()
        if rng.random() < 0.08:  # an earlier rules-only guess, superseded by the current one
            t["sem.PageClassification"].add(_classification(
                rng, page, rng.guid(), "Unknown", 0.4, "rules", None, seen, False, current_id))
        method = page.method if page.run_id or page.method != "llm" else "rules"
        t["sem.PageClassification"].add(_classification(
            rng, page, current_id, page.primary_type, page.confidence, method, page.run_id,
            seen + timedelta(hours=1), True, None))
    return t


def _classification(rng, page, row_id, primary, confidence, method, run_id, created, current,
                    superseded_by):
    medium = {"WorkMedia": "reference", "MetaReference": "reference"}.get(primary, None)
    return {
        "page_classification_id": row_id, "source_page_id": page.page_id,
        "taxonomy_version": "v1", "primary_type": primary,
        "type_set_json": jdumps({primary: confidence}), "confidence_score": confidence,
        "method": method, "model_name": "llama3.2" if method in ("llm", "hybrid") else None,
        "prompt_version": "v1" if method in ("llm", "hybrid") else None, "run_id": run_id,
        "evidence_json": json.dumps({"lead_sentence": page.lead[:200]}, ensure_ascii=False),
        "rationale": f"Lead sentence and infobox suggest {primary}.",
        "needs_review": page.needs_review if current else False,
        "review_notes": "Low confidence; check manually." if page.needs_review else None,
        "suggested_tags_json": jdumps([page.continuity]), "created_utc": iso(created),
        "is_current": current, "superseded_by_id": superseded_by,
        "descriptor_sentence": page.lead[:400], "work_medium": medium,
        "canon_context": page.continuity if page.continuity in ("canon", "legends") else "unknown",
    }
