"""Which failures are retried for which operations, and how long to wait before the next attempt."""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import random
import time

import httpx

from .config import RetryConfig

# Idempotent calls: any of these statuses may be a passing fault.
_IDEMPOTENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Job-submitting calls: only statuses that say the request was not processed. 503 is not one:
# a proxy or a worker may answer it after the job was created.
_SUBMIT_STATUSES = frozenset({429})
# Transport errors raised before the request could reach the server: safe for every operation.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Transport errors after the body may have been sent: retried only when the call is idempotent.
_MAYBE_SENT = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


def never_sent(exc: BaseException) -> bool:
    """True when the request provably did not reach the server (the connection never opened, or
    httpx refused to write it)."""
    return isinstance(exc, (*_NOT_SENT, httpx.LocalProtocolError, httpx.UnsupportedProtocol))


def uncertain_status(status: int) -> bool:
    """A submit answered with this status may still have been carried out (2XX with an unreadable
    body, 408 from a proxy, 5XX); 3XX and other 4XX say it was not."""
    return 200 <= status < 300 or status == 408 or status >= 500


def retryable_status(policy: str, status: int) -> bool:
    return status in (_IDEMPOTENT_STATUSES if policy == "idempotent" else _SUBMIT_STATUSES)


def retryable_exception(policy: str, config: RetryConfig, exc: BaseException) -> bool:
    """True when the failure is transient and retrying cannot duplicate work on the server."""
    if not config.retry_connection_errors:
        return False
    if isinstance(exc, _NOT_SENT):
        return True
    return policy == "idempotent" and isinstance(exc, _MAYBE_SENT)


def retry_after_seconds(response: httpx.Response | None) -> float | None:
    """Parse `Retry-After` (delay seconds or HTTP date); None when absent or unparseable."""
    if response is None:
        return None
    raw = response.headers.get("retry-after")
    if not raw:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # RFC 9110 dates are GMT; "-0000" parses as naive, which would otherwise mean local time.
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - time.time())


def backoff_seconds(config: RetryConfig, attempt: int) -> float:
    """Exponential backoff with equal jitter after failed attempt number `attempt` (1-based)."""
    b = config.backoff
    # Capping the exponent keeps huge attempt counts from overflowing a float.
    power = min(attempt - 1, 64)
    base = min(b.initial_interval * (b.exponent**power), b.max_interval) / 1000
    # Equal jitter: keeps at least half the backoff, spreads the rest so clients do not stampede.
    return base / 2 + random.uniform(0, base / 2)


def next_delay(config: RetryConfig, attempt: int, response: httpx.Response | None) -> float | None:
    """Seconds to wait after failed attempt `attempt`; None when the server asks for more than allowed.

    A `Retry-After` above `config.max_retry_after_ms` is not shortened: retrying earlier than the
    server asked would most likely be refused again, so the caller gets the error (with its
    `Retry-After` header) instead.
    """
    hinted = retry_after_seconds(response)
    if hinted is not None and hinted > 0:
        return hinted if hinted * 1000 <= config.max_retry_after_ms else None
    # No hint, or "0", a negative delay or a date in the past: the normal backoff, never a zero-delay loop.
    return backoff_seconds(config, attempt)


def should_retry(config: RetryConfig, attempt: int, started: float, delay: float | None) -> bool:
    """True when another attempt fits within the attempt cap and the elapsed-time cap."""
    if delay is None or config.strategy == "none" or attempt >= config.max_attempts:
        return False
    elapsed_ms = (time.monotonic() - started + delay) * 1000
    return elapsed_ms <= config.backoff.max_elapsed_time
