"""The Ollama client against a local HTTP server that speaks Ollama's API, and the fallback."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from holocron_lib.errors import EmbeddingError
from holocron_lib.notebook.embeddings import (
    HashingEmbedder,
    OllamaEmbedder,
    choose_embedder,
    cosine,
    most_similar,
)
from holocron_lib.settings import load_settings


def _vector(text: str) -> list[float]:
    return [float(len(text)), float(text.count("a")), 1.0]


class FakeOllama(BaseHTTPRequestHandler):
    """Speaks the parts of Ollama's HTTP API the client uses."""

    legacy_only = False
    requests: list = []

    def log_message(self, *args):
        pass

    def _send(self, code: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/api/version":
            self._send(200, {"version": "0.9.0"})
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append((self.path, body))
        if self.path == "/api/embed" and not self.legacy_only:
            if body.get("model") != "nomic-embed-text":
                self._send(404, {"error": f"model '{body.get('model')}' not found"})
                return
            self._send(200, {"model": body["model"], "embeddings": [_vector(t) for t in body["input"]]})
        elif self.path == "/api/embeddings":
            if body.get("model") != "nomic-embed-text":
                self._send(404, {"error": f"model '{body.get('model')}' not found"})
                return
            self._send(200, {"embedding": _vector(body["prompt"])})
        else:
            self._send(404, {"error": "not found"})


@pytest.fixture
def ollama():
    FakeOllama.requests = []
    FakeOllama.legacy_only = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOllama)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_client_embeds_through_api_embed(ollama):
    client = OllamaEmbedder(ollama, "nomic-embed-text")
    assert client.available()
    vectors = client.embed(["Tatooine", "a Bantha"])
    assert vectors == [_vector("Tatooine"), _vector("a Bantha")]
    assert FakeOllama.requests[0] == ("/api/embed", {"model": "nomic-embed-text", "input": ["Tatooine", "a Bantha"]})


def test_client_falls_back_to_legacy_endpoint(ollama):
    FakeOllama.legacy_only = True
    vectors = OllamaEmbedder(ollama, "nomic-embed-text").embed(["Hoth"])
    assert vectors == [_vector("Hoth")]
    assert [p for p, _ in FakeOllama.requests] == ["/api/embed", "/api/embeddings"]


def test_unknown_model_is_an_error_naming_service_and_model(ollama):
    with pytest.raises(EmbeddingError) as info:
        OllamaEmbedder(ollama, "no-such-model").embed(["x"])
    assert ollama in str(info.value) and "no-such-model" in str(info.value)
    assert [p for p, _ in FakeOllama.requests] == ["/api/embed", "/api/embeddings"]


def test_unreachable_server_is_an_error_when_embedding():
    with pytest.raises(EmbeddingError) as info:
        OllamaEmbedder("http://127.0.0.1:9", "x", timeout=1).embed(["x"])
    assert "127.0.0.1:9" in str(info.value)


def test_unreachable_server_is_not_available():
    assert OllamaEmbedder("http://127.0.0.1:9", "m", timeout=1).available() is False


def test_choose_embedder_uses_ollama_when_it_answers(ollama, clean_env):
    s = load_settings(env={"HOLOCRON_HOME": str(clean_env), "OLLAMA_BASE_URL": ollama})
    assert isinstance(choose_embedder(s), OllamaEmbedder)
    s = load_settings(env={"HOLOCRON_HOME": str(clean_env), "OLLAMA_BASE_URL": "http://127.0.0.1:9"})
    assert isinstance(choose_embedder(s), HashingEmbedder)


def test_hashing_embedder_is_deterministic_normalised_and_meaningful():
    emb = HashingEmbedder(dimensions=128)
    a, b, c = emb.embed(["Luke Skywalker pilots an X-wing",
                         "an X-wing piloted by Luke Skywalker",
                         "Jabba's palace on Tatooine"])
    assert a == emb.embed(["Luke Skywalker pilots an X-wing"])[0]
    assert abs(sum(x * x for x in a) - 1.0) < 1e-9
    assert cosine(a, b) > cosine(a, c)
    assert most_similar(a, [c, b], k=1)[0][0] == 1
    assert emb.embed([""])[0] == [0.0] * 128
