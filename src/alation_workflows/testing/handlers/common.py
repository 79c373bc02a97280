"""Validation and response helpers shared by the operation handlers (DRF-style field messages)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..fields import Fields, batch_limit, request_fields
from ..wire import Reject, SimRequest, SimResponse, is_array, is_object

if TYPE_CHECKING:
    from ..jobs import Job

REQUIRED = "This field is required."
BLANK = "This field may not be blank."

_TYPE_NAMES: dict[type, str] = {
    dict: "dict",
    list: "list",
    str: "str",
    int: "int",
    float: "float",
    bool: "bool",
}


def type_name(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def check_value(kind: str, value: Any) -> str | None:
    """DRF's message for a value of the wrong type, or None when it fits."""
    if kind == "any":
        return None
    if kind == "str":
        return None if isinstance(value, str) else "Not a valid string."
    if kind == "int":
        return (
            None if isinstance(value, int) and not isinstance(value, bool) else "A valid integer is required."
        )
    if kind == "bool":
        return None if isinstance(value, bool) else "Must be a valid boolean."
    if kind == "num":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else "A valid number is required."
    if kind == "dict":
        return (
            None
            if isinstance(value, dict)
            else f'Expected a dictionary of items but got type "{type_name(value)}".'
        )
    if kind.startswith("list"):
        if not is_array(value):
            return f'Expected a list of items but got type "{type_name(value)}".'
        inner = kind[5:-1] if kind != "list" else "any"
        for item in value:
            problem = check_value(inner, item)
            if problem:
                return problem
        return None
    raise AssertionError(kind)


def check_fields(item: Any, fields: Fields) -> dict[str, list[str]]:
    """Field errors of one submitted object against the spec's fields (unknown fields are ignored, as DRF does).

    `fields` comes from `request_fields(...)`: the handlers keep no field lists of their own.
    """
    if not is_object(item):
        return {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {type_name(item)}."]}
    errors: dict[str, list[str]] = {}
    for name, field in fields.items():
        value = item.get(name)
        if value is None:
            # A null the spec allows is a value; any other null counts as left out.
            if field.required and not (field.nullable and name in item):
                errors[name] = [REQUIRED]
            continue
        problem = check_value(field.kind, value)
        if problem:
            errors[name] = [problem]
        elif field.non_blank and not value.strip():  # DRF trims whitespace before its blank check
            errors[name] = [BLANK]
    return errors


def list_body(request: SimRequest) -> list[Any]:
    """The body as a non-empty JSON list of at most the operation's batch limit (from the spec), else a 400."""
    body = request.json()
    if not is_array(body):
        raise Reject(
            400, {"detail": f'Expected a list of items but got type "{type_name(body)}".', "code": "400000"}
        )
    if not body:
        raise Reject(400, {"detail": "This list may not be empty.", "code": "400000"})
    check_limit(len(body), batch_limit(request.operation))
    return body


def check_limit(count: int, limit: int | None) -> None:
    if limit is not None and count > limit:
        raise Reject(
            400,
            {
                "detail": f"Too many objects in one request: {count}; the maximum is {limit}.",
                "code": "400000",
            },
        )


def dict_body(request: SimRequest) -> dict[str, Any]:
    body = request.json()
    if not is_object(body):
        raise Reject(
            400,
            {"detail": f'Expected a dictionary of items but got type "{type_name(body)}".', "code": "400000"},
        )
    return body


def jsonl_lines(request: SimRequest) -> list[tuple[int, str]]:
    """(line number, text) of each non-blank line of a JSONL body."""
    text = request.body.decode("utf-8", errors="replace")
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def parse_line(line: str) -> dict[str, Any] | str:
    """A JSONL line as an object, or a message saying why it is not one."""
    try:
        value = json.loads(line)
    except ValueError as exc:
        return f"Invalid JSON: {exc}"
    if not is_object(value):
        return f"Expected a JSON object, got {type_name(value)}"
    return value


def job_id_handle(job: Job, status: int = 202) -> SimResponse:
    """H1: `{"job_id": N}`."""
    return SimResponse.json(status, {"job_id": job.id})


def int_list(request: SimRequest, body: dict[str, Any]) -> list[int]:
    """The body's list of ids (the request schema's one required integer list), else Alation's 400."""
    id_lists = [
        name for name, f in request_fields(request.operation).items() if f.required and f.kind == "list[int]"
    ]
    if len(id_lists) != 1:  # a spec change made the ids ambiguous: say so rather than guess
        raise ValueError(f"{request.operation}: {len(id_lists)} required integer lists in the request schema")
    key = id_lists[0]
    value = body.get(key)
    problem = REQUIRED if value is None else check_value("list[int]", value)
    if problem or not is_array(value):
        raise Reject(400, {key: [problem], "detail": {key: [problem]}, "code": "400000"})
    return list(value)


def object_pk_error(name: str, value: Any) -> list[str]:
    return [f'Invalid pk "{value}" - object does not exist.']
