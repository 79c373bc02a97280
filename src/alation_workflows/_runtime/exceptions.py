"""The SDK's exception hierarchy: one base, HTTP errors keyed by status, transport failures."""

from __future__ import annotations

from typing import Any

import httpx

_BODY_PREVIEW = 500


class WorkflowsError(Exception):
    """Base class of every error this SDK raises on purpose.

    `handle` is the job handle when the error ended a wait on a job (so the wait can be resumed).
    """

    handle: Any = None


class APIError(WorkflowsError):
    """The server answered with a status or body the operation does not expect.

    Carries the status code, headers, body text and the raw `httpx.Response`, and how many
    attempts were made before giving up.
    """

    def __init__(self, message: str, response: httpx.Response, *, attempts: int = 1) -> None:
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = _text(response)
        self.raw_response = response
        self.attempts = attempts
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        preview = self.body if len(self.body) <= _BODY_PREVIEW else self.body[:_BODY_PREVIEW] + "…"
        preview = _scrub(preview, self.raw_response)
        return f"{self.message} (HTTP {self.status_code} after {_attempts(self.attempts)}): {preview}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, attempts={self.attempts})"


class ProblemDetailsError(APIError):
    """Alation answered 4XX with a JSON error body; `.data` holds it, typed when its shape is known."""

    def __init__(self, message: str, response: httpx.Response, data: Any, *, attempts: int = 1) -> None:
        super().__init__(message, response, attempts=attempts)
        self.data = data


class ResponseValidationError(APIError):
    """A response had the expected status but a body that is malformed or does not fit its schema."""

    def __init__(
        self, message: str, response: httpx.Response, cause: Exception, *, attempts: int = 1
    ) -> None:
        super().__init__(message, response, attempts=attempts)
        self.cause = cause


class NetworkError(WorkflowsError):
    """No usable response: connection refused or dropped, or the request timed out.

    `maybe_processed` is False only when the request provably never reached the server (the
    connection could not be opened); otherwise a write may have been carried out.
    """

    def __init__(
        self, message: str, *, attempts: int, cause: BaseException, maybe_processed: bool = True
    ) -> None:
        super().__init__(f"{message} after {_attempts(attempts)}: {cause!r}")
        self.attempts = attempts
        self.cause = cause
        self.maybe_processed = maybe_processed


class PaginationError(WorkflowsError):
    """A listing could not be continued safely (next page on another origin, or a page URL repeated)."""


def _attempts(n: int) -> str:
    return f"{n} attempt{'s' if n != 1 else ''}"


def _scrub(text: str, response: httpx.Response) -> str:
    """Blank out the request's credentials should a server echo them back in its body."""
    try:
        request = response.request
    except RuntimeError:
        return text
    for name in ("token", "authorization"):
        for secret in request.headers.get_list(name):
            if len(secret) >= 4:
                text = text.replace(secret, "[REDACTED]")
    return text


def _text(response: httpx.Response) -> str:
    try:
        return response.text
    except (httpx.ResponseNotRead, UnicodeDecodeError):
        return ""
