"""Request checks and answer checks against the generated operation table, before and after a handler runs.

Everything here follows `operations.json` (written by `python -m generator` from the spec):
the media types an operation accepts (415 otherwise, in DRF's words), its path and query
parameters, its request body schema (400 in the endpoint's own error shape, chosen by the name of
the 400 answer the spec declares), and the answers it declares (for `check_answer`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any, cast

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError, best_match  # type: ignore[import-untyped]
from jsonschema.protocols import Validator  # type: ignore[import-untyped]
from jsonschema.validators import extend  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012, Schema

from .registry import EXTRAS
from .routes import Route, operation_table
from .wire import BadBody, SimRequest, SimResponse, is_array, is_object

_MAX_MESSAGE = 200  # a mutated body can be huge; the message names the problem, not the whole value
RDBMS_INCORRECT = "Incorrect input data. Please fix the errors and post the data."

# A 400 body builder: (where in the body, message) -> Alation's error JSON.
Shape = Callable[[list[str | int], str], Any]


def _where(path: list[str | int]) -> str:
    return "/".join(str(p) for p in path) or "body"


def _problem(path: list[str | int], message: str) -> Any:
    return {
        "detail": f"Invalid request body: {_where(path)}: {message}",
        "errors": [{_where(path): [message]}],
        "code": "400000",
    }


def _rdbms(path: list[str | int], message: str) -> Any:
    return {"detail": RDBMS_INCORRECT, "errors": [{_where(path): [message]}], "code": "400010"}


def _field_name(path: list[str | int]) -> str:
    rest = path[1:] if path and isinstance(path[0], int) else path
    return _where(rest) if rest else "non_field_errors"


def _field_list(path: list[str | int], message: str) -> Any:
    # DRF list errors: one object per submitted item, empty for the valid ones.
    index = path[0] if path and isinstance(path[0], int) else 0
    valid: list[dict[str, list[str]]] = [{} for _ in range(index)]
    return [*valid, {_field_name(path): [message]}]


def _data_quality(path: list[str | int], message: str) -> Any:
    # `Entry` is the index of the rejected item in fields/values, -1 for the body as a whole.
    entry = path[1] if len(path) > 1 and isinstance(path[1], int) else -1
    return {"Entry": entry, "Message": f"{_where(path)}: {message}"}


def _error_message(path: list[str | int], message: str) -> Any:
    # JSONL bodies: path[0] is the line's index among the non-blank lines.
    where = f"Line {path[0] + 1}" if path and isinstance(path[0], int) else "Body"
    return {"error": f"{where}: {_where(path[1:]) if len(path) > 1 else 'line'}: {message}"}


def _oauth(path: list[str | int], message: str) -> Any:
    # OAuth endpoints answer RFC 6749 error bodies.
    return {"error": "invalid_request", "error_description": f"{_where(path) or 'body'}: {message}"}


def _hub(kind: str) -> Shape:
    def shape(path: list[str | int], message: str) -> Any:
        if not path or not isinstance(path[0], int):
            return _problem(path, message)
        error = {_field_name(path): [message]}
        return {"job_id": None, f"invalid_{kind}s": [{"index": path[0], "errors": [error]}]}

    return shape


# The spec's name for an operation's 400 answer (components/responses, else the schema's name,
# else its JSON type) -> the body the simulator sends for a schema violation.
SHAPES: dict[str, Shape] = {
    "BadRequest": _problem,
    "ProblemDetails": _problem,
    "RdbmsBadRequest": _rdbms,
    "InvalidDocuments": _hub("document"),
    "InvalidFolders": _hub("folder"),
    "InvalidTerms": _hub("term"),
    "DataQualityBadRequest": _data_quality,
    "ErrorMessageBadRequest": _error_message,
    "OAuthError": _oauth,
    "FieldListBadRequest": _field_list,
}


def shape_for(route: Route) -> Shape:
    """The error-body builder for the route's declared 400 answer (ProblemDetails-style if none)."""
    invalid: dict[str, Any] = _entry(route, "invalid") or {}
    return SHAPES.get(invalid.get("answer", ""), _problem)


def _entry(route: Route, key: str) -> Any:
    """A field of the route's table entry (None when absent or for a simulator-only operation)."""
    return (route.spec or {}).get(key)


def _one_of_as_any_of(validator: Any, one_of: Any, instance: Any, schema: Any) -> Any:
    # The spec's `oneOf: [number, integer, ...]` matches an integer twice; what it means is "any of".
    yield from Draft202012Validator.VALIDATORS["anyOf"](validator, one_of, instance, schema)


