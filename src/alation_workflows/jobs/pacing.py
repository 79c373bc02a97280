"""Pacing of status requests: the clock waits run on, and each client's shared request budget.

Every wait on a client (sync `wait()` from any thread, `wait_all`, the async scheduler) takes
a slot from the client's `RequestBudget` before it sends a status request, so the client never
sends more than `PollConfig.requests_per_second` of them, however many jobs it waits on.
Slots are handed out first come, first served (no waiter can starve another).
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any


class Timer:
    """The clock and sleeps the waits use; tests pass a fake one to count requests without waiting."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        import asyncio  # only async waits need it

        await asyncio.sleep(max(0.0, seconds))


REAL_TIME = Timer()


class RequestBudget:
    """At most `rate` requests per second, spaced at least 1/rate apart; 0 means no limit.

    `reserve(now)` books the next free slot and returns when it starts: a caller sleeps until
    then and sends. Booking order is arrival order, which makes the budget fair across waiters.
    """

    def __init__(self, rate: float) -> None:
        if rate < 0:
            raise ValueError(f"requests per second must be >= 0, got {rate}")
        self.rate = rate
        self._gap = 1.0 / rate if rate > 0 else 0.0
        self._next = float("-inf")
        self._lock = threading.Lock()

    def reserve(self, now: float) -> float:
        if self._gap == 0.0:
            return now
        with self._lock:
            slot = max(now, self._next)
            self._next = slot + self._gap
            return slot


_budgets: weakref.WeakKeyDictionary[Any, RequestBudget] = weakref.WeakKeyDictionary()
_budgets_lock = threading.Lock()


def budget_of(client: Any) -> RequestBudget:
    """The one budget of `client`, sized by its `poll_config.requests_per_second` on first use."""
    with _budgets_lock:
        budget = _budgets.get(client)
        if budget is None:
            budget = _budgets[client] = RequestBudget(client.poll_config.requests_per_second)
        return budget
