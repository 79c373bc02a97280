"""Debug logging that never shows a secret."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import httpx

# The SDK package's logger (its top-level package name), whatever the generated package is called.
logger = logging.getLogger(__name__.split(".")[0])

SECRET_HEADERS = frozenset({"token", "authorization", "cookie", "set-cookie", "proxy-authorization"})
REDACTED = "[REDACTED]"


def redacted_headers(headers: Iterable[tuple[str, str]], also: Iterable[str] = ()) -> dict[str, str]:
    secret = SECRET_HEADERS.union(also)
    return {k: (REDACTED if k.lower() in secret else v) for k, v in headers}


def log_request(request: httpx.Request, attempt: int) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "request %s %s attempt=%d headers=%s",
            request.method,
            request.url,
            attempt,
            # Plus the header the spec's security scheme names (e.g. X-Api-Key), recorded by request.py.
            redacted_headers(request.headers.items(), request.extensions.get("credential_headers", ())),
        )


def log_response(response: httpx.Response, elapsed_s: float) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "response %s %s -> %d in %.1f ms",
            response.request.method,
            response.request.url,
            response.status_code,
            elapsed_s * 1000,
        )
