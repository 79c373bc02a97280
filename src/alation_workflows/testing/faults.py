"""Fault injection: make the next matching requests fail in the ways real networks and servers do."""

from __future__ import annotations

import http
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from .wire import SimRequest, SimResponse

# kind -> accepted parameters (with defaults)
KINDS: dict[str, dict[str, Any]] = {
    "status": {"status": 503, "retry_after": None, "body": None, "after": False},
    "drop": {"after": False},
    "delay": {"seconds": 1.0},
    "malformed_json": {"after": True},
    "wrong_content_type": {"after": True, "content_type": "text/html; charset=utf-8", "body": None},
    "truncated": {"after": True},
    "never_finish": {},
    "fail_job": {"result": "Job failed (injected fault)"},
    "expire_tokens": {},
}
# Faults that change how a request is answered (the rest act on jobs or tokens).
RESPONSE_KINDS = frozenset({"status", "drop", "delay", "malformed_json", "wrong_content_type", "truncated"})
JOB_KINDS = frozenset({"never_finish", "fail_job"})


@dataclass
class Fault:
    """One injected fault; `times` counts down on each request it applies to (None: forever)."""

    kind: str
    path: str | None
    method: str | None
    times: int | None
    params: dict[str, Any]
    applied: int = 0

    def matches(self, request: SimRequest) -> bool:
        if self.times is not None and self.applied >= self.times:
            return False
        if self.method is not None and request.method != self.method:
            return False
        return self.path is None or request.path.startswith(self.path)

    @property
    def after(self) -> bool:
        """Whether the request is processed before the fault shapes the response."""
        return bool(self.params.get("after", self.kind == "delay"))

    def respond(self, original: SimResponse | None) -> SimResponse:
        """The response this fault sends, given the one the simulator would have sent (if processed)."""
        p = self.params
        if self.kind == "status":
            status = int(p["status"])
            body = p["body"]
            if body is None:
                response = SimResponse.json(status, {"detail": http.HTTPStatus(status).phrase})
            elif isinstance(body, str):
                response = SimResponse(status, body.encode(), {"content-type": "text/plain; charset=utf-8"})
            else:
                response = SimResponse.json(status, body)
            if p["retry_after"] is not None:
                response.headers["retry-after"] = _retry_after(p["retry_after"])
            return response
        base = original or SimResponse.json(200, {"status": "successful", "msg": "", "result": None})
        if self.kind == "drop":
            return SimResponse(0, drop=True)
        if self.kind == "delay":
            base.delay = float(p["seconds"])
            return base
        if self.kind == "malformed_json":
            cut = base.body[: max(len(base.body) // 2, 1)] if base.body else b"{"
            return SimResponse(base.status, cut, {"content-type": "application/json"})
        if self.kind == "wrong_content_type":
            body = p["body"]
            if body is None:
                body = "<html><head><title>Sign in</title></head><body>Please sign in.</body></html>"
            return SimResponse(base.status, str(body).encode(), {"content-type": p["content_type"]})
        if self.kind == "truncated":
            base.truncate = True
            return base
        raise AssertionError(self.kind)


def _retry_after(value: Any) -> str:
    if isinstance(value, datetime):
        return format_datetime(value, usegmt=True)
    if isinstance(value, int | float):
        return str(int(value))
    return str(value)


@dataclass
class FaultInjector:
    """`sim.faults`: inject faults, clear them, and see which ones were applied (`history`)."""

    active: list[Fault] = field(default_factory=list[Fault])
    # (kind, method, path) of each applied fault
    history: list[tuple[str, str, str]] = field(default_factory=list[tuple[str, str, str]])
    lock: threading.Lock = field(default_factory=threading.Lock)  # shared, not copied, by a dry run

    def inject(
        self,
        kind: str,
        *,
        path: str | None = None,
        method: str | None = None,
        times: int | None = 1,
        **params: Any,
    ) -> Fault:
        """Apply `kind` to the next `times` requests whose path starts with `path` (and method matches).

        Kinds and their parameters: status(status=503, retry_after=None|seconds|HTTP-date|datetime,
        body=None|str|dict, after=False), drop(after=False), delay(seconds=1.0), malformed_json(after=True),
        wrong_content_type(after=True, content_type=..., body=None), truncated(after=True),
        never_finish(), fail_job(result=...), expire_tokens(). `after=True` means the request is
        processed first (a job may be created) and only its response is spoiled. For never_finish and
        fail_job, `times` counts jobs created by matching requests; `times=None` never runs out.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(sorted(KINDS))}")
        unknown = set(params) - set(KINDS[kind])
        if unknown:
            raise TypeError(
                f"fault {kind!r} takes no parameter(s) {sorted(unknown)}; accepted: {sorted(KINDS[kind])}"
            )
        if times is not None and times < 1:
            raise ValueError(f"times must be >= 1 or None, got {times}")
        if kind == "status":
            status = int(params.get("status", 503))
            if not 100 <= status <= 599:
                raise ValueError(f"status must be an HTTP status code, got {status}")
        if kind == "delay" and float(params.get("seconds", 1.0)) < 0:
            raise ValueError("delay seconds must be >= 0")
        fault = Fault(kind, path, method.upper() if method else None, times, {**KINDS[kind], **params})
        json.dumps(fault.params, default=str)  # parameters must be printable in reports
        with self.lock:
            self.active.append(fault)
        return fault

    def clear(self) -> None:
        with self.lock:
            self.active.clear()

    def take(self, request: SimRequest, kinds: frozenset[str]) -> Fault | None:
        """The first active fault of one of `kinds` matching the request, counted as applied."""
        with self.lock:
            for fault in self.active:
                if fault.kind in kinds and fault.matches(request):
                    fault.applied += 1
                    self.history.append((fault.kind, request.method, request.path))
                    if fault.times is not None and fault.applied >= fault.times:
                        self.active.remove(fault)
                    return fault
        return None
