"""The LLM pipeline's history: jobs in every state, their runs, artifacts, evidence and lake files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from holocron_lib.synthetic.base import Rand, SeedTable, iso, iso_ms, jdumps, quota
from holocron_lib.synthetic.entity_hub import Cast
from holocron_lib.synthetic.lakedocs import (
    bundle_document,
    dumps,
    evidence_items,
    prompt_text,
    request_document,
    response_document,
    sha,
)
from holocron_lib.synthetic.staging import Page

STATUSES = {"SUCCEEDED": 338, "NEW": 40, "RUNNING": 12, "FAILED": 10, "DEADLETTER": 20}
KEYS = {"page_classification_v1": 40, "sw_entity_facts_v1": 20, "entity_extraction_droid_v1": 8,
        "entity_extraction_generic_v1": 12, "relationship_extraction_v1": 20}
AGE_BANDS_HOURS = ((0.1, 0.9), (1.2, 3.8), (4.5, 23.0), (26.0, 240.0))  # <1h, 1-4h, 4-24h, >1d
ERRORS = ("Model output was not valid JSON", "Timed out after 120 s waiting for the model",
          "Connection refused by the model server", "Output failed schema validation",
          "Prompt exceeded the context window (8192 tokens)")
MODELS = {"llama3.2": 85, "deepseek-r1:8b": 10, "qwen2.5:7b": 5}
RELATION_TYPES = ("ally_of", "enemy_of", "member_of", "trained_by", "serves", "pilots",
                  "commands", "rival_of", "located_in", "owns")
SQL_FIRST_DAYS = 21  # runs newer than this store artifact text in SQL (migration 0035)
# Jobs and runs newer than this carry the lineage columns of migration 0033 (input bundle,
# registered artifacts); older runs left only their run and evidence rows.
LINEAGE_DAYS = 28
LAKE_MIRROR_SHARE = 0.3  # after 0035 the lake is optional; most runs stay SQL-only


@dataclass
class Pipeline:
    tables: dict[str, SeedTable]
    lake_files: list[tuple[str, str]] = field(default_factory=list)
    bundles: list[str] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    adjudications: dict[int, tuple[str, datetime]] = field(default_factory=dict)


def _priority(rng: Rand) -> int:
    band = rng.weighted({"urgent": 5, "normal": 70, "backfill": 15, "low": 10})
    return {"urgent": rng.randint(200, 260), "normal": rng.choice((100, 100, 120, 150)),
            "backfill": rng.randint(50, 99), "low": rng.randint(0, 49)}[band]


def _attempts(rng: Rand, status: str) -> int:
    if status == "SUCCEEDED":
        return rng.weighted({1: 85, 2: 12, 3: 3})
    if status == "NEW":
        return rng.weighted({0: 70, 1: 20, 2: 10})
    if status == "DEADLETTER":
        return 3
    return rng.weighted({1: 75, 2: 25})


class _Builder:
    def __init__(self, rng: Rand, cast: Cast, pages: list[Page], as_of: datetime):
        self.rng, self.cast, self.pages, self.as_of = rng, cast, pages, as_of
        self.t = {name: SeedTable(*name.split("."), natural_key=nk) for name, nk in (
            ("llm.evidence_bundle", ["bundle_id"]), ("llm.job", ["job_id"]),
            ("llm.run", ["run_id"]), ("llm.artifact", ["artifact_id"]),
            ("llm.run_evidence", ["run_id", "bundle_id"]),
            ("llm.evidence_item", ["bundle_id", "evidence_id"]))}
        self.out = Pipeline(self.t)
        self.classified: dict[str, datetime] = {}
        entity_pages = [p for p in pages if p.entity_key]
        self.page_of_entity = {p.entity_key: p for p in entity_pages}
        self.page_queue = sorted(pages, key=lambda p: p.method not in ("llm", "hybrid"))
        self.entity_queue = [p.entity_key for p in entity_pages]
        rng.shuffle(self.entity_queue)
        self.character_pages = [p for p in entity_pages
                                if cast.entity(p.entity_key)["EntityType"] == "Character"]
        self.droid_pages = [p for p in pages if p.primary_type == "Droid"] or entity_pages

    def subject(self, key: str, n: int) -> tuple[Page | None, int | None, str | None]:
        """The page and/or entity a job is about, and its dedupe key (unique per job type)."""
        rng = self.rng
        if key == "page_classification_v1":
            page = self.page_queue[n % len(self.page_queue)]
            dedupe = f"page:{page.page_id}" if n < len(self.page_queue) and n % 3 else None
            return page, page.entity_key, dedupe
        if key == "sw_entity_facts_v1":
            entity = self.entity_queue[n % len(self.entity_queue)]
            dedupe = f"entity_classify:{entity}" if n < len(self.entity_queue) and n % 4 else None
            page = self.page_of_entity.get(entity)
            return page, entity, dedupe
        pool = {"entity_extraction_droid_v1": self.droid_pages,
                "relationship_extraction_v1": self.character_pages}.get(key, self.pages)
        page = rng.choice(pool)
        return page, page.entity_key, None

    def created(self, status: str, n: int) -> datetime:
        if status in ("NEW", "RUNNING"):
            low, high = AGE_BANDS_HOURS[n % 4]
            return self.as_of - timedelta(hours=self.rng.uniform(low, high))
        return self.as_of - timedelta(days=42 * self.rng.random() ** 1.3 + 0.1)

    def build(self, scale: int) -> Pipeline:
        rng = self.rng
        statuses = quota(STATUSES, 420 * scale, rng)
        keys = quota(KEYS, len(statuses), rng)
        per_key: dict[str, int] = {}
        per_status: dict[str, int] = {}
        for status, key in zip(statuses, keys, strict=True):
            n = per_key[key] = per_key.get(key, -1) + 1
            m = per_status[status] = per_status.get(status, -1) + 1
            self.job(status, key, n, self.created(status, m))
        for page in self.pages:  # the newest successful classification run wins
            page.run_id = page.run_id if page.method in ("llm", "hybrid") else None
        return self.out

    def job(self, status: str, key: str, n: int, created: datetime) -> None:
        rng = self.rng
        page, entity, dedupe = self.subject(key, n)
        subject = self.cast.entity(entity)["DisplayName"] if entity else page.title
        attempts = _attempts(rng, status)
        job_id = rng.guid()
        model = rng.weighted(MODELS)
        span = (self.as_of - created).total_seconds()
        clock = created + timedelta(seconds=min(span * 0.2, rng.uniform(5, 900)))
        bundle_id = rng.guid() if attempts else None
        last_error = None
        parent = None
        for attempt in range(attempts):
            final = attempt == attempts - 1
            run_status = ("SUCCEEDED" if final and status == "SUCCEEDED"
                          else "RUNNING" if final and status == "RUNNING" else "FAILED")
            if attempt == 0:
                items = evidence_items(rng, subject, page.lead if page else subject,
                                       page.title if page else None, clock)
                bundle = self.bundle(bundle_id, clock - timedelta(seconds=2), items)
            parent, clock, error = self.run(job_id, key, model, parent, clock, run_status,
                                            subject, page, entity, bundle, items)
            last_error = error or last_error
            clock += timedelta(seconds=60 * (attempt + 1) + rng.uniform(1, 30))
        locked = status == "RUNNING"
        self.t["llm.job"].add({
            "job_id": job_id, "created_utc": iso_ms(created), "status": status,
            "priority": _priority(rng), "interrogation_key": key,
            "input_json": json.dumps({"source_page_id": page.page_id if page else None,
                                      "page_title": page.title if page else None,
                                      "entity_key": entity, "subject": subject},
                                     ensure_ascii=False),
            "evidence_ref_json": jdumps({"bundle_id": bundle_id}) if bundle_id else None,
            "model_hint": model if rng.random() < 0.3 else None, "max_attempts": 3,
            "attempt_count": attempts,
            "available_utc": iso_ms(clock if status == "NEW" and attempts else created),
            "locked_by": self.worker if locked else None,
            "locked_utc": iso_ms(self.last_start) if locked else None,
            "last_error": None if status == "SUCCEEDED" and attempts == 1 else last_error,
            "dedupe_key": dedupe,
            "input_bundle_id": bundle_id if bundle_id and created > self.as_of - timedelta(
                days=LINEAGE_DAYS) else None,
            "prompt_template_ref": f"prompts/{key}.txt", "prompt_template_version": "1.0",
            "contract_version": "v1", "requested_output_types": "parsed_output",
            "job_fingerprint": sha(f"{key}|{subject}|{dedupe}")})

    def bundle(self, bundle_id: str, created: datetime, items: list[dict]) -> dict:
        document = bundle_document(bundle_id, created, items)
        text = dumps(document)
        sql_first = created > self.as_of - timedelta(days=SQL_FIRST_DAYS)
        row = self.t["llm.evidence_bundle"].add({
            "bundle_id": bundle_id, "created_utc": iso_ms(created), "build_version": "2.0",
            "policy_json": jdumps(document["policy"]),
            "summary_json": jdumps(document["summary"]), "lake_uri": None,
            "bundle_sha256": sha(text), "bundle_kind": "llm_input", "created_by": "dispatcher",
            "notes": None, "assembly_artifact_id": None,
            "bundle_json": text if sql_first else None})
        for item in items:
            source_ref = json.dumps(item["source_ref"], ensure_ascii=False)
            self.t["llm.evidence_item"].add({
                "item_id": self.rng.guid(), "bundle_id": bundle_id,
                "evidence_id": item["evidence_id"], "evidence_type": item["evidence_type"],
                "lake_uri": (f"mediawiki/wookieepedia/page/{item['content_sha256'][:16]}.json"
                             if item["evidence_type"] == "lake_http" else None),
                "byte_count": item["byte_count"], "content_sha256": item["content_sha256"],
                "metadata_json": jdumps(item["metadata"]),
                "source_system": item["source_system"], "source_uri": item["source_uri"],
                "source_ref": source_ref[:400], "selector_json": None, "ordinal": item["ordinal"],
                "role": item["role"], "excerpt_hash": sha(item["content"][:200]),
                "created_utc": iso_ms(created), "content": item["content"] if sql_first else None})
        self.out.bundles.append(bundle_id)
        return {"row": self.t["llm.evidence_bundle"].rows[row - 1], "text": text}

    def run(self, job_id, key, model, parent, started, status, subject, page, entity, bundle,
            items):
        rng = self.rng
        run_id = rng.guid()
        self.worker = f"llm-worker-{rng.randint(1, 4)}"
        self.last_start = started
        prompt_tokens, completion_tokens = rng.randint(400, 3000), rng.randint(40, 600)
        seconds = rng.uniform(3, 90)
        finished = started + timedelta(seconds=seconds)
        error = rng.choice(ERRORS) if status == "FAILED" else None
        metrics = {"duration_ms": int(seconds * 1000), "prompt_tokens": prompt_tokens,
                   "completion_tokens": completion_tokens,
                   "total_tokens": prompt_tokens + completion_tokens,
                   "tokens_per_second": round(completion_tokens / seconds, 2)}
        prompt = prompt_text(key, subject, items)
        docs = [("request_json", "request.json", dumps(request_document(model, key, prompt))),
                ("prompt_text", "prompt.txt", prompt),
                ("evidence_bundle", "evidence.json", bundle["text"])]
        answered = status == "SUCCEEDED" or error == ERRORS[0] or error == ERRORS[3]
        if answered and status != "RUNNING":
            output = self.output(key, subject, page, entity, run_id, job_id, bundle, finished,
                                 keep=status == "SUCCEEDED")
            reply = json.dumps(output, ensure_ascii=False) if error != ERRORS[0] else (
                "Here is the answer you asked for.")
            docs.append(("response_json", "response.json",
                         dumps(response_document(model, finished, reply, metrics))))
            if status == "SUCCEEDED":
                docs.append(("parsed_output", "output.json", dumps(output)))
        if started < self.as_of - timedelta(days=LINEAGE_DAYS):
            docs = []
        sql_first = started > self.as_of - timedelta(days=SQL_FIRST_DAYS)
        to_lake = not sql_first or rng.random() < LAKE_MIRROR_SHARE
        folder = f"{started:%Y/%m/%d}/{run_id.upper()}"
        ids = {}
        for n, (artifact_type, name, text) in enumerate(docs):
            artifact_id = ids[artifact_type] = rng.guid()
            lake_uri = f"{folder}/{name}" if to_lake else None
            if lake_uri:
                self.out.lake_files.append((lake_uri, text))
            self.t["llm.artifact"].add({
                "artifact_id": artifact_id, "run_id": run_id, "artifact_type": artifact_type,
                "content_sha256": sha(text), "byte_count": len(text.encode("utf-8")),
                "lake_uri": lake_uri, "created_utc": iso_ms(started + timedelta(milliseconds=n)),
                "content_mime_type": "text/plain" if name.endswith(".txt") else "application/json",
                "schema_version": "1.0", "content": text if sql_first else None,
                "stored_in_sql": sql_first, "mirrored_to_lake": to_lake})
            if artifact_type == "evidence_bundle" and bundle["row"]["assembly_artifact_id"] is None:
                bundle["row"]["assembly_artifact_id"] = artifact_id
                bundle["row"]["lake_uri"] = lake_uri
        self.t["llm.run"].add({
            "run_id": run_id, "job_id": job_id, "started_utc": iso_ms(started),
            "completed_utc": None if status == "RUNNING" else iso_ms(finished), "status": status,
            "worker_id": self.worker, "ollama_base_url": "http://ollama:11434",
            "model_name": model, "model_tag": "latest", "model_digest": sha(model)[:12],
            "options_json": jdumps({"temperature": 0.0, "num_ctx": 8192}),
            "metrics_json": None if status == "RUNNING" else jdumps(metrics), "error": error,
            "request_artifact_id": ids.get("request_json"),
            "response_artifact_id": ids.get("response_json"),
            "output_artifact_id": ids.get("parsed_output"),
            "prompt_rendered_artifact_id": ids.get("prompt_text"),
            "prompt_template_ref": f"prompts/{key}.txt", "prompt_template_version": "1.0",
            "prompt_hash": sha(prompt), "parent_run_id": parent,
            "run_fingerprint": sha(f"{job_id}|{run_id}")})
        self.t["llm.run_evidence"].add({
            "run_id": run_id, "bundle_id": bundle["row"]["bundle_id"],
            "attached_utc": iso_ms(started), "role": "input", "attached_by": self.worker,
            "attached_reason": "job input bundle"})
        if status == "SUCCEEDED" and key == "page_classification_v1" and page:
            if self.classified.get(page.page_id, started) <= started:
                self.classified[page.page_id] = started
                page.run_id = run_id
        if status == "SUCCEEDED" and key == "sw_entity_facts_v1" and entity:
            self.out.adjudications[entity] = (run_id, finished)
        return run_id, finished, error

    def output(self, key, subject, page, entity, run_id, job_id, bundle, finished, keep):
        rng = self.rng
        if key == "page_classification_v1":
            return {"primary_type": page.primary_type, "confidence": page.confidence,
                    "rationale": f"The lead sentence describes a {page.primary_type}."}
        if key == "sw_entity_facts_v1":
            return {"entity": subject, "facts": [
                {"predicate": p, "value": rng.choice(("Rebel Alliance", "Galactic Empire",
                                                      "Tatooine", "Corellia", "Commander")),
                 "confidence": rng.score(0.5, 0.99)} for p in ("faction", "homeworld", "rank")]}
        if key.startswith("entity_extraction"):
            kind = "Droid" if "droid" in key else rng.choice(("Character", "Location"))
            names = rng.sample(self.cast.by_type[kind], 2)
            return {"entities": [{"name": self.cast.entity(k)["DisplayName"], "type": kind,
                                  "confidence": rng.score(0.5, 0.99), "aliases": []}
                                 for k in names]}
        relationships = []
        pool = self.cast.by_type["Character"] + self.cast.organizations
        for _ in range(rng.randint(1, 5)):
            other = rng.choice(pool)
            if other == entity:
                continue
            confidence = rng.score(0.45, 0.99)
            relation = {"from_entity": subject,
                        "to_entity": self.cast.entity(other)["DisplayName"],
                        "relation_type": rng.choice(RELATION_TYPES), "confidence": confidence,
                        "start_date": rng.choice((None, "19 BBY", "0 BBY", "4 ABY")),
                        "end_date": None, "work_context": rng.choice(("ANH", "ESB", None)),
                        "bidirectional": False}
            relationships.append(relation)
            if keep:
                self.relation(relation, entity, other, page, run_id, job_id, bundle, finished)
        return {"relationships": relationships}

    def relation(self, relation, entity, other, page, run_id, job_id, bundle, finished):
        reviewed = self.rng.random() < 0.2
        self.out.relations.append({
            "RelationId": self.rng.guid(), "FromEntityGuid": self.cast.entity(entity)["EntityGuid"],
            "ToEntityGuid": self.cast.entity(other)["EntityGuid"],
            "RelationType": relation["relation_type"], "Confidence": relation["confidence"],
            "StartDate": relation["start_date"], "EndDate": None,
            "WorkContextJson": jdumps({"work": relation["work_context"]}),
            "SourcePageId": page.page_id, "RunId": run_id, "JobId": job_id,
            "CreatedUtc": iso(finished), "ModifiedUtc": None, "IsActive": True,
            "NeedsReview": relation["confidence"] < 0.7 and not reviewed,
            "ReviewedUtc": iso(finished + timedelta(days=1)) if reviewed else None,
            "ReviewedBy": "curator" if reviewed else None,
            "EvidenceBundleGuid": bundle["row"]["bundle_id"]})


def build_pipeline(rng: Rand, scale: int, cast: Cast, pages: list[Page],
                   as_of: datetime) -> Pipeline:
    """llm.* tables, the lake files of every run, and what the pipeline left in dbo."""
    return _Builder(rng, cast, pages, as_of).build(scale)
