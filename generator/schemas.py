"""The simulator's request-schema table: each operation's request body schema, straight from the spec."""

from __future__ import annotations

import json
from typing import Any

from .load import iter_operations

PATH = "src/{package}/testing/request_schemas.json"


def render_request_schemas(spec: dict[str, Any], spec_path: str, package: str) -> dict[str, str]:
    """One JSON file (JSON has no comments: the "generated" key says where it comes from)."""
    bodies: dict[str, Any] = {}
    for _pointer, op in iter_operations(spec):
        content = (op.get("requestBody") or {}).get("content") or {}
        if content:
            media, entry = next(iter(content.items()))
            bodies[op["operationId"]] = {"media": media, "schema": entry["schema"]}
    table = {
        "generated": f"by `python -m generator` from {spec_path}: do not edit",
        "bodies": dict(sorted(bodies.items())),
        "components": {"schemas": spec["components"]["schemas"]},
    }
    return {PATH.format(package=package): json.dumps(table, indent=1, sort_keys=True) + "\n"}
