"""Checks on what the caller configures (server URLs, extra headers, timeouts), made before any request.

Each refuses what could leak a credential or silently change a request, with a message naming
the problem and never the secret.
"""

from __future__ import annotations

import ipaddress
import math
import re
import warnings
from collections.abc import Mapping
from urllib.parse import urlsplit

from .redact import logger

# Headers the SDK owns: a caller's value would replace the credential, the target or the framing.
_RESERVED_HEADERS = frozenset({"token", "host", "content-length", "transfer-encoding"})
# RFC 9110 field names are tokens; values are visible characters, spaces and tabs (no CR, LF, NUL).
_FIELD_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")


def check_server_url(
    server_url: object,
    *,
    where: str = "server_url",
    stacklevel: int = 4,
    example: str = "https://api.example.com",
) -> str:
    """The URL without a trailing slash; refuses what is not a plain http(s) base URL.

    User info would be sent as Basic credentials and logged with every URL; a query or fragment
    would be glued onto every path. Plain http to a non-loopback host warns (the token would cross
    the network in clear).
    """
    if not server_url or not isinstance(server_url, str):
        raise ValueError(f"{where} is required, e.g. {example!r}")
    parts = urlsplit(server_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{where} must be an http(s) URL with a host, got {_safe(server_url)!r}")
    if "@" in parts.netloc:
        raise ValueError(f"{where} must not contain user info ('user:password@'): pass credentials as token=")
    if parts.query or parts.fragment or server_url.rstrip().endswith(("?", "#")):
        raise ValueError(f"{where} must not have a query or fragment, got {_safe(server_url)!r}")
    if any(c.isspace() or ord(c) < 0x20 for c in server_url):
        raise ValueError(f"{where} must not contain whitespace or control characters")
    if parts.scheme == "http" and not _is_loopback(parts.hostname or ""):
        warnings.warn(
            f"{where} {server_url!r} uses plain http: the token would cross the network unencrypted",
            stacklevel=stacklevel,
        )
        logger.warning("%s uses plain http to a non-loopback host; the token is sent unencrypted", where)
    return server_url.rstrip("/")


def check_headers(headers: Mapping[str, str], credential: str | None = None) -> dict[str, str]:
    """Extra headers as a plain dict; refuses SDK-owned names (and `credential`, the header the
    operation's security scheme sends the token in) and anything that could split a header."""
    reserved = _RESERVED_HEADERS if credential is None else _RESERVED_HEADERS | {credential.lower()}
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"http_headers: {name!r} is not a valid header name")
        if name.lower() in reserved:
            raise ValueError(
                f"http_headers cannot set {name!r}: the SDK sets it (pass the token as token=, "
                "the server as server_url=)"
            )
        if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"http_headers[{name!r}] must be a str, got {type(value).__name__}")
        if not _FIELD_VALUE.fullmatch(value):
            raise ValueError(f"http_headers[{name!r}] contains CR, LF or another control character")
        checked[name] = value
    return checked


def check_timeout(timeout_ms: object) -> float:
    """A timeout of 0, below 0, NaN or infinity would mean "fail at once" or "wait forever"."""
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, (int, float)):
        raise TypeError(f"timeout_ms must be a number of milliseconds, got {type(timeout_ms).__name__}")
    if not math.isfinite(timeout_ms) or timeout_ms <= 0:
        raise ValueError(f"timeout_ms must be a finite number > 0, got {timeout_ms}")
    return timeout_ms


def check_size(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive number of bytes, got {value!r}")
    return value


def _safe(url: str) -> str:
    """The URL without any user info, for messages."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
