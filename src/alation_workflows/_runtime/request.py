"""Turn an operation, its arguments and the call options into an `httpx.Request`."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, cast
from urllib.parse import quote

import httpx
import pydantic

from .model import SENDING
from .operation import Operation, Param

_JSON = "application/json"
_NDJSON = "application/x-ndjson"
_MULTIPART = "multipart/form-data"
_FORM = "application/x-www-form-urlencoded"


def check_arguments(op: Operation, method_name: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """Validate parameters before any network call; errors name the parameter."""
    if op.exactly_one_of:
        given = [n for n in op.exactly_one_of if args.get(n) is not None]
        if len(given) != 1:
            got = ", ".join(given) if given else "neither"
            raise ValueError(
                f"{method_name}() takes exactly one of {', '.join(op.exactly_one_of)} (got {got})"
            )
    values: dict[str, Any] = {}
    for p in op.params:
        value = args.get(p.name)
        if value is None:
            if p.required:
                raise ValueError(f"{method_name}() missing required parameter {p.name!r}")
            continue
        try:
            # Lax mode so enum parameters accept their plain string values ("id" for DataflowKeyField.ID).
            values[p.name] = p.type.adapter.validate_python(value)
        except pydantic.ValidationError as exc:
            raise _named(exc, method_name, p.name) from None
    return values


def _named(exc: pydantic.ValidationError, method_name: str, name: str) -> pydantic.ValidationError:
    """The same validation error, located at the parameter so the message names it."""
    errors: list[Any] = [
        {
            "type": e["type"],
            "loc": (name, *e["loc"]),
            "input": e["input"],
            **({"ctx": e["ctx"]} if "ctx" in e else {}),
        }
        for e in exc.errors()
    ]
    return pydantic.ValidationError.from_exception_data(f"{method_name}() arguments", errors)


def encode_body(op: Operation, body: Any) -> tuple[dict[str, Any], str | None]:
    """Validate the body against its schema and encode it; returns httpx content kwargs and media type."""
    spec = op.body
    if spec is None:
        if body is not None:
            raise ValueError(f"operation {op.id} takes no request body")
        return {}, None
    if body is None:
        if spec.required:
            raise ValueError(f"operation {op.id} requires a request body")
        return {}, None
    adapter = spec.type.adapter
    value = adapter.validate_python(body)
    if spec.media == _JSON:
        return {
            "content": adapter.dump_json(value, by_alias=True, exclude_unset=True, context=SENDING)
        }, _JSON
    if spec.media == _NDJSON:
        item = spec.item_type.adapter if spec.item_type is not None else adapter
        lines = [
            _line_safe(item.dump_json(v, by_alias=True, exclude_unset=True, context=SENDING)) for v in value
        ]
        return {"content": b"\n".join(lines)}, spec.content_type or _NDJSON
    if spec.media == _FORM:
        fields = adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True, context=SENDING)
        return {"data": {k: _joined(v, ",") for k, v in fields.items() if v is not None}}, _FORM
    if spec.media == _MULTIPART:
        data: dict[str, Any] = {}
        files: dict[str, Any] = {}
        parts = {name: (filename, ctype) for name, ctype, filename in spec.encoding}
        for key, part in adapter.dump_python(
            value, by_alias=True, exclude_unset=True, context=SENDING
        ).items():
            if isinstance(part, (bytes, bytearray)):
                # Filename and content type come from the spec's `encoding` (OpenAPI's default for bytes otherwise).
                filename, ctype = parts.get(key, (key, "application/octet-stream"))
                files[key] = (filename, bytes(part), ctype)
            elif isinstance(part, bool):
                data[key] = "true" if part else "false"
            else:
                data[key] = str(part)
        # httpx sets the multipart boundary in Content-Type itself.
        return {"data": data, "files": files}, None
    raise ValueError(f"operation {op.id}: unsupported request media type {spec.media}")


# Valid raw in JSON strings, but line breaks to str.splitlines() and JavaScript: escaped, so that
# no reader splits one NDJSON record in two. These UTF-8 sequences only occur inside strings.
_LINE_BREAKS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"), (b"\xc2\x85", b"\\u0085"))


def _line_safe(line: bytes) -> bytes:
    for raw, escaped in _LINE_BREAKS:
        if raw in line:
            line = line.replace(raw, escaped)
    return line


def build_url(
    base_url: str, op: Operation, values: Mapping[str, Any]
) -> tuple[str, list[tuple[str, str | int | float | bool | None]]]:
    path = op.path
    query: list[tuple[str, str | int | float | bool | None]] = []
    for p in op.params:
        if p.name not in values:
            continue
        value = _plain(values[p.name])
        if p.location == "path":
            path = path.replace("{" + p.wire + "}", quote(_joined(value, ","), safe=""))
        elif p.location == "query":
            query.extend(query_pairs(p, value))
    return base_url.rstrip("/") + path, query


def query_pairs(p: Param, value: Any) -> list[tuple[str, str | int | float | bool | None]]:
    """One query parameter as (name, value) pairs, serialized by its OpenAPI style and explode."""
    if isinstance(value, dict):
        pairs = cast("Mapping[Any, Any]", value).items()
        if p.style == "deepObject":
            return [(f"{p.wire}[{k}]", _scalar(v)) for k, v in pairs]
        if p.explode:
            return [(str(k), _scalar(v)) for k, v in pairs]
        return [(p.wire, _joined([x for kv in pairs for x in kv], ","))]
    if isinstance(value, list):
        items = cast("Sequence[Any]", value)
        if p.explode and p.style == "form":
            return [(p.wire, _scalar(v)) for v in items]
        return [(p.wire, _joined(items, _DELIMITERS[p.style]))]
    return [(p.wire, _scalar(value))]


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _plain(value: Any) -> Any:
    """Models become their wire dicts, tuples lists: what the styles serialize."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, tuple):
        return list(cast("Sequence[Any]", value))
    return value


def _joined(value: Any, sep: str) -> str:
    if isinstance(value, dict):
        value = [x for kv in cast("Mapping[Any, Any]", value).items() for x in kv]
    if isinstance(value, list):
        return sep.join(_scalar(v) for v in cast("Sequence[Any]", value))
    return _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return str(value.value if hasattr(value, "value") else value)


def build_request(
    client: httpx.Client | httpx.AsyncClient,
    op: Operation,
    base_url: str,
    values: Mapping[str, Any],
    content: Mapping[str, Any],
    media: str | None,
    headers: dict[str, str],
    timeout_s: float,
    token: str | None = None,
) -> httpx.Request:
    url, query = build_url(base_url, op, values)
    for p in op.params:
        if p.location == "header" and p.name in values:
            headers[p.wire] = _joined(_plain(values[p.name]), ",")
    if media is not None:
        headers["Content-Type"] = media
    extensions: dict[str, Any] = {}
    if token and op.security is not None:
        name, value = op.security.header_for(token)
        headers[name] = value
        # Redirects drop this header when they leave the origin (redirects.py).
        extensions["credential_headers"] = (name.lower(),)
    # Setting the timeout on every request means no code path can wait forever, even on a user's client.
    return client.build_request(
        op.method,
        url,
        params=query or None,
        headers=headers,
        timeout=timeout_s,
        extensions=extensions,
        **content,
    )
