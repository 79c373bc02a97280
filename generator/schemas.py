"""The simulator's operation table: each wire operation's route, inputs and declared answers, from the spec.

The simulator routes, validates and answers schema-level errors from this table alone, so a spec
change (a renamed operation, a new enum value, a deleted path) reaches it on regeneration.
"""

from __future__ import annotations

import json
from typing import Any

from . import ir
from .load import resolve_pointer
from .raw import arr, is_arr, is_obj, obj

PATH = "src/{package}/testing/operations.json"


def render_operation_table(api: ir.Api, spec: dict[str, Any]) -> dict[str, str]:
    """One JSON file (JSON has no comments: the "generated" key says where it comes from)."""
    operations: dict[str, Any] = {}
    for op in api.operations:
        base_pointer, _, _variant = op.pointer.partition("/x-variants/")
        raw = _at(spec, base_pointer)
        wire_id = raw["operationId"]
        entry = operations.get(wire_id)
        if entry is None:
            entry = operations[wire_id] = _wire_operation(spec, op, raw, base_pointer)
        if _variant:
            entry["variants"][op.id] = _body_schema(spec, _at(spec, op.pointer))
        if op.batch_limit is not None:
            # Keyed by the list it limits: "" for a list body, the property name for an object body.
            entry["batch_limits"][op.batch_field or ""] = op.batch_limit
    unserved: dict[str, list[str]] = {
        path: sorted(str(m).upper() for m in item["x-alation-also-serves"])
        for path, item in obj(spec.get("paths")).items()
        if is_obj(item) and item.get("x-alation-also-serves")
    }
    table: dict[str, Any] = {
        "generated": f"by `python -m generator` from {api.spec_path}: do not edit",
        "operations": dict(sorted(operations.items())),
        "unserved": dict(sorted(unserved.items())),
        "components": {"schemas": obj(obj(spec.get("components")).get("schemas"))},
    }
    return {PATH.format(package=api.package): json.dumps(table, indent=1, sort_keys=True) + "\n"}


def _wire_operation(
    spec: dict[str, Any], op: ir.Operation, raw: dict[str, Any], pointer: str
) -> dict[str, Any]:
    params: list[dict[str, Any]] = []
    for p in arr(raw.get("parameters")):
        p = _deref(spec, p)
        if p.get("in") in ("path", "query"):
            params.append(
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": bool(p.get("required")),
                    "schema": p.get("schema") or {},
                }
            )
    body = None
    if op.body is not None:
        body = {
            "media": op.body.media,
            "content_type": op.body.content_type or op.body.media,
            "required": op.body.required,
            "schema": _body_schema(spec, raw),
            # How the simulator reads the bytes, apart from the Content-Type it insists on.
            "format": "lines" if op.body.item_type is not None else _format(op.body.media),
        }
    responses: dict[str, Any] = {}
    invalid = None
    for status, resp in obj(raw.get("responses")).items():
        answer = _deref(spec, resp)
        content = {media: mt.get("schema", {}) for media, mt in obj(answer.get("content")).items()}
        responses[str(status)] = content
        if str(status) == "400":
            invalid = {"status": 400, "answer": _answer_name(resp, content)}
    return {
        "method": op.method,
        "path": op.path,
        "pointer": pointer,
        "public": not op.secured,
        # A listing reads even when it is a POST (domain membership rules): not a submission.
        "reads": op.method == "GET" or op.paging is not None,
        "params": params,
        "body": body,
        "responses": responses,
        "invalid": invalid,
        "variants": {},
        "batch_limits": {},
        "job": _job(spec, op, raw),
    }


def _job(spec: dict[str, Any], op: ir.Operation, raw: dict[str, Any]) -> dict[str, Any] | None:
    """What the status operation answers about this operation's jobs: the spec's `x-job` schema
    refs and the rule saying a job succeeded (the simulator checks its job-status answers with them)."""
    if op.job is None:
        return None
    x_job = obj(raw.get("x-job"))
    polling = _deref(spec, obj(x_job.get("polling")))
    successful = next((p, v) for verdict, p, v in op.job.polling.rules if verdict == "successful")
    return {
        "status_operation": polling["status-operation"],
        "details": x_job["details"],
        "succeeded": x_job.get("succeeded"),
        "successful": {"field": successful[0], "values": successful[1]},
    }


def _format(media: str) -> str:
    return "json" if media == "application/json" or media.endswith("+json") else "other"


def _answer_name(resp: dict[str, Any], content: dict[str, Any]) -> str:
    """What names the 400 body's shape: the spec's response or schema name, else its JSON type."""
    if "$ref" in resp:
        return str(resp["$ref"]).rsplit("/", 1)[-1]
    schema = obj(content.get("application/json"))
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    return str(schema.get("type", "object"))


def _body_schema(spec: dict[str, Any], raw: dict[str, Any]) -> Any:
    content = obj(_deref(spec, obj(raw.get("requestBody"))).get("content"))
    return next(iter(content.values())).get("schema", {}) if content else None


def _deref(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    return (resolve_pointer(spec, node["$ref"]) or {}) if "$ref" in node else node


def _at(spec: dict[str, Any], pointer: str) -> dict[str, Any]:
    """The node at a JSON pointer into the spec (list indexes included, unlike `$ref` resolution)."""
    node: Any = spec
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if is_arr(node) else node[token]
    return node if is_obj(node) else {}
