"""Generator settings (openapi/gen.yaml), with a default for every key but `package`.

A new key in gen.yaml needs its default here too (tests/test_generator_errors.py checks), so a
foreign spec's gen.yaml can stay two lines long.

Everything project-specific the generated code and docs name (client class, service name,
environment variables in examples) comes from here, so the generator serves any spec.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import SpecError
from .raw import is_obj

DEFAULTS: dict[str, Any] = {
    "spec": "openapi/openapi.yaml",  # relative to the project root
    "client_class": "Client",
    "user_agent": None,  # the package name with dashes
    # How docs name the server side ("the API" when unset), and an example server URL.
    "service": None,
    "summary": None,  # one line for the package docstring; the spec's info.title when unset
    "server_example": "https://api.example.com",
    "docs": {
        "client_var": "client",
        # Environment variables the usage snippets read the server URL and token from.
        "env": {"server_url": "API_BASE_URL", "token": "API_TOKEN"},
        # Credential parameters whose examples are read from the environment, never written out.
        "credentials": {},
    },
    "defaults": {
        "timeout_ms": 30000,
        "retry": {
            "strategy": "backoff",
            "initial_interval_ms": 500,
            "max_interval_ms": 60000,
            "exponent": 1.5,
            "max_elapsed_time_ms": 300000,
            "max_attempts": 5,
            "retry_connection_errors": True,
        },
        "poll": {
            "initial_interval_s": 0.5,
            "multiplier": 1.5,
            "max_interval_s": 30.0,
            "timeout_s": 3600.0,
            "jitter": 0.1,
            "lag_ratio": 0.1,
            "requests_per_second": 20.0,
        },
        # x-retries of an operation that does not say: methods that may be repeated are retried.
        "retries_by_method": {
            "get": "idempotent",
            "head": "idempotent",
            "options": "idempotent",
            "put": "idempotent",
            "delete": "idempotent",
            "post": "submit",
            "patch": "submit",
        },
    },
    # What every operation of this project's spec must say (x-retries, operationId, tags); a
    # foreign spec needs none: its operations are retried by method, named from method + path,
    # and grouped under `default_group`.
    "require": [],
    "default_group": "default",
}


def with_defaults(raw: object) -> dict[str, Any]:
    """gen.yaml's settings with every missing key filled in from DEFAULTS (nested mappings merged)."""
    # An empty gen.yaml (None) has no package either.
    settings = raw
    if not is_obj(settings) or not isinstance(settings.get("package"), str):
        raise SpecError([("gen.yaml", "settings need at least `package: <python package name>`")])
    out = _merge(copy.deepcopy(DEFAULTS), settings)
    if out["user_agent"] is None:
        out["user_agent"] = out["package"].replace("_", "-") + "-python"
    return out


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    for key, value in over.items():
        if is_obj(value) and is_obj(base.get(key)):
            _merge(base[key], value)
        else:
            base[key] = value
    return base