def _type(validator: Any, types: Any, instance: Any, schema: Any) -> Any:
    # `x-accepts-numeric-string`: the server parses "12" where the spec's type is integer.
    if schema.get("x-accepts-numeric-string") and isinstance(instance, str) and instance.isdigit():
        return
    yield from Draft202012Validator.VALIDATORS["type"](validator, types, instance, schema)


# jsonschema's functions are unannotated: their results are cast to the types its protocols declare.
_Validator = cast(
    "type[Validator]", extend(Draft202012Validator, {"oneOf": _one_of_as_any_of, "type": _type})
)


@cache
def _registry() -> Registry[Schema]:
    document = {"components": operation_table()["components"]}
    # `with_resource` has no return annotation (mypy sees Any): the variable states it.
    registry: Registry[Schema] = Registry[Schema]().with_resource(
        "urn:spec", DRAFT202012.create_resource(document)
    )
    return registry


def validator(schema: Any) -> Validator:
    """A JSON Schema validator for a schema from the table (its `#/components/...` refs resolve)."""
    return _cached_validator(json.dumps(schema, sort_keys=True))


@cache
def _cached_validator(schema_json: str) -> Validator:
    return _Validator(_absolute_refs(json.loads(schema_json)), registry=_registry())


def _best_error(schema: Any, instance: Any) -> ValidationError | None:
    """The violation of `schema` that best explains what is wrong with `instance` (None: it fits)."""
    return cast("ValidationError | None", best_match(validator(schema).iter_errors(instance)))


def _absolute_refs(schema: Any) -> Any:
    if is_object(schema):
        return {
            k: (
                f"urn:spec{v}"
                if k == "$ref" and isinstance(v, str) and v.startswith("#")
                else _absolute_refs(v)
            )
            for k, v in schema.items()
        }
    if is_array(schema):
        return [_absolute_refs(v) for v in schema]
    return schema


