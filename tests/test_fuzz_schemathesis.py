"""Schemathesis: requests generated from the spec, sent to the simulator over loopback, answers checked against the spec.

Two bounded, deterministic runs (the same requests every time): schema-valid requests must get
answers that conform to the spec (status, content type, headers, body schema); schema-invalid
requests must never crash the simulator and must be rejected with a 4XX. One uvicorn server
serves the whole session; each operation gets a fresh simulator (the `alation_server` fixture).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.checks import CheckFunction
from schemathesis.config import SchemathesisConfig

from alation_workflows.testing.pytest_plugin import ServedSimulator

# Slow (generates many requests): .ci/run runs it on the main Python only.
pytestmark = pytest.mark.slow

SPEC = str(Path(__file__).parents[1] / "openapi" / "alation-workflows.yaml")


def _load(mode: str, max_examples: int) -> schemathesis.BaseSchema:
    config = SchemathesisConfig.from_dict(
        {
            # The coverage phase enumerates boundary values per parameter: too many requests for a unit run.
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
            "generation": {"mode": mode, "max-examples": max_examples, "deterministic": True},
        }
    )
    return schemathesis.openapi.from_path(SPEC, config=config)


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx: object, value: object) -> bytes:
    # Alation's bulk-metadata bodies: one JSON object per line.
    items = value if isinstance(value, list) else [value]
    return b"\n".join(json.dumps(item).encode() for item in items)


positive = _load("positive", 3)
negative = _load("negative", 2)

# "The simulator conforms to the spec". Not positive_data_acceptance: schema-valid requests
# may still break rules OpenAPI cannot state (x-exactly-one-of, ids that must exist).
CONFORMANCE: list[CheckFunction] = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
# Never a 5XX, and a request that violates the spec is refused (4XX), not acted on.
REJECTION: list[CheckFunction] = [checks.not_a_server_error, checks.negative_data_rejection]

# Examples of one operation share its simulator (hence the suppressed function-scoped-fixture
# health check); derandomize + no example database: the same requests on every run.
FUZZ: dict[str, Any] = {"deadline": None, "derandomize": True, "database": None, "suppress_health_check": list(HealthCheck)}


def _run(case: schemathesis.Case, server: ServedSimulator, which: list[CheckFunction]) -> None:
    case.call_and_validate(base_url=server.url, headers={"TOKEN": server.token}, timeout=5, checks=which)


@positive.parametrize()
@settings(max_examples=3, **FUZZ)
def test_valid_requests_get_answers_that_conform_to_the_spec(
    case: schemathesis.Case, alation_server: ServedSimulator
) -> None:
    _run(case, alation_server, CONFORMANCE)


@negative.parametrize()
@settings(max_examples=2, **FUZZ)
def test_invalid_requests_are_rejected_and_never_crash_the_simulator(
    case: schemathesis.Case, alation_server: ServedSimulator
) -> None:
    _run(case, alation_server, REJECTION)
