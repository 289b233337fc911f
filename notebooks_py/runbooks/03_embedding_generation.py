# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Embedding generation for a small slice
#
# | | |
# |---|---|
# | **Category** | Runbook |
# | **Prerequisites** | {doc}`01_verify_local_stack`; Ollama with an embedding model is optional |
# | **Last verified** | 2026-11-25 |
#
# Embeds a small, bounded slice of entity summaries, stores the vectors in the `vector`
# schema (an embedding space, a job and its run, one chunk and one embedding per text) and
# checks that similar texts come out close together.
#
# **Which embedder.** When the configured Ollama server (`OLLAMA_BASE_URL`) answers, its
# embedding endpoint (`/api/embed`) is used with `OLLAMA_EMBED_MODEL`. Otherwise — no GPU,
# no network, the book build — a documented local fallback is used: feature hashing of the
# words and word pairs of each text into 256 signed dimensions, normalised. It knows no
# meaning, but texts sharing words land close together and it gives the same vectors on
# every machine. The embedding space records which one made the vectors, so the two never mix.
#
# **Safe by default.** With `CONFIRM = False` everything is written inside a transaction
# that is rolled back. Ids are derived from the texts and the model, so confirming the
# same slice twice stores it once.

# %% tags=["parameters"]
ENTITY_TYPE: str = "Character"  # which entities' summaries to embed [allowed: Character|Droid|Species|Location|Organization|TechInstance]
SLICE_SIZE: int = 12  # how many texts to embed [min: 2] [max: 100]
USE_OLLAMA: bool = True  # try the configured Ollama first; False always uses the local fallback
TOP_K: int = 5  # neighbours to show in the similarity check [min: 2] [max: 20]
CONFIRM: bool = False  # True stores the vectors; False rolls back (dry run) [writes]

# %%
from holocron_lib import connect, record, show
from holocron_lib.notebook import vectorstore
from holocron_lib.notebook.display import chart
from holocron_lib.notebook.embeddings import choose_embedder

db = connect()
embedder = choose_embedder(prefer_local=not USE_OLLAMA)
print(f"embedder: {embedder.name}")

# %% [markdown]
# ## Before: the vector tables

# %%
before = vectorstore.vector_counts(db)
show(before, title="Rows per vector table, before")

# %% [markdown]
# ## The slice
#
# Summaries only (a name and a one-line description): never source text.

# %%
texts = vectorstore.select_slice(db, ENTITY_TYPE, limit=SLICE_SIZE)
show(texts[["EntityKey", "DisplayName", "text"]], title=f"{len(texts)} texts to embed", max_rows=SLICE_SIZE)

# %% [markdown]
# ## Embed and store
#
# The embedder, the texts embedded and the new embeddings are recorded (`record()`) with a
# recorded run, for comparing runs.

# %%
run = vectorstore.embed_slice(db, texts, embedder, confirm=CONFIRM)
print(run.summary())
record("embedder", embedder.name)
record("texts_embedded", len(run.vectors))
record("new_embeddings", run.new_embeddings)
after = vectorstore.vector_counts(db)
counts = before.merge(after, on="table_name", suffixes=("_before", "_after"))
show(counts, title="Rows per vector table, before and after")

# %% [markdown]
# ## Similarity check
#
# The texts closest to the first one, by cosine similarity. The first hit is the text
# itself (1.0). With the local fallback, closeness means shared words.

# %%
hits = vectorstore.similarity_check(texts, run.vectors, query_index=0, k=TOP_K)
show(hits, title=vectorstore.similarity_title(texts))
chart(hits, x="DisplayName", y="cosine", kind="barh",
      title="Cosine similarity to the first text")

# %%
db.close()
