"""The API fuzzed from its own OpenAPI schema on loopback: no answer is a server error, every
error has the one shape, and every answer conforms to the schema.

Bounded: EXAMPLES cases per operation and BUDGET_SECONDS in all (cases past the budget are
generated but not sent); the figures are printed.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from runservice_fixtures import NOTEBOOKS, LiveServer, auth

from holocron_lib.service.api import create_app

EXAMPLES = 50
BUDGET_SECONDS = 150

pytestmark = pytest.mark.slow


def _error_shape(response) -> None:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"status", "code", "message", "details"}, body
    assert body["error"]["status"] == response.status_code


def _fuzz(operation, mode, label: str, base_url: str, sent: dict, statuses: dict,
          started: float):
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        response_schema_conformance,
        status_code_conformance,
    )

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        if time.monotonic() - started > BUDGET_SECONDS:
            return
        headers = dict(case.headers or {})
        headers["Authorization"] = auth("ada")["Authorization"]  # reach past the token check
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        sent[label] += 1
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500 or response.status_code == 503, (
            label, response.status_code, response.text[:300])
        checks = [not_a_server_error]
        if mode.is_positive:  # a request outside the schema may get any documented 4xx
            checks += [status_code_conformance, response_schema_conformance]
        case.validate_response(response, checks=checks)
        if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
            _error_shape(response)

    return check


def test_fuzz_every_operation_from_the_openapi_schema(run_settings, tmp_path):
    import schemathesis
    from schemathesis import GenerationMode

    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "no_parameters.py").write_text((NOTEBOOKS / "no_parameters.py").read_text())
    app = create_app(run_settings, notebooks_root=registry, workers=1)
    sent: dict[str, int] = {}
    statuses: dict[int, int] = {}
    started = time.monotonic()
    with LiveServer(app) as server:
        schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                label = f"{operation.method.upper()} {operation.path} ({mode.value})"
                sent[label] = 0
                try:
                    _fuzz(operation, mode, label, server.url, sent, statuses, started)()
                except Unsatisfiable:  # nothing to get wrong (GET /health has no input)
                    assert not mode.is_positive and sent.pop(label) == 0
    seconds = time.monotonic() - started
    total = sum(sent.values())
    print(f"\nfuzzed {len(sent)} operations with {total} requests in {seconds:.1f} s: "
          + ", ".join(f"{k} {v}" for k, v in sent.items())
          + "; statuses " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    operations = [f"{method.upper()} {path}" for path, item in app.openapi()["paths"].items()
                  for method in item]
    assert sorted(k[: -len(" (positive)")] for k in sent if "(positive)" in k) == sorted(operations)
    assert total >= len(operations)
    assert statuses.get(422, 0) > 0 and statuses.get(200, 0) > 0  # both sides were reached
