"""Match a response to the operation's declared responses and unmarshal it with pydantic."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pydantic

from .exceptions import APIError, ProblemDetailsError, ResponseValidationError
from .operation import LazyType, Operation, Response
from .rejection import summary


def _lookup(table: dict[str, Response], status: int) -> Response | None:
    return table.get(str(status)) or table.get(f"{status // 100}XX") or table.get("default")


def _is_json(response: httpx.Response) -> bool:
    ctype = str(response.headers.get("content-type", "")).split(";")[0].strip().lower()
    return ctype == "application/json" or ctype.endswith("+json")


def handle_response(
    op: Operation, response: httpx.Response, attempts: int, override: LazyType | None = None
) -> Any:
    """Return the typed body of a success response, or raise the error it stands for."""
    status = response.status_code
    if 200 <= status < 300:
        declared = _lookup(op.responses, status)
        if declared is None:
            raise APIError(f"{op.id}: unexpected status", response, attempts=attempts)
        target = override or declared.type
        if target is None:
            return None
        media = declared.media or ""
        if media.startswith("text/") and override is None:
            return response.text
        if media == "application/octet-stream" and override is None:
            return response.content
        try:
            if media == "application/x-ndjson":
                # One JSON value per line; blank lines (a trailing newline) carry nothing.
                lines = [line for line in response.content.splitlines() if line.strip()]
                return target.adapter.validate_json(b"[" + b",".join(lines) + b"]")
            # A body that parses and fits is used even under a wrong Content-Type: for a job
            # submission it carries the only copy of the job id.
            return target.adapter.validate_json(response.content)
        except (pydantic.ValidationError, ValueError) as exc:
            ctype = "" if _is_json(response) else f" (Content-Type {response.headers.get('content-type')!r})"
            # The server said yes: for a job operation the job exists even though its id is unreadable.
            accepted = " The server accepted the request: the job may be running." if op.job else ""
            raise ResponseValidationError(
                f"{op.id}: response body does not fit its schema{ctype}: {_first_error(exc)}.{accepted}",
                response,
                exc,
                attempts=attempts,
            ) from exc
    raise error_for(op, response, attempts)


def error_for(op: Operation, response: httpx.Response, attempts: int) -> APIError:
    """The exception for a non-2XX response: ProblemDetailsError for JSON error bodies, else APIError."""
    if 300 <= response.status_code < 400:
        where = response.headers.get("location", "no Location header")
        return APIError(f"{op.id}: redirect to {where} not followed", response, attempts=attempts)
    declared = _lookup(op.errors, response.status_code)
    if declared is None or declared.type is None or not _is_json(response):
        return APIError(f"{op.id}: HTTP error", response, attempts=attempts)
    try:
        raw = json.loads(response.content)
    except ValueError:
        return APIError(f"{op.id}: HTTP error with malformed JSON body", response, attempts=attempts)
    try:
        data = declared.type.adapter.validate_python(raw)
    except pydantic.ValidationError:
        # A shape the spec does not know yet: keep it raw rather than drop it.
        data = raw
    return ProblemDetailsError(f"{op.id}: {summary(raw)}", response, data, attempts=attempts)


def _first_error(exc: Exception) -> str:
    if isinstance(exc, pydantic.ValidationError):
        errs = exc.errors()
        if errs:
            loc = ".".join(str(p) for p in errs[0]["loc"])
            return f"{loc or '<body>'}: {errs[0]['msg']}"
    return str(exc)
