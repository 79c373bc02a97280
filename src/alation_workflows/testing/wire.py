"""Transport-neutral request and response records shared by the ASGI app and the in-process transport."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, TypeGuard
from urllib.parse import parse_qs

_SECRET_HEADERS = frozenset({"token", "authorization", "cookie"})
# The largest request body the simulator reads (a bulk upload of 10 000 items is a few MB).
MAX_BODY_BYTES = 64 * 1024 * 1024


def too_large(limit: int) -> dict[str, str]:
    """The 413 body for a request body over `limit` bytes."""
    return {"detail": f"Request body too large: the limit is {limit} bytes.", "code": "413000"}


@dataclass(slots=True, repr=False)
class SimRequest:
    """One HTTP request as the simulator saw it (also what `sim.requests` records)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    processed: bool = False  # the simulator acted on the body (state or job change possible)
    fault: str | None = None  # the fault kind applied to this request, if any
    status: int | None = None  # status code answered (None: connection dropped)
    operation: str | None = None  # operation id of the matched route
    # Set by a status handler: the operation whose job it answers about (its `x-job` schemas apply).
    reports_job: str | None = None
    # The spec's body check, made before the simulator lock is taken (see Simulator.handle).
    body_verdict: SimResponse | None = None
    # The body as JSON, once parsed (a list or dict).
    _parsed: list[Any] | dict[str, Any] | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls, method: str, path: str, query_string: str, headers: dict[str, str], body: bytes
    ) -> SimRequest:
        query = parse_qs(query_string, keep_blank_values=True)
        return cls(method.upper(), path, query, {k.lower(): v for k, v in headers.items()}, body)

    def __repr__(self) -> str:
        # Credentials stay out of reprs and test failure output.
        headers = {k: ("<redacted>" if k in _SECRET_HEADERS else v) for k, v in self.headers.items()}
        return (
            f"SimRequest({self.method} {self.path} query={self.query} headers={headers} "
            f"body={len(self.body)} bytes, processed={self.processed}, fault={self.fault}, status={self.status})"
        )

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        """The body parsed as JSON (once); raises BadBody with Alation-like text when it is not JSON."""
        if self._parsed is not None:
            return self._parsed
        if not self.body.strip():
            raise BadBody("No data provided")
        try:
            parsed = json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadBody(f"JSON parse error - {exc}") from exc
        except RecursionError as exc:  # deeply nested arrays/objects: refused, never a crash
            raise BadBody("JSON parse error - nesting too deep") from exc
        if isinstance(parsed, list | dict):
            self._parsed = parsed
            return self._parsed
        return parsed

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def is_object(value: object) -> TypeGuard[dict[str, Any]]:
    """Whether a parsed JSON value is an object (its keys are strings, its values anything)."""
    return isinstance(value, dict)


def is_array(value: object) -> TypeGuard[list[Any]]:
    """Whether a parsed JSON value is an array."""
    return isinstance(value, list)


class BadBody(Exception):
    """The request body could not be read as the operation requires (answered as a 400)."""


@dataclass(slots=True)
class SimResponse:
    """A response the simulator wants sent, plus how to deliver it (delay, drop, truncate)."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict[str, str])
    delay: float = 0.0  # seconds to hold the response
    drop: bool = False  # close the connection without answering
    truncate: bool = False  # declare the full Content-Length but send only part of the body

    @classmethod
    def json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> SimResponse:
        body = json.dumps(payload).encode()
        return cls(status, body, {"content-type": "application/json", **(headers or {})})

    @classmethod
    def empty(cls, status: int = 204) -> SimResponse:
        return cls(status, b"", {})


def error(status: int, payload: Any) -> SimResponse:
    """An Alation error body (the caller picks the operation's own shape)."""
    return SimResponse.json(status, payload)


class Reject(Exception):
    """Raised by a handler to answer with an error response instead of a result."""

    def __init__(self, status: int, payload: Any) -> None:
        super().__init__(f"{status}: {payload!r}")
        self.response = SimResponse.json(status, payload)
