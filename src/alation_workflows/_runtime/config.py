"""Retry settings (Speakeasy-compatible surface) and per-call options."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal


def _finite(name: str, value: object, *, integer: bool = False) -> None:
    """Refuse NaN, infinities, booleans and non-numbers: they would mean "never" or "at once"."""
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        kind = "an integer" if integer else "a number"
        raise TypeError(f"{name} must be {kind}, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")


@dataclass(frozen=True)
class BackoffStrategy:
    """Exponential backoff: intervals in milliseconds, elapsed-time cap across all attempts."""

    initial_interval: int = 200
    """Wait before the first retry (milliseconds)."""
    max_interval: int = 10_000
    """Longest wait between two attempts (milliseconds)."""
    exponent: float = 2.0
    """Factor the wait grows by after each attempt."""
    max_elapsed_time: int = 60_000
    """No retry starts after this much time since the first attempt (milliseconds)."""

    def __post_init__(self) -> None:
        for name in ("initial_interval", "max_interval", "max_elapsed_time", "exponent"):
            _finite(f"BackoffStrategy.{name}", getattr(self, name))
        if self.initial_interval < 0 or self.max_interval < 0 or self.max_elapsed_time < 0:
            raise ValueError("BackoffStrategy intervals must be >= 0 milliseconds")
        if self.exponent < 1:
            raise ValueError(f"BackoffStrategy.exponent must be >= 1, got {self.exponent}")


@dataclass(frozen=True)
class RetryConfig:
    """When and how often a failed request is sent again.

    `strategy` is "backoff" or "none". Whether an operation may be retried at all, and on
    what, is decided per operation by the spec (`x-retries`); this only tunes the timing.
    `max_attempts` counts every request sent (first one included); `backoff.max_elapsed_time`
    caps the total time including waits. A `Retry-After` longer than `max_retry_after_ms` is
    not waited out: the call fails with the server's response instead.
    """

    strategy: Literal["backoff", "none"] = "backoff"
    """Either "backoff" (exponential backoff between attempts) or "none" (each request is sent once)."""
    backoff: BackoffStrategy = field(default_factory=BackoffStrategy)
    """Timing of the retries."""
    retry_connection_errors: bool = True
    """Also retry when no response arrived (connection refused, reset, timeout), where the operation allows it."""
    max_attempts: int = 5
    """Most requests sent for one call, the first included."""
    max_retry_after_ms: int = 60_000
    """Longest wait a `Retry-After` header can impose (milliseconds)."""

    def __post_init__(self) -> None:
        if not isinstance(self.backoff, BackoffStrategy):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(
                f"RetryConfig.backoff must be a BackoffStrategy, got {type(self.backoff).__name__}"
            )
        _finite("RetryConfig.max_attempts", self.max_attempts, integer=True)
        _finite("RetryConfig.max_retry_after_ms", self.max_retry_after_ms)
        if self.strategy not in ("backoff", "none"):
            raise ValueError(f"RetryConfig.strategy must be 'backoff' or 'none', got {self.strategy!r}")
        if self.max_attempts < 1:
            raise ValueError(f"RetryConfig.max_attempts must be >= 1, got {self.max_attempts}")
        if self.max_retry_after_ms < 0:
            raise ValueError(f"RetryConfig.max_retry_after_ms must be >= 0, got {self.max_retry_after_ms}")


NO_RETRIES = RetryConfig(strategy="none", max_attempts=1)


@dataclass(frozen=True, slots=True)
class CallOptions:
    """Per-call overrides of the client defaults; None means "use the client's".

    The last three are for the SDK's own callers (job waits, token providers): `deadline`
    (a `time.monotonic()` instant) bounds the whole call, retries and each request's timeout
    included; `follow_redirects=False` answers a redirect with an `APIError` instead of sending
    the body on; `secrets` are blanked out of every error the call raises.
    """

    retries: RetryConfig | None = None
    timeout_ms: int | None = None
    server_url: str | None = None
    http_headers: Mapping[str, str] | None = None
    deadline: float | None = None
    follow_redirects: bool = True
    secrets: tuple[str, ...] = ()


@dataclass(frozen=True)
class PollConfig:
    """How jobs are polled; every time is in seconds.

    The default schedule bounds both lag and load: the first status request goes out
    `initial_interval` (0.09 s) after submission, and each later wait is at most `lag_ratio`
    (0.33) of the job's age, at least `initial_interval` and at most `max_interval` (60 s). A
    job is therefore seen within max(0.1 s, a third of its duration) of ending, at a cost of
    at most 14 status requests for a 5 s job, 20 for 30 s and 33 for 10 minutes
    (tests/test_poll_schedule.py counts them on a fake clock). The backoff term
    (`initial_interval` x `multiplier` per request, 2.0) only matters with `lag_ratio=0`,
    which gives a classic exponential backoff instead. `jitter` (default 0) shortens each
    wait at random by up to that fraction: it spreads many clients apart but costs requests.
    `requests_per_second` (20) is the client-wide budget shared by every wait on the client
    (the client's own config decides it; a per-wait `poll=` only changes that wait's schedule);
    0 lifts it. `timeout` (3600 s) bounds one `wait()` call.
    """

    initial_interval: float = 0.09
    """Wait before the first status request, and the shortest wait between two (seconds)."""
    multiplier: float = 2.0
    """Factor the backoff grows by after each status request (binds only when `lag_ratio` is 0 or small)."""
    max_interval: float = 60.0
    """Longest wait between two status requests (seconds)."""
    timeout: float = 3600.0
    """`wait()` raises `JobTimeoutError` after this many seconds (overridden by `wait(timeout=...)`)."""
    jitter: float = 0.0
    """Random shortening applied to each wait (fraction, 0.1 = up to 10 % shorter)."""
    # Cap each wait at this fraction of the job's age (0 disables): a job that ends is seen within it.
    lag_ratio: float = 0.33
    """Each wait is at most this fraction of the job's age (but at least `initial_interval`), so a finished job is seen within max(0.1 s, a third) of its duration at 0.33, for at most 14 / 20 / 33 status requests over a 5 s / 30 s / 10 min job with the other defaults; 0 disables."""
    requests_per_second: float = 20.0
    """Status requests per second for the whole client, shared by every wait on it, first come first served; 0 lifts the limit."""

    def __post_init__(self) -> None:
        names = ("initial_interval", "multiplier", "max_interval", "timeout", "jitter", "lag_ratio")
        for name in (*names, "requests_per_second"):
            _finite(f"PollConfig.{name}", getattr(self, name))
        if self.initial_interval <= 0 or self.max_interval <= 0:
            raise ValueError("PollConfig intervals must be > 0 seconds")
        if self.multiplier < 1:
            raise ValueError(f"PollConfig.multiplier must be >= 1, got {self.multiplier}")
        if self.timeout <= 0:
            raise ValueError(f"PollConfig.timeout must be > 0 seconds, got {self.timeout}")
        if not 0 <= self.lag_ratio <= 1:
            raise ValueError(f"PollConfig.lag_ratio must be in [0, 1], got {self.lag_ratio}")
        if not 0 <= self.jitter < 1:
            raise ValueError(f"PollConfig.jitter must be in [0, 1), got {self.jitter}")
        if self.requests_per_second < 0:
            raise ValueError(
                f"PollConfig.requests_per_second must be >= 0 (0 = no limit), got {self.requests_per_second}"
            )
