"""Request-body validation against the spec's request schemas, before any handler runs.

The schemas come from `request_schemas.json`, which `python -m generator` writes from the spec
(the spec itself does not ship in the package; `--check` catches drift). A violation is answered
with a 400 in the endpoint's own Alation error shape.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError, best_match  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from .wire import SimRequest, SimResponse

SNAPSHOT = Path(__file__).with_name("request_schemas.json")
_MAX_MESSAGE = 200  # a mutated body can be huge; the message names the problem, not the whole value
RDBMS_INCORRECT = "Incorrect input data. Please fix the errors and post the data."

# One 400 body per endpoint family: (where in the body, message) -> Alation's error JSON.
Shape = Callable[[list[str | int], str], Any]


def _where(path: list[str | int]) -> str:
    return "/".join(str(p) for p in path) or "body"


def _problem(path: list[str | int], message: str) -> Any:
    return {
        "detail": f"Invalid request body: {_where(path)}: {message}",
        "errors": [{_where(path): [message]}],
        "code": "400000",
    }


def _bi_servers(path: list[str | int], message: str) -> Any:
    return {
        "detail": "Unable to create BI servers",
        "errors": [f"{_where(path)}: {message}"],
        "code": "400002",
    }


def _rdbms(path: list[str | int], message: str) -> Any:
    return {"detail": RDBMS_INCORRECT, "errors": [{_where(path): [message]}], "code": "400010"}


def _field_name(path: list[str | int]) -> str:
    rest = path[1:] if path and isinstance(path[0], int) else path
    return _where(rest) if rest else "non_field_errors"


def _custom_fields(path: list[str | int], message: str) -> Any:
    # DRF list errors: one object per submitted item, empty for the valid ones.
    index = path[0] if path and isinstance(path[0], int) else 0
    return [{} for _ in range(index)] + [{_field_name(path): [message]}]


def _data_quality(path: list[str | int], message: str) -> Any:
    # `Entry` is the index of the rejected item in fields/values, -1 for the body as a whole.
    entry = path[1] if len(path) > 1 and isinstance(path[1], int) else -1
    return {"Entry": entry, "Message": f"{_where(path)}: {message}"}


def _error_message(path: list[str | int], message: str) -> Any:
    # JSONL bodies: path[0] is the line's index among the non-blank lines.
    where = f"Line {path[0] + 1}" if path and isinstance(path[0], int) else "Body"
    return {"error": f"{where}: {_where(path[1:]) if len(path) > 1 else 'line'}: {message}"}


def _hub(kind: str) -> Shape:
    def shape(path: list[str | int], message: str) -> Any:
        if not path or not isinstance(path[0], int):
            return _problem(path, message)
        error = {_field_name(path): [message]}
        return {"job_id": None, f"invalid_{kind}s": [{"index": path[0], "errors": [error]}]}

    return shape


SHAPES: dict[str, Shape] = {
    "createDocuments": _hub("document"),
    "updateDocuments": _hub("document"),
    "createDocumentHubFolders": _hub("folder"),
    "updateDocumentHubFolders": _hub("folder"),
    "createTerms": _hub("term"),
    "updateTerms": _hub("term"),
    "createCustomFields": _custom_fields,
    "createBiServers": _bi_servers,
    "postDataQuality": _data_quality,
    "deleteDataQuality": _data_quality,
    "postVirtualDataSourceMetadata": _error_message,
    "postVirtualFileSystemMetadata": _error_message,
    "postVirtualFileSystemMetadataNoSlash": _error_message,
    "pushQueryLogs": _error_message,
    **{
        op: _rdbms
        for op in (
            "createSchemas",
            "updateSchemas",
            "createTables",
            "updateTables",
            "createColumns",
            "updateColumns",
            "updateChildColumns",
            "updateRootChildColumns",
        )
    },
}
# Routes that share a spec operation (same body schema) under another path.
SAME_BODY = {"postVirtualFileSystemMetadataNoSlash": "postVirtualFileSystemMetadata"}


def _one_of_as_any_of(validator: Any, one_of: Any, instance: Any, schema: Any) -> Any:
    # The spec's `oneOf: [number, integer, ...]` matches an integer twice; what it means is "any of".
    yield from Draft202012Validator.VALIDATORS["anyOf"](validator, one_of, instance, schema)


_Validator = validators.extend(Draft202012Validator, {"oneOf": _one_of_as_any_of})


@cache
def _validators() -> dict[str, tuple[str, Any]]:
    """Operation id -> (media type, validator of its request body)."""
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    document = {"components": snapshot["components"]}
    registry: Registry[Any] = Registry().with_resource("urn:spec", DRAFT202012.create_resource(document))
    found: dict[str, tuple[str, Any]] = {}
    for op_id, body in snapshot["bodies"].items():
        schema = _absolute_refs(body["schema"])
        found[op_id] = (body["media"], _Validator(schema, registry=registry))
    return found


def _absolute_refs(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {
            k: (
                f"urn:spec{v}"
                if k == "$ref" and isinstance(v, str) and v.startswith("#")
                else _absolute_refs(v)
            )
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_absolute_refs(v) for v in schema]
    return schema


def check_body(operation_ids: tuple[str, ...], request: SimRequest) -> SimResponse | None:
    """A 400 when the body violates the request schema of every one of `operation_ids`, else None.

    Bodies that are not JSON (or JSONL) at all are left to the handler, which answers them in
    its own words; multipart bodies are checked by their handlers.
    """
    candidates = [
        _validators()[SAME_BODY.get(op, op)] for op in operation_ids if SAME_BODY.get(op, op) in _validators()
    ]
    if not candidates:
        return None
    errors: list[ValidationError] = []
    for media, validator in candidates:
        data = _decode(media, request.body)
        if data is _UNREADABLE:
            return None
        error = best_match(validator.iter_errors(data))
        if error is None:
            return None
        errors.append(error)
    error = max(errors, key=lambda e: len(e.absolute_path))  # the variant that matched furthest in
    path = list(error.absolute_path)
    message = error.message if len(error.message) <= _MAX_MESSAGE else error.message[:_MAX_MESSAGE] + "..."
    shape = SHAPES.get(operation_ids[0], _problem)
    return SimResponse.json(400, shape(path, message))


_UNREADABLE = object()


def _decode(media: str, body: bytes) -> Any:
    try:
        if media == "application/json":
            return json.loads(body) if body.strip() else _UNREADABLE
        if media == "application/x-ndjson":
            lines = [line for line in body.decode("utf-8").splitlines() if line.strip()]
            return [json.loads(line) for line in lines]
    except (ValueError, UnicodeDecodeError):
        return _UNREADABLE
    return _UNREADABLE  # multipart: the handler checks it
