"""The SDK's exception hierarchy: one base, HTTP errors keyed by status, transport failures.

Every error pickles (process pools pass them between processes) without its live parts: the raw
`httpx.Response`, the chained cause and a job handle come back as None. Credentials never appear
in an error's message, its `vars()` or its pickled form: bodies and messages are scrubbed of the
request's TOKEN/Authorization values and of any secret the call declared when they are built.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import httpx
import pydantic

from .redact import scrub

_BODY_PREVIEW = 500
# Live objects that cannot cross a process boundary (or would carry the request's credentials).
_NOT_PICKLED = ("raw_response", "cause", "handle")


def _restore(cls: type[WorkflowsError], args: tuple[Any, ...], state: dict[str, Any]) -> WorkflowsError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class WorkflowsError(Exception):
    """Base class of every error this SDK raises on purpose.

    `handle` is the job handle when the error ended a wait on a job (so the wait can be resumed).
    """

    handle: Any = None

    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: (None if k in _NOT_PICKLED else v) for k, v in vars(self).items()}
        return (_restore, (type(self), self.args, state))

    def redact(self, secrets: Iterable[str]) -> None:
        """Blank out `secrets` wherever this error keeps text (called before it is raised)."""
        self.args = tuple(scrub(a, secrets) if isinstance(a, str) else a for a in self.args)
        for key, value in vars(self).items():
            if isinstance(value, str):
                setattr(self, key, scrub(value, secrets))
            elif isinstance(value, BaseException) and scrub(str(value), secrets) != str(value):
                setattr(self, key, _scrubbed_copy(value, secrets))
            elif key == "data" and scrub(repr(value), secrets) != repr(value):
                setattr(self, key, _scrubbed_data(value, secrets))


class APIError(WorkflowsError):
    """The server answered with a status or body the operation does not expect.

    Carries the status code, headers, body text and the raw `httpx.Response`, and how many
    attempts were made before giving up.
    """

    _keeps_body = True

    def __init__(self, message: str, response: httpx.Response, *, attempts: int = 1) -> None:
        self.status_code = response.status_code
        self.headers = response.headers
        self.raw_response = response
        self.attempts = attempts
        self.message = message
        super().__init__(message)
        # Should the server echo the request's credentials, they are blanked out of the kept body.
        self.body = _text(response) if self._keeps_body else ""
        self.redact(_credentials(response))

    def __str__(self) -> str:
        preview = self.body if len(self.body) <= _BODY_PREVIEW else self.body[:_BODY_PREVIEW] + "…"
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


class DeadlineExceededError(NetworkError):
    """The call's deadline (a job wait's timeout) passed before an answer came; nothing is retried after it."""


class ResponseTooLargeError(APIError):
    """The response body grew past the client's `max_response_bytes` (after decompression); it was not read."""

    _keeps_body = False


class InvalidTokenError(WorkflowsError, ValueError):
    """A token cannot be sent as a TOKEN header (not a str, empty, whitespace or control characters).

    Raised before any request is sent; the message says what is wrong, never the token.
    """


class ClientClosedError(WorkflowsError, RuntimeError):
    """The client was closed (its `with` block ended, or `close()` was called); create a new one."""


class SubmitUncertainError(WorkflowsError):
    """A job submit failed after the request may have reached the server: the job may exist.

    The SDK never sends such a submit again. `operation` (operationId), `method` and `url` name
    the request; look on the server (or in the bulk journal) before submitting it again. Caught
    as this class, or as the `NetworkError` / `APIError` / `ResponseValidationError` it also is.
    """

    operation: str = ""
    method: str = ""
    url: str = ""

    @classmethod
    def from_error(
        cls, error: WorkflowsError, *, operation: str, method: str, url: str
    ) -> SubmitUncertainError:
        """The uncertain twin of `error` (same attributes), naming the request that may have been carried out."""
        if isinstance(error, SubmitUncertainError):
            return error
        twin = _UNCERTAIN[next(base for base in type(error).__mro__ if base in _UNCERTAIN)]
        uncertain = twin.__new__(twin)
        uncertain.__dict__.update(vars(error))
        uncertain.operation, uncertain.method, uncertain.url = operation, method, url
        note = (
            f" [{method} {url}: not retried: the server may have accepted and carried it out (a job"
            " may exist); check before submitting again]"
        )
        if isinstance(uncertain, APIError):
            uncertain.message += note
            uncertain.args = (uncertain.message,)
        else:
            uncertain.args = (str(error) + note,)
        return uncertain


class SubmitUncertainNetworkError(SubmitUncertainError, NetworkError):
    """A submit's connection failed after it opened (dropped, reset, read timeout): the job may exist."""


class SubmitUncertainAPIError(SubmitUncertainError, APIError):
    """A submit was answered with a status that does not prove it was not processed (5XX, 408)."""


class SubmitUncertainResponseError(SubmitUncertainError, ResponseValidationError):
    """A submit was accepted (2XX) but the answer naming the job could not be read: the job exists."""


_UNCERTAIN: dict[type, type[SubmitUncertainError]] = {
    ResponseValidationError: SubmitUncertainResponseError,
    APIError: SubmitUncertainAPIError,
    NetworkError: SubmitUncertainNetworkError,
}


def _scrubbed_copy(exc: BaseException, secrets: Iterable[str]) -> BaseException:
    """An exception of the same kind whose message has the secrets blanked out."""
    message = scrub(str(exc), secrets)
    try:
        return type(exc)(message)
    except Exception:  # an exception class with another constructor
        return RuntimeError(f"{type(exc).__name__}: {message}")


def _scrubbed_data(value: Any, secrets: Iterable[str]) -> Any:
    """A parsed error body (model, dict, list) with the secrets blanked out of every string in it."""
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, dict):
        return {k: _scrubbed_data(v, secrets) for k, v in cast("dict[str, Any]", value).items()}
    if isinstance(value, (list, tuple)):
        return [_scrubbed_data(v, secrets) for v in cast("list[object]", value)]
    if isinstance(value, pydantic.BaseModel):
        cleaned = _scrubbed_data(value.model_dump(mode="json", by_alias=True), secrets)
        try:
            return type(value).model_validate(cleaned)
        except ValueError:
            return cleaned
    return value


class PaginationError(WorkflowsError):
    """A listing could not be continued safely (next page on another origin, or a page URL repeated)."""


def _attempts(n: int) -> str:
    return f"{n} attempt{'s' if n != 1 else ''}"


def _credentials(response: httpx.Response) -> list[str]:
    try:
        request = response.request
    except RuntimeError:
        return []
    return [s for name in ("token", "authorization") for s in request.headers.get_list(name)]


def _text(response: httpx.Response) -> str:
    try:
        return response.text
    except (httpx.ResponseNotRead, UnicodeDecodeError):
        return ""
