"""Store embeddings of a small slice of entity summaries in the `vector` schema, idempotently.

Ids are derived from content (chunk id = SHA-256 of the text, embedding space from the
model, job and run from the slice), and an embedding already stored for the same chunk,
space and input hash is left alone, so embedding the same slice twice writes nothing new.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from holocron_lib.notebook.embeddings import most_similar

NAMESPACE = uuid.UUID("0b9e3a52-51c4-4d8e-9d0f-3c2f7e6a8b21")
SOURCE_TYPE = "sql_entity_summary"
VECTOR_TABLES = ("vector.embedding_space", "vector.job", "vector.run", "vector.chunk", "vector.embedding")


@dataclass(frozen=True)
class EmbeddingRun:
    space_id: str
    run_id: str
    chunks: object  # DataFrame: chunk_id, EntityKey, DisplayName, text
    new_embeddings: int
    existing_embeddings: int
    committed: bool
    vectors: list  # the vectors of the slice, in chunk order

    def summary(self) -> str:
        """One line for the runbook: what was embedded and kept, or why nothing was."""
        if not self.vectors:
            return ("The slice is empty (no active entity of this type has a summary), so there "
                    "is nothing to embed and nothing was written.")
        return (f"{len(self.vectors)} vectors of {len(self.vectors[0])} dimensions; "
                f"new embeddings: {self.new_embeddings}, already stored: "
                f"{self.existing_embeddings}; "
                f"{'committed' if self.committed else 'rolled back (dry run)'}")


def select_slice(db, entity_type: str = "Character", limit: int = 12):
    """Entities of a type that have a summary, first ``limit`` by key: the texts to embed."""
    frame = db.query(
        f"""
        SELECT TOP ({int(limit)}) EntityKey, DisplayName, EntityType, SummaryShort
        FROM dbo.DimEntity
        WHERE IsActive = 1 AND IsLatest = 1 AND EntityType = ? AND SummaryShort IS NOT NULL
        ORDER BY EntityKey
        """,
        [entity_type],
    )
    frame["text"] = frame["DisplayName"].astype(str) + ". " + frame["SummaryShort"].astype(str)
    frame["chunk_id"] = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in frame["text"]]
    return frame


def space_id_for(provider: str, model: str, dimensions: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"space|{provider}|{model}|{int(dimensions)}")).upper()


def embed_slice(db, texts, embedder, *, confirm: bool = False, now: datetime | None = None) -> EmbeddingRun:
    """Embed the slice and store chunks, space, job, run and embeddings; roll back unless ``confirm``."""
    if texts.empty:  # nothing to embed: no job, no run, no space written for an empty slice
        return EmbeddingRun("", "", texts[["chunk_id", "EntityKey", "DisplayName", "text"]],
                            0, 0, False, [])
    vectors = embedder.embed(list(texts["text"]))
    dims = len(vectors[0]) if vectors else 0
    provider = "ollama" if str(getattr(embedder, "name", "")).startswith("ollama:") else "local"
    model = getattr(embedder, "model", None) or getattr(embedder, "name", "unknown")
    space_id = space_id_for(provider, model, dims)
    slice_key = ",".join(texts["chunk_id"])
    job_id = str(uuid.uuid5(NAMESPACE, f"job|{space_id}|{slice_key}")).upper()
    run_id = str(uuid.uuid5(NAMESPACE, f"run|{job_id}")).upper()
    now = (now or datetime.now(UTC)).replace(tzinfo=None)
    new = existing = 0
    with db.dry_run(confirm) as tx:
        if not tx.scalar("SELECT COUNT(*) FROM vector.embedding_space WHERE embedding_space_id = ?", [space_id]):
            tx.execute(
                "INSERT INTO vector.embedding_space (embedding_space_id, provider, model_name, dimensions, "
                "normalize_flag, distance_metric, description, is_active, created_utc) "
                "VALUES (?, ?, ?, ?, 1, 'cosine', ?, 1, ?)",
                [space_id, provider, model, dims, "embeddings made by the embedding runbook", now],
            )
        if not tx.scalar("SELECT COUNT(*) FROM vector.job WHERE job_id = ?", [job_id]):
            tx.execute(
                "INSERT INTO vector.job (job_id, created_utc, status, priority, job_type, input_json, "
                "embedding_space_id, max_attempts, attempt_count, available_utc) "
                "VALUES (?, ?, 'SUCCEEDED', 100, 'EMBED_CHUNKS', ?, ?, 1, 1, ?)",
                [job_id, now, json.dumps({"chunk_ids": list(texts["chunk_id"])}), space_id, now],
            )
            tx.execute(
                "INSERT INTO vector.run (run_id, job_id, started_utc, completed_utc, status, worker_id, "
                "embedding_space_id, model_name, metrics_json) VALUES (?, ?, ?, ?, 'SUCCEEDED', ?, ?, ?, ?)",
                [run_id, job_id, now, now, "embedding-runbook", space_id, model,
                 json.dumps({"chunks": len(texts), "dimensions": dims})],
            )
        for row, vector in zip(texts.to_dict("records"), vectors, strict=True):
            if _store(tx, row, vector, space_id, run_id, now):
                new += 1
            else:
                existing += 1
    return EmbeddingRun(space_id, run_id, texts[["chunk_id", "EntityKey", "DisplayName", "text"]],
                        new, existing, tx.keeps_writes, vectors)


def _store(tx, row: dict, vector: list[float], space_id: str, run_id: str, now: datetime) -> bool:
    """Insert the chunk (when new) and its embedding (when new); True if an embedding was added."""
    text = row["text"]
    digest = row["chunk_id"]
    if not tx.scalar("SELECT COUNT(*) FROM vector.chunk WHERE chunk_id = ?", [digest]):
        tx.execute(
            "INSERT INTO vector.chunk (chunk_id, source_type, source_ref_json, offsets_json, content, "
            "content_sha256, byte_count, policy_json, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [digest, SOURCE_TYPE, json.dumps({"table": "dbo.DimEntity", "EntityKey": int(row["EntityKey"])}),
             json.dumps({"start": 0, "end": len(text)}), text, digest, len(text.encode("utf-8")),
             json.dumps({"chunker": "whole_summary"}), now],
        )
    if tx.scalar("SELECT COUNT(*) FROM vector.embedding WHERE chunk_id = ? AND embedding_space_id = ? "
                 "AND input_content_sha256 = ?", [digest, space_id, digest]):
        return False
    vector_json = json.dumps([round(v, 7) for v in vector])
    embedding_id = str(uuid.uuid5(NAMESPACE, f"embedding|{space_id}|{digest}")).upper()
    tx.execute(
        "INSERT INTO vector.embedding (embedding_id, chunk_id, embedding_space_id, input_content_sha256, "
        "run_id, vector_json, vector_sha256, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [embedding_id, digest, space_id, digest, run_id, vector_json,
         hashlib.sha256(vector_json.encode()).hexdigest(), now],
    )
    return True


def vector_counts(db):
    """Rows per vector table, and embeddings per space: the storage picture."""
    parts = " UNION ALL ".join(f"SELECT '{t}' AS table_name, COUNT(*) AS row_count FROM {t}"
                               for t in VECTOR_TABLES)
    return db.query(parts)


def similarity_title(texts, query_index: int = 0) -> str:
    """The similarity table's title: the text it is measured from, if the slice has one."""
    if texts.empty:
        return "Nearest texts: none (the slice is empty)"
    return f"Nearest to {texts.iloc[query_index]['DisplayName']!r}"


def similarity_check(texts, vectors, query_index: int = 0, k: int = 5):
    """The ``k`` texts closest to one of them (itself first, score 1.0), as a table."""
    import pandas as pd

    if not vectors:
        return pd.DataFrame(columns=["rank", "DisplayName", "cosine"])
    hits = most_similar(vectors[query_index], vectors, k=k)
    rows = [{"rank": n + 1, "DisplayName": texts.iloc[i]["DisplayName"], "cosine": score}
            for n, (i, score) in enumerate(hits)]
    return pd.DataFrame(rows)