def _clip(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[:_MAX_MESSAGE] + "..."


# ---- media type ----------------------------------------------------------------------------------


def check_media_type(route: Route, request: SimRequest) -> SimResponse | None:
    """DRF's 415 when a body comes in a media type the operation does not accept."""
    body: dict[str, Any] | None = _entry(route, "body")
    if body is None or not request.body:
        return None
    sent = request.headers.get("content-type", "")
    media = sent.split(";", 1)[0].strip().lower()
    # A JSONL body may come labelled as its format or as the header the spec says to send (x-content-type).
    if media in (body["media"], body.get("content_type")):
        return None
    return SimResponse.json(415, {"detail": f'Unsupported media type "{sent}" in request.'})


# ---- parameters ----------------------------------------------------------------------------------


def check_params(route: Route, request: SimRequest, path_params: dict[str, Any]) -> SimResponse | None:
    """A 400 for a missing required query parameter or a path/query value its schema refuses."""
    params: list[dict[str, Any]] = _entry(route, "params") or []
    for param in params:
        name: str = param["name"]
        schema: dict[str, Any] = param["schema"]
        if param["in"] == "path":
            raw: Any = path_params.get(name)
            if raw is None:
                continue
            value = raw
        else:
            values = request.query.get(name)
            if not values:
                if param["required"]:
                    return _param_error(route, name, "This query parameter is required.")
                continue
            value = _coerce(schema, values)
        error = _best_error(schema, value)
        if error is not None:
            return _param_error(route, name, _clip(error.message))
    return None


def _coerce(schema: dict[str, Any], values: list[str]) -> Any:
    """A query string value as the schema's type (left as text when it does not convert)."""
    if schema.get("type") == "array":
        return [_coerce(schema.get("items") or {}, [v]) for v in values]
    value = values[0]
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _param_error(route: Route, name: str, message: str) -> SimResponse:
    return SimResponse.json(400, shape_for(route)([f"query parameter {name}"], message))


# ---- body ----------------------------------------------------------------------------------------


def check_body(route: Route, request: SimRequest) -> SimResponse | None:
    """A 400 when the body violates the request schema (of every body variant), else None.

    Bodies that are not JSON (or JSONL) at all are left to the handler, which answers them in
    its own words; multipart bodies are checked by their handlers.
    """
    body: dict[str, Any] | None = _entry(route, "body")
    if body is None:
        return None
    data = _decode(body.get("format", "json"), request)
    if data is _UNREADABLE:
        return None
    variants: dict[str, Any] = _entry(route, "variants") or {}
    schemas = list(variants.values()) or [body["schema"]]
    errors: list[ValidationError] = []
    for schema in schemas:
        try:
            error = _best_error(schema, data)
        except RecursionError:
            return SimResponse.json(400, shape_for(route)([], "nesting too deep"))
        if error is None:
            return None
        errors.append(error)
    error = max(errors, key=lambda e: len(e.absolute_path))  # the variant that matched furthest in
    return SimResponse.json(400, shape_for(route)(list(error.absolute_path), _clip(error.message)))


_UNREADABLE = object()


def _decode(body_format: str, request: SimRequest) -> Any:
    """The body as the spec describes it: one JSON document, or one per line (JSONL)."""
    try:
        if body_format == "json":
            return request.json()
        if body_format == "lines":
            lines = [line for line in request.body.decode("utf-8").splitlines() if line.strip()]
            return [json.loads(line) for line in lines]
    except (BadBody, ValueError, UnicodeDecodeError, RecursionError):
        return _UNREADABLE
    return _UNREADABLE  # multipart: the handler checks it


# ---- answers -------------------------------------------------------------------------------------


class AnswerMismatch(AssertionError):
    """A handler answered outside the operation's declared responses (raised when `check_answers` is on)."""


def check_answer(route: Route, answer: SimResponse) -> str | None:
    """Why a handler's answer does not fit the operation's declared responses, or None when it does."""
    if route.spec is None:
        return None
    responses: dict[str, Any] = route.spec["responses"]
    declared = responses.get(str(answer.status))
    if declared is None:
        declared = responses.get(f"{str(answer.status)[0]}XX", responses.get("default"))
    if declared is None:
        return (
            f"{route.operation_id}: status {answer.status} is not declared (declared: {', '.join(responses)})"
        )
    if not declared:
        return None if not answer.body else f"{route.operation_id}: {answer.status} declares no body"
    media = answer.headers.get("content-type", "").split(";", 1)[0].strip()
    if media not in declared:
        return f"{route.operation_id}: {answer.status} answered {media!r}, declared {sorted(declared)}"
    if media != "application/json":
        return None
    try:
        data = json.loads(answer.body)
    except ValueError as exc:
        return f"{route.operation_id}: {answer.status} body is not JSON: {exc}"
    error = _best_error(declared[media], data)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "body"
    return f"{route.operation_id}: {answer.status} body at {where}: {_clip(error.message)}"


# ---- job answers ---------------------------------------------------------------------------------


def check_job_answer(route: Route, job_operation: str, answer: SimResponse) -> str | None:
    """Why a status answer about a job of `job_operation` does not fit that operation's `x-job`.

    A successful job (the polling contract's `successful` rule) must fit `x-job.succeeded`, any
    other state `x-job.details`; the generic status schema `check_answer` applies lets any result by.
    """
    job: dict[str, Any] | None = _spec_entry(job_operation).get("job")
    if job is None or not 200 <= answer.status < 300:
        return None
    status_operation = _spec_id(route.operation_id)
    if job["status_operation"] != status_operation:
        return f"{route.operation_id}: reports a {job_operation} job, whose status operation is {job['status_operation']}"
    try:
        data = json.loads(answer.body)
    except ValueError as exc:
        return f"{route.operation_id}: {answer.status} body is not JSON: {exc}"
    rule: dict[str, Any] = job["successful"]
    verdict = _at_pointer(data, rule["field"])
    succeeded = isinstance(verdict, str) and verdict.casefold() in rule["values"]
    schema: dict[str, str] = job["succeeded"] if succeeded and job["succeeded"] else job["details"]
    error = _best_error(schema, data)
    if error is None:
        return None
    pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path)
    name = schema["$ref"].rsplit("/", 1)[-1]
    return (
        f"{route.operation_id}: {answer.status} body about a {job_operation} job does not fit "
        f"{name} at {pointer!r}: {_clip(error.message)}"
    )


def _spec_id(operation_id: str) -> str:
    """The spec operation a simulator-only operation stands in for (itself otherwise)."""
    extra = EXTRAS.get(operation_id)
    return extra.like if extra is not None and extra.like else operation_id


def _spec_entry(operation_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = operation_table()["operations"].get(_spec_id(operation_id), {})
    return entry


def _at_pointer(data: Any, pointer: str) -> Any:
    """The value at a JSON pointer (None where the document has nothing there)."""
    node = data
    for token in pointer.lstrip("/").split("/") if pointer else ():
        token = token.replace("~1", "/").replace("~0", "~")
        if is_object(node):
            node = node.get(token)
        elif is_array(node) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node
