"""Hypothesis: job-status payloads drawn from the spec's schemas (valid and mutated) and arbitrary
JSON never make the typed parsers raise anything but the SDK's documented errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alation_workflows import _operations as ops
from alation_workflows._runtime.exceptions import APIError, ResponseValidationError, WorkflowsError
from alation_workflows._runtime.operation import LazyType, Operation
from alation_workflows._runtime.response import handle_response

SPEC = yaml.safe_load((Path(__file__).parents[1] / "openapi" / "alation-workflows.yaml").read_text())
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
STATUS_OP: Operation = ops.GET_JOB_STATUS

# Every job-details type the spec links to a job-producing operation, plus the plain JobDetails.
DETAIL_TYPES: dict[str, LazyType | None] = {"JobDetails": None}
for _op in ops.OPERATIONS.values():
    if _op.job is not None:
        DETAIL_TYPES[_op.job.details.type.__name__] = _op.job.details

json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
)
any_json = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def from_schema(schema: dict[str, Any], mutate: bool, depth: int = 0) -> st.SearchStrategy[Any]:
    """Instances of a (subset of) JSON Schema; with `mutate`, any node may be replaced by arbitrary JSON."""
    base = _valid(schema, mutate, depth)
    return st.one_of(base, any_json) if mutate else base


def _valid(schema: dict[str, Any], mutate: bool, depth: int) -> st.SearchStrategy[Any]:
    if "$ref" in schema:
        return from_schema(SCHEMAS[schema["$ref"].rsplit("/", 1)[1]], mutate, depth + 1)
    if "allOf" in schema:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in schema["allOf"]:
            part = SCHEMAS[part["$ref"].rsplit("/", 1)[1]] if "$ref" in part else part
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return _valid(merged, mutate, depth)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([from_schema(s, mutate, depth + 1) for s in schema[key]])
    if "enum" in schema:
        # Open enums: values the SDK does not know must be kept too.
        return st.sampled_from(schema["enum"]) | st.text(min_size=1, max_size=10)
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([_valid({**schema, "type": k}, mutate, depth) for k in kind])
    if kind == "string":
        return st.text(min_size=schema.get("minLength", 0), max_size=20)
    if kind == "integer":
        return st.integers(-(2**63), 2**63 - 1)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(
            from_schema(schema.get("items", {}), mutate, depth + 1), max_size=3 if depth < 4 else 0
        )
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        fixed = {k: from_schema(v, mutate, depth + 1) for k, v in props.items() if k in required}
        optional = {k: from_schema(v, mutate, depth + 1) for k, v in props.items() if k not in required}
        extra = st.dictionaries(st.text(max_size=8).filter(lambda k: k not in props), any_json, max_size=2)
        return st.builds(lambda a, b: {**b, **a}, st.fixed_dictionaries(fixed, optional=optional), extra)
    return any_json  # {} : anything


def _respond(status: int, body: bytes, ctype: str | None) -> httpx.Response:
    headers = {"content-type": ctype} if ctype else {}
    return httpx.Response(
        status, content=body, headers=headers, request=httpx.Request("GET", "https://a.test/")
    )


def _parse(name: str, response: httpx.Response) -> Any:
    return handle_response(STATUS_OP, response, 1, DETAIL_TYPES[name])


# One budget across all job-details types (the spec has many), so the run stays short.
names = st.sampled_from(sorted(DETAIL_TYPES))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=names, data=st.data())
def test_valid_payloads_parse_and_keep_every_field(name: str, data: st.DataObject) -> None:
    payload = data.draw(from_schema(SCHEMAS[name], mutate=False))
    details = _parse(name, _respond(200, json.dumps(payload).encode(), "application/json"))
    # Lenient parsing: nothing the server sent is dropped.
    assert details.to_wire() == payload


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=names, data=st.data())
def test_mutated_payloads_parse_or_raise_documented_errors(name: str, data: st.DataObject) -> None:
    payload = data.draw(from_schema(SCHEMAS[name], mutate=True))
    body = json.dumps(payload).encode()
    try:
        _parse(name, _respond(200, body, "application/json"))
    except ResponseValidationError as exc:
        assert exc.body == body.decode() and exc.attempts == 1


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=names,
    status=st.integers(100, 599),
    body=st.binary(max_size=64) | any_json.map(lambda v: json.dumps(v).encode()),
    ctype=st.sampled_from([None, "application/json", "text/html", "application/problem+json", "text/plain"]),
)
def test_any_response_raises_only_documented_errors(
    name: str, status: int, body: bytes, ctype: str | None
) -> None:
    try:
        _parse(name, _respond(status, body, ctype))
    except WorkflowsError as exc:
        assert isinstance(exc, APIError) and exc.status_code == status
        _ = str(exc), repr(exc)  # rendering the message never fails either


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # deeper than any recursion limit
        b'{"status": "running", "msg": "\\ud800"}',  # lone surrogate escape
        b'{"status": "running", "result": 1e999}',  # overflows a float
        b'{"status": "running"}' + b" " * 10 + b"trailing",
        b"\xff\xfe\x00garbage",  # not UTF-8
        b'{"status": "running", "status": 5}',  # duplicate key
    ],
)
def test_pathological_bodies(body: bytes) -> None:
    for name in DETAIL_TYPES:
        try:
            _parse(name, _respond(200, body, "application/json"))
        except ResponseValidationError as exc:
            str(exc)


@pytest.mark.parametrize(
    ("model", "field", "sent"),
    [
        ("DataDictionaryResource", "id", "0"),  # anyOf [integer, string]: a numeric string stays a string
        ("DataDictionaryResource", "oid", 17),
        ("CustomTemplate", "layout_otype", "7"),
        ("BiServer", "type", "12"),
        ("DataQualityValue", "value_value", True),  # anyOf [string, number, boolean]: true is not 1.0
        ("DataQualityValue", "value_value", "1.5"),
        ("DataQualityValue", "value_value", 1.5),
    ],
)
def test_first_fit_unions_keep_the_json_type_the_server_sent(model: str, field: str, sent: Any) -> None:
    from alation_workflows import models

    body = {"id": 1, field: sent}  # the models that require an id get one
    parsed = getattr(models, model).model_validate_json(json.dumps(body))
    value = getattr(parsed, field)
    assert value == sent and type(value) is type(sent)
    assert parsed.to_wire()[field] == sent


def test_a_value_of_no_member_type_is_refused_not_coerced() -> None:
    from pydantic import ValidationError

    from alation_workflows import models

    with pytest.raises(ValidationError):
        models.DataDictionaryResource.model_validate_json('{"id": true}')  # neither integer nor string
