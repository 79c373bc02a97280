"""Debug logging that never shows a secret."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import httpx

logger = logging.getLogger("alation_workflows")

SECRET_HEADERS = frozenset({"token", "authorization", "cookie", "set-cookie", "proxy-authorization"})
REDACTED = "[REDACTED]"


def redacted_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in headers}


def log_request(request: httpx.Request, attempt: int) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "request %s %s attempt=%d headers=%s",
            request.method,
            request.url,
            attempt,
            redacted_headers(request.headers.items()),
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
