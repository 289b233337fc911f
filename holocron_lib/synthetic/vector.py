"""A small embedding/retrieval history: spaces, sources, chunks, vectors, a retrieval with hits."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from holocron_lib.synthetic.base import Rand, SeedTable, iso, jdumps
from holocron_lib.synthetic.lakedocs import sha
from holocron_lib.synthetic.staging import Page

DIMENSIONS = 8


def _vector(rng: Rand) -> list[float]:
    raw = [rng.gauss(0, 1) for _ in range(DIMENSIONS)]
    norm = math.sqrt(sum(v * v for v in raw)) or 1.0
    return [round(v / norm, 6) for v in raw]


def build_vector(rng: Rand, scale: int, pages: list[Page], as_of: datetime
                 ) -> dict[str, SeedTable]:
    t = {name: SeedTable(*name.split("."), natural_key=nk) for name, nk in (
        ("vector.embedding_space", ["embedding_space_id"]), ("vector.source_registry",
                                                             ["source_id"]),
        ("vector.chunk", ["chunk_id"]), ("vector.job", ["job_id"]), ("vector.run", ["run_id"]),
        ("vector.embedding", ["embedding_id"]), ("vector.retrieval", ["retrieval_id"]),
        ("vector.retrieval_hit", ["retrieval_id", "rank"]))}
    start = as_of - timedelta(days=9)
    spaces = []
    for model, tag, active in (("nomic-embed-text", "v1.5", True), ("mxbai-embed-large", "v1",
                                                                      False)):
        space = rng.guid()
        spaces.append(space)
        t["vector.embedding_space"].add({
            "embedding_space_id": space, "provider": "ollama", "model_name": model,
            "model_tag": tag, "model_digest": sha(model)[:12], "dimensions": DIMENSIONS,
            "normalize_flag": True, "distance_metric": "cosine",
            "preprocess_policy_json": jdumps({"lowercase": False, "strip_markup": True}),
            "transform_ref": None, "description": f"{model} vectors reduced for the sample",
            "is_active": active, "created_utc": iso(start)})
    jobs = []
    for n, job_type in enumerate(("CHUNK_SOURCE", "EMBED_CHUNKS", "RETRIEVE_TEST")):
        job_id, run_id = rng.guid(), rng.guid()
        began = start + timedelta(hours=n * 2)
        jobs.append(run_id)
        t["vector.job"].add({
            "job_id": job_id, "created_utc": iso(began), "status": "SUCCEEDED", "priority": 100,
            "job_type": job_type, "input_json": jdumps({"sources": 10 * scale}),
            "embedding_space_id": spaces[0], "max_attempts": 3, "attempt_count": 1,
            "available_utc": iso(began), "locked_by": None, "locked_utc": None,
            "last_error": None})
        t["vector.run"].add({
            "run_id": run_id, "job_id": job_id, "started_utc": iso(began),
            "completed_utc": iso(began + timedelta(minutes=3)), "status": "SUCCEEDED",
            "worker_id": "vector-worker-1", "embedding_space_id": spaces[0],
            "endpoint_url": "http://ollama:11434", "model_name": "nomic-embed-text",
            "model_tag": "v1.5", "model_digest": sha("nomic-embed-text")[:12],
            "options_json": None, "metrics_json": jdumps({"chunks": 30 * scale}),
            "error": None})
    chunks = []
    policy = jdumps({"chunk_size": 400, "chunk_overlap": 40})
    for page in rng.sample(pages, min(len(pages), 10 * scale)):
        source_id = f"lake_text:{page.page_id}"
        pieces = [page.title, page.lead, f"{page.title} ({page.primary_type})"]
        t["vector.source_registry"].add({
            "source_id": source_id, "source_type": "lake_text",
            "source_ref_json": jdumps({"source_page_id": page.page_id}),
            "content_sha256": sha(" ".join(pieces)), "last_indexed_utc": iso(start),
            "chunk_count": len(pieces), "tags_json": jdumps([page.primary_type]),
            "status": "indexed", "created_utc": iso(start), "updated_utc": iso(start)})
        offset = 0
        for text in pieces:
            chunk_id = sha(f"{source_id}:{offset}:{text}")
            size = len(text.encode("utf-8"))
            t["vector.chunk"].add({
                "chunk_id": chunk_id, "source_id": source_id, "source_type": "lake_text",
                "source_ref_json": jdumps({"source_page_id": page.page_id}),
                "offsets_json": jdumps({"start": offset, "end": offset + size}),
                "content": text, "content_sha256": sha(text), "byte_count": size,
                "policy_json": policy, "created_utc": iso(start)})
            offset += size
            chunks.append((chunk_id, sha(text)))
    for n, (chunk_id, digest) in enumerate(chunks):
        for s, space in enumerate(spaces):
            if s and n % 2:
                continue  # the second space was only half re-embedded before it was retired
            vector = jdumps(_vector(rng))
            t["vector.embedding"].add({
                "embedding_id": rng.guid(), "chunk_id": chunk_id, "embedding_space_id": space,
                "input_content_sha256": digest, "run_id": jobs[1] if s == 0 else None,
                "vector_json": vector, "vector_sha256": sha(vector), "created_utc": iso(start)})
    for query in ("Who flew in the Yavin assault?", "Imperial research facilities",
                  "droids with restraining bolts")[: 1 + min(scale, 2)]:
        retrieval = rng.guid()
        t["vector.retrieval"].add({
            "retrieval_id": retrieval, "run_id": jobs[2], "embedding_space_id": spaces[0],
            "query_text": query, "query_embedding_json": jdumps(_vector(rng)), "top_k": 5,
            "filters_json": None, "policy_json": jdumps({"min_score": 0.2}),
            "created_utc": iso(start + timedelta(hours=5))})
        for rank, (chunk_id, _) in enumerate(rng.sample(chunks, min(5, len(chunks))), start=1):
            t["vector.retrieval_hit"].add({
                "retrieval_id": retrieval, "rank": rank, "chunk_id": chunk_id,
                "score": round(0.9 - rank * 0.07 + rng.uniform(-0.02, 0.02), 4),
                "metadata_json": None})
    return t
