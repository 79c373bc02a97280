"""The one async poller of a client: every async wait on it (`wait()`, `wait_all_async`, a
`gather` of `wait()`s, batch runs) hands its jobs to the same scheduler task.

The scheduler keeps the jobs in a heap ordered by when each is due, polls the earliest due
first, takes a slot of the client's `RequestBudget` before each status request, and bounds the
requests in flight. One timer and a handful of requests in flight replace one sleeping task
per job: 1 000 waits neither flood Alation nor burn the event loop.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .pacing import REAL_TIME, Timer, budget_of

if TYPE_CHECKING:
    from .waiting import Track

# What a wait is told: a job was polled and is still running (track, details); some jobs settled.
Polled = Callable[["Track", Any], None]
Settled = Callable[[], None]

# Status requests in flight per client and event loop, whatever the waits ask for.
MAX_IN_FLIGHT = 32


class _Group:
    """The tracks of one wait call: its own in-flight limit, progress reporter and completion."""

    def __init__(self, roots: list[Track], limit: int | None, polled: Polled, settled: Settled) -> None:
        self.roots = roots
        self.limit = limit
        self.polled = polled
        self.settled = settled
        self.in_flight = 0
        self.blocked: list[Track] = []
        self.cancelled = False
        self.done = asyncio.get_running_loop().create_future()

    def check(self) -> None:
        """Report jobs that ended; complete the wait once every root job is settled."""
        self.settled()
        if not self.done.done() and all(r.done for r in self.roots):
            self.done.set_result(None)

    def fail(self, error: BaseException) -> None:
        if not self.done.done():
            self.done.set_exception(error)


class Scheduler:
    """One per client and event loop; see the module docstring."""

    def __init__(self, client: Any, timer: Timer = REAL_TIME) -> None:
        self.timer = timer
        self.budget = budget_of(client)
        self.heap: list[tuple[float, int, Track, _Group]] = []
        self.seq = itertools.count()
        self.wake = asyncio.Event()
        self.slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.driver: asyncio.Task[None] | None = None
        self.polls: set[asyncio.Task[None]] = set()

    def add(self, track: Track, group: _Group) -> None:
        heapq.heappush(self.heap, (track.due, next(self.seq), track, group))
        self.wake.set()
        if self.driver is None or self.driver.done():
            self.driver = asyncio.get_running_loop().create_task(self._drive())

    async def _drive(self) -> None:
        try:
            await self._loop()
        except Exception as exc:  # a bug here must not leave any wait hanging: each gets the error
            for _, _, _, group in self.heap:
                group.fail(exc)
            self.heap.clear()

    async def _loop(self) -> None:
        while self.heap:
            due, _, track, group = self.heap[0]
            if group.cancelled or track.done:
                heapq.heappop(self.heap)
                continue
            delay = due - self.timer.now()
            if delay > 0:
                self.wake.clear()
                try:  # until the earliest job is due, or an earlier one arrives
                    await asyncio.wait_for(self.wake.wait(), delay)
                except TimeoutError:
                    pass
                continue
            heapq.heappop(self.heap)
            if group.limit is not None and group.in_flight >= group.limit:
                group.blocked.append(track)  # back in the heap when one of its requests returns
                continue
            await self.slots.acquire()
            slot = self.budget.reserve(self.timer.now())
            await self.timer.asleep(slot - self.timer.now())
            group.in_flight += 1
            task = asyncio.get_running_loop().create_task(self._poll(track, group))
            self.polls.add(task)
            task.add_done_callback(self.polls.discard)

    async def _poll(self, track: Track, group: _Group) -> None:
        try:
            try:
                details = await track.handle.status(opts=track.status_options(self.timer))
            except Exception as exc:  # kept on the job's outcome, never lost
                track.fail(exc)
                again: list[Track] = []
            else:
                again = track.settle(details, self.timer.now())
                if track in again and not track.done:
                    group.polled(track, details)
        except Exception as exc:  # a bug in a progress callback: recorded on this job's outcome
            if not track.done:
                track.fail(exc)
            again = []
        finally:
            self.slots.release()
            group.in_flight -= 1
        if group.cancelled:
            return
        if group.blocked:
            self.add(group.blocked.pop(0), group)
        for t in again:
            self.add(t, group)
        try:
            group.check()
        except Exception as exc:  # a progress callback raised while reporting the end
            group.fail(exc)


_schedulers: weakref.WeakKeyDictionary[Any, tuple[asyncio.AbstractEventLoop, Scheduler]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def scheduler_of(client: Any) -> Scheduler:
    """The scheduler of `client` on the running event loop (a new loop gets a new one)."""
    loop = asyncio.get_running_loop()
    with _lock:
        entry = _schedulers.get(client)
        if entry is None or entry[0] is not loop:
            entry = _schedulers[client] = (loop, Scheduler(client))
        return entry[1]


async def scheduled(roots: list[Track], *, limit: int | None, polled: Polled, settled: Settled) -> None:
    """Wait until every root track (and its follow-ups) is settled, polled by the client's scheduler.

    `limit` bounds this wait's requests in flight; `polled` and `settled` report progress.
    """
    if not roots:
        return
    group = _Group(roots, limit, polled, settled)
    for root in roots:
        scheduler = scheduler_of(root.handle.client)
        for track in root.start(scheduler.timer.now()):
            scheduler.add(track, group)
    group.check()
    try:
        await group.done
    except asyncio.CancelledError:
        group.cancelled = True  # its tracks leave the heap the next time they come up
        raise
