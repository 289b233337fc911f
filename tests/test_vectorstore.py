"""Embedding a slice into the vector schema: dry run, confirmed run, idempotency, similarity."""

import pandas as pd
import pytest
from seeded_db import fresh_db_fixture

from holocron_lib.notebook import vectorstore
from holocron_lib.notebook.embeddings import HashingEmbedder

db = fresh_db_fixture()


def test_the_slice_is_bounded_ordered_and_hashed(db):
    texts = vectorstore.select_slice(db, "Character", limit=6)
    assert len(texts) == 6 and texts["EntityKey"].is_monotonic_increasing
    assert texts["chunk_id"].str.len().eq(64).all() and texts["chunk_id"].is_unique


def test_a_dry_run_embeds_but_stores_nothing(db):
    before = vectorstore.vector_counts(db)
    run = vectorstore.embed_slice(db, vectorstore.select_slice(db, limit=5), HashingEmbedder())
    assert len(run.vectors) == 5 and len(run.vectors[0]) == 256 and run.new_embeddings == 5
    pd.testing.assert_frame_equal(before, vectorstore.vector_counts(db))


def test_a_confirmed_run_stores_once(db):
    texts = vectorstore.select_slice(db, "Location", limit=4)
    before = vectorstore.vector_counts(db).set_index("table_name")["row_count"]
    run = vectorstore.embed_slice(db, texts, HashingEmbedder(), confirm=True)
    after = vectorstore.vector_counts(db).set_index("table_name")["row_count"]
    delta = (after - before).to_dict()
    assert delta == {"vector.embedding_space": 1, "vector.job": 1, "vector.run": 1,
                     "vector.chunk": 4, "vector.embedding": 4}
    stored = db.query("SELECT vector_json FROM vector.embedding WHERE run_id = ? ORDER BY chunk_id", [run.run_id])
    assert len(stored) == 4
    again = vectorstore.embed_slice(db, texts, HashingEmbedder(), confirm=True)
    assert (again.new_embeddings, again.existing_embeddings) == (0, 4)
    assert vectorstore.vector_counts(db).set_index("table_name")["row_count"].equals(after)


def test_the_space_records_the_embedder(db):
    texts = vectorstore.select_slice(db, limit=2)
    run = vectorstore.embed_slice(db, texts, HashingEmbedder(dimensions=64, name="local-hashing-64"),
                                  confirm=True)
    space = db.query("SELECT provider, model_name, dimensions FROM vector.embedding_space "
                     "WHERE embedding_space_id = ?", [run.space_id])
    assert space.iloc[0].tolist() == ["local", "local-hashing-64", 64]


def test_similarity_puts_the_text_itself_first():
    texts = pd.DataFrame({"DisplayName": ["a", "b", "c"],
                          "text": ["red star destroyer", "red star cruiser", "green moon"]})
    vectors = HashingEmbedder().embed(list(texts["text"]))
    hits = vectorstore.similarity_check(texts, vectors, k=3)
    assert list(hits["DisplayName"]) == ["a", "b", "c"]
    assert hits.iloc[0]["cosine"] == pytest.approx(1.0)


def test_an_empty_slice_writes_nothing_and_says_so(db):
    """A database with no entity of the type (or none at all): the runbook finishes cleanly."""
    texts = vectorstore.select_slice(db, "NoSuchEntityType", limit=5)
    assert texts.empty
    before = vectorstore.vector_counts(db)
    run = vectorstore.embed_slice(db, texts, HashingEmbedder(), confirm=True)
    assert (run.vectors, run.new_embeddings, run.committed) == ([], 0, False)
    assert "nothing to embed and nothing was written" in run.summary()
    pd.testing.assert_frame_equal(before, vectorstore.vector_counts(db))
    hits = vectorstore.similarity_check(texts, run.vectors)
    assert hits.empty and list(hits.columns) == ["rank", "DisplayName", "cosine"]
    assert vectorstore.similarity_title(texts) == "Nearest texts: none (the slice is empty)"


def test_a_run_summary_names_its_figures(db):
    texts = vectorstore.select_slice(db, limit=3)
    run = vectorstore.embed_slice(db, texts, HashingEmbedder())
    assert run.summary() == ("3 vectors of 256 dimensions; new embeddings: 3, already stored: 0; "
                             "rolled back (dry run)")
    assert vectorstore.similarity_title(texts) == f"Nearest to {texts.iloc[0]['DisplayName']!r}"
