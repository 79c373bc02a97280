"""Debug logging that never shows a secret."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import httpx

# The SDK package's logger (its top-level package name), whatever the generated package is called.
logger = logging.getLogger(__name__.split(".")[0])

SECRET_HEADERS = frozenset({"token", "authorization", "cookie", "set-cookie", "proxy-authorization"})
REDACTED = "[REDACTED]"


# Shorter values are not scrubbed: blanking every "a" or "12" would garble messages and hide nothing.
_MIN_SECRET = 4


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of each secret replaced by [REDACTED]."""
    for secret in secrets:
        if secret and len(secret) >= _MIN_SECRET and secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redacted_headers(headers: Iterable[tuple[str, str]], also: Iterable[str] = ()) -> dict[str, str]:
    secret = SECRET_HEADERS.union(also)
    return {k: (REDACTED if k.lower() in secret else v) for k, v in headers}


def log_request(request: httpx.Request, attempt: int, to: logging.Logger = logger) -> None:
    if to.isEnabledFor(logging.DEBUG):
        to.debug(
            "request %s %s attempt=%d headers=%s",
            request.method,
            request.url,
            attempt,
            # Plus the header the spec's security scheme names (e.g. X-Api-Key), recorded by request.py.
            redacted_headers(request.headers.items(), request.extensions.get("credential_headers", ())),
        )


def log_response(response: httpx.Response, elapsed_s: float, to: logging.Logger = logger) -> None:
    if to.isEnabledFor(logging.DEBUG):
        to.debug(
            "response %s %s -> %d in %.1f ms",
            response.request.method,
            response.request.url,
            response.status_code,
            elapsed_s * 1000,
        )
