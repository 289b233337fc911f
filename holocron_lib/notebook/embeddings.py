"""Text embeddings: a real Ollama client, and a deterministic local fallback.

The embedding runbook asks the configured Ollama server (`POST /api/embed`, or the older
`POST /api/embeddings`) when it answers. When it does not — no GPU, no network, the book
build — it uses `HashingEmbedder`: a bag-of-words feature-hashing embedding (tokens and
token pairs hashed with BLAKE2 into a fixed number of signed dimensions, L2-normalised).
It knows nothing of meaning, but texts that share words land close together, it is the
same on every machine, and it needs nothing but the standard library.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from holocron_lib.errors import EmbeddingError

TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class HashingEmbedder:
    """Deterministic local embedding; ``name`` is recorded with the vectors it makes."""

    dimensions: int = 256
    name: str = "local-hashing-256"

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> list[float]:
        vec = [0.0] * self.dimensions
        tokens = TOKEN.findall(text.lower())
        features = tokens + [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
        for feature in features:
            digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "little") % self.dimensions
            sign = 1.0 if digest[4] & 1 else -1.0
            vec[index] += sign
        norm = math.sqrt(sum(v * v for v in vec))
        return [v / norm for v in vec] if norm else vec


class OllamaEmbedder:
    """Client of an Ollama server's embedding endpoint."""

    def __init__(self, base_url: str, model: str, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.name = f"ollama:{model}"

    def _request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - configured URL
            return json.loads(resp.read().decode("utf-8"))

    def available(self) -> bool:
        """True when the server answers its version endpoint."""
        try:
            return "version" in self._request("GET", "/api/version")
        except (OSError, ValueError, urllib.error.URLError):
            return False

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        try:
            try:
                answer = self._request("POST", "/api/embed", {"model": self.model, "input": list(texts)})
                vectors = answer.get("embeddings")
            except urllib.error.HTTPError as err:
                if err.code != 404:
                    raise
                # older servers only have /api/embeddings, one prompt per request
                vectors = [self._request("POST", "/api/embeddings",
                                         {"model": self.model, "prompt": t}).get("embedding")
                           for t in texts]
        except urllib.error.HTTPError as err:
            raise EmbeddingError(self.base_url, f"HTTP {err.code} for model {self.model!r}") from None
        except (OSError, ValueError) as err:
            raise EmbeddingError(self.base_url, f"no usable answer ({type(err).__name__})") from None
        if not isinstance(vectors, list) or len(vectors) != len(texts) or not all(vectors):
            raise EmbeddingError(self.base_url, "answer did not hold one embedding per input")
        return [[float(x) for x in v] for v in vectors]


def choose_embedder(settings=None, prefer_local: bool = False):
    """Ollama when configured and answering, otherwise the local fallback; says which."""
    from holocron_lib.settings import load_settings

    settings = settings or load_settings()
    if not prefer_local:
        client = OllamaEmbedder(settings.url("OLLAMA_BASE_URL"), settings.get("OLLAMA_EMBED_MODEL"),
                                timeout=3.0)
        if client.available():
            return client
    return HashingEmbedder()


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def most_similar(query: Sequence[float], vectors: Sequence[Sequence[float]], k: int = 5):
    """Indexes and scores of the ``k`` vectors closest to ``query``, best first."""
    scored = sorted(((cosine(query, v), i) for i, v in enumerate(vectors)), key=lambda s: (-s[0], s[1]))
    return [(i, round(score, 6)) for score, i in scored[:k]]
