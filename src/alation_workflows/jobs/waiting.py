"""Waiting on one or many jobs: per-job poll schedules, a round-robin poller (sync), one scheduler (async).

One `Track` per job holds the decisions (keep polling, done, failed, wait for follow-ups);
the sync driver polls every due job in turn from one thread and sleeps until the next is
due; async waits hand their tracks to the client's one `scheduler.Scheduler` task. Every
status request of either kind first takes a slot of the client's `RequestBudget`.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from .._runtime.config import CallOptions, PollConfig
from .._runtime.exceptions import DeadlineExceededError, WorkflowsError
from .exceptions import (
    JobFailedError,
    JobTimeoutError,
    UnexpectedJobResultError,
    UnexpectedJobStatusError,
)
from .outcomes import JobOutcome
from .pacing import REAL_TIME, Timer, budget_of
from .progress import Clock, ProgressArg, ProgressEvent, Reporter, reporter

if TYPE_CHECKING:  # handles call into this module; it only reads them
    from .handle import AsyncJobHandle, JobHandle

    # The sync poller waits on JobHandles, the async scheduler on AsyncJobHandles.
    AnyHandle: TypeAlias = JobHandle[Any, Any] | AsyncJobHandle[Any, Any]

T = TypeVar("T")
H = TypeVar("H")
# A status request made at the deadline may take this long: the wait's "small slack".
_FINAL_POLL_S = 0.5


class Schedule:
    """Poll delays of one job: the backoff (`initial_interval` x `multiplier`^n, at most
    `max_interval`), capped by `lag_ratio` x the job's age but never below `initial_interval`.
    See `PollConfig` for what the default choice costs in requests."""

    def __init__(self, config: PollConfig, handle: AnyHandle) -> None:
        self.config = config
        self.handle = handle
        if handle.interval is None:
            handle.interval = config.initial_interval
        handle.interval = min(handle.interval, config.max_interval)

    def next_delay(self, now: float) -> float:
        config = self.config
        interval = min(self.handle.interval or config.initial_interval, config.max_interval)
        self.handle.interval = min(interval * config.multiplier, config.max_interval)
        # Never wait longer than lag_ratio of the job's age: its end is seen within that.
        if config.lag_ratio > 0:
            age = now - self.handle.created
            interval = min(interval, max(config.initial_interval, config.lag_ratio * age))
        # Jitter only shortens a wait, so it cannot push detection past the bound above.
        return interval * (1 - random.uniform(0, config.jitter)) if config.jitter else interval

    def first_due(self, now: float) -> float:
        """A fresh job is first asked about `initial_interval` after submission; a resumed one now."""
        if self.handle.polls:
            return now
        return max(now, self.handle.created + self.config.initial_interval)


class Track:
    """The wait of one job (and of the follow-up jobs it names)."""

    def __init__(
        self,
        handle: AnyHandle,
        config: PollConfig,
        deadline: float,
        raise_on_failure: bool,
        follow: bool,
        parent: Track | None = None,
    ) -> None:
        self.handle = handle
        self.schedule = Schedule(config, handle)
        self.deadline = deadline
        self.raise_on_failure = raise_on_failure
        self.follow = follow
        self.parent = parent
        self.children: list[Track] = []
        self.due = 0.0
        self.done = False
        self.value: Any = None
        self.error: BaseException | None = None
        self.reported = False

    @property
    def root(self) -> Track:
        return self if self.parent is None else self.parent.root

    def start(self, now: float) -> list[Track]:
        """Tracks that need a status request now: this one, or its follow-ups if already done."""
        if self.handle.done:
            return self.settle(self.handle.details, now)
        self.due = min(self.schedule.first_due(now), self.deadline)
        return [self]

    def settle(self, details: Any, now: float) -> list[Track]:
        """Apply one status result; returns the tracks that still need polling."""
        handle = self.handle
        verdict = handle.verdict_of(details)
        if verdict == "running":
            if now >= self.deadline:
                self.expire()
                return []
            self.due = min(now + self.schedule.next_delay(now), self.deadline)
            return [self]
        if verdict == "failed":
            msg = handle.message(details)
            failed = JobFailedError(f"job {handle.ref} failed: {msg or 'no message'}", handle, details)
            return self.finish(details, failed if self.raise_on_failure else None)
        if verdict == "unknown":
            unknown = UnexpectedJobStatusError(
                f"job {handle.ref} reported status {handle.status_text(details)!r}, which its polling "
                f"contract ({handle.polling.name}) does not list as running or finished; its details are on .details",
                handle,
                details,
            )
            return self.finish(details, unknown if self.raise_on_failure else None)
        try:
            details = handle.succeeded(details)
        except UnexpectedJobResultError as unexpected:
            return self.finish(details, unexpected if self.raise_on_failure else None)
        followups = handle.followups if self.follow else []
        if not followups:
            return self.finish(details, None)
        self.value = details
        self.children = [
            Track(f, self.schedule.config, self.deadline, self.raise_on_failure, False, self)
            for f in followups
        ]
        polling: list[Track] = []
        for child in self.children:
            polling += child.start(now)
        return polling

    def finish(self, value: Any, error: BaseException | None) -> list[Track]:
        self.done, self.value, self.error = True, value, error
        if self.parent is not None:
            self.parent.child_done()
        return []

    def status_options(self, timer: Timer) -> CallOptions:
        """Each status request (its retries and timeouts included) ends by the wait's deadline."""
        return CallOptions(deadline=time.monotonic() + (self.deadline - timer.now()) + _FINAL_POLL_S)

    def fail(self, error: BaseException) -> None:
        """A status request itself failed (HTTP error, network error after the runtime's retries)."""
        if isinstance(error, DeadlineExceededError):
            self.expire(error)
            return
        if isinstance(error, WorkflowsError) and error.handle is None:
            # The caller of wait() may only hold the error: it must still name the job to resume.
            error.handle = self.handle
        self.finish(None, error)

    def expire(self, cause: BaseException | None = None) -> None:
        root = self.root
        what = (
            f"follow-up job {self.handle.ref} of job {root.handle.ref}"
            if self.parent
            else f"job {root.handle.ref}"
        )
        error = JobTimeoutError(
            f"{what} still {self.handle.status_text() or 'not polled'!s} after "
            f"{self.handle.polls} status checks; call wait() again to resume",
            root.handle,
            root.handle.details,
        )
        error.__cause__ = cause  # e.g. the status request that was cut off at the deadline
        self.finish(None, error)

    def child_done(self) -> None:
        if self.done or not all(c.done for c in self.children):
            return
        error = next((c.error for c in self.children if c.error is not None), None)
        self.finish(self.value, error)


# -- shared by the drivers --------------------------------------------------------------------


def check_wait_timeout(timeout: object) -> None:
    """Refuse NaN, infinities, negatives and booleans before anything is submitted or polled."""
    if timeout is None:
        return
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of seconds, got {type(timeout).__name__}")
    if not (0 <= timeout < math.inf):
        raise ValueError(f"timeout must be a finite number of seconds >= 0, got {timeout}")


def _deadline(config: PollConfig, timeout: float | None, timer: Timer = REAL_TIME) -> float:
    check_wait_timeout(timeout)
    return timer.now() + (config.timeout if timeout is None else timeout)


def _report(
    tracks: Sequence[Track], report: Reporter, clock: Clock, batch_of: Callable[[Track], int | None]
) -> None:
    for t in tracks:
        if t.done and not t.reported:
            t.reported = True
            status = t.handle.status_text() or None
            report(
                clock.event(
                    "failed" if t.error is not None else "finished",
                    t.handle,
                    status=status,
                    error=t.error,
                    batch=batch_of(t),
                )
            )


def _polled(clock: Clock, track: Track, details: Any) -> ProgressEvent:
    h = track.handle
    return clock.event("polled", track.root.handle, status=h.status_text(details), job_progress=h.progress)


def _checked(handles: Sequence[H], want_async: bool, other: str) -> list[H]:
    handles = list(handles)
    for h in handles:
        kind = getattr(type(h), "is_async", None)
        if kind is not want_async:
            hint = f"; use {other}() for {type(h).__name__}s" if kind is not None else ""
            expected = "AsyncJobHandle" if want_async else "JobHandle"
            raise TypeError(f"expected {expected}s, got {type(h).__name__}{hint}")
    return handles


def _no_batch(t: Track) -> int | None:
    return None


# -- sync driver -------------------------------------------------------------------------------


class _Poller:
    """Round-robin poller: polls each due job (earliest due first), then sleeps until the next one is due."""

    def __init__(self, report: Reporter, clock: Clock, workers: int, timer: Timer = REAL_TIME) -> None:
        if workers < 1:
            raise ValueError(f"concurrency must be >= 1, got {workers}")
        self.report = report
        self.clock = clock
        self.workers = workers
        self.timer = timer
        self.tracks: list[Track] = []
        self.polling: list[Track] = []
        self.batch_of: Callable[[Track], int | None] = _no_batch

    def add(self, track: Track) -> None:
        self.tracks.append(track)
        self.polling += track.start(self.timer.now())

    def _poll(self, track: Track) -> tuple[Track, Any, BaseException | None]:
        try:
            # The client's budget is shared with every other wait on it: take a slot, then send.
            slot = budget_of(track.handle.client).reserve(self.timer.now())
            self.timer.sleep(slot - self.timer.now())
            return track, track.handle.status(opts=track.status_options(self.timer)), None
        except Exception as exc:  # kept on the job's outcome, never lost
            return track, None, exc

    def run(self, feed: Callable[[], bool] | None = None, pool: ThreadPoolExecutor | None = None) -> None:
        """Poll until every job is settled; `feed()` may add jobs and says whether more may come."""
        more = True
        while True:
            if feed is not None and more:
                more = feed()
            _report(self.tracks, self.report, self.clock, self.batch_of)
            if not self.polling:
                if feed is None or not more:
                    return
                continue
            now = self.timer.now()
            due = sorted((t for t in self.polling if t.due <= now), key=lambda t: t.due)
            if not due:
                self.timer.sleep(min(t.due for t in self.polling) - now)
                continue
            rest: list[Track] = [t for t in self.polling if t.due > now]
            results = pool.map(self._poll, due) if pool is not None else map(self._poll, due)
            for track, details, error in results:
                if error is not None:
                    track.fail(error)
                    continue
                again = track.settle(details, self.timer.now())
                if track in again and not track.done:
                    self.report(_polled(self.clock, track, details))
                rest += again
            self.polling = rest

    def run_all(self, feed: Callable[[], bool] | None = None) -> None:
        if self.workers == 1:
            self.run(feed)
            return
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="alation-poll") as pool:
            self.run(feed, pool)


def wait_one(
    handle: JobHandle[T, Any],
    timeout: float | None,
    poll: PollConfig | None,
    raise_on_failure: bool,
    follow: bool,
    progress: ProgressArg,
    timer: Timer = REAL_TIME,
) -> T:
    config = poll or handle.client.poll_config
    track = Track(handle, config, _deadline(config, timeout, timer), raise_on_failure, follow)
    report = reporter(progress, "job")
    try:
        poller = _Poller(report, Clock(1), 1, timer)
        poller.add(track)
        poller.run()
    finally:
        report.close()
    if track.error is not None:
        raise track.error
    value: T = track.value
    return value


def wait_all(
    handles: Sequence[JobHandle[T, Any]],
    *,
    concurrency: int = 1,
    timeout: float | None = None,
    poll: PollConfig | None = None,
    raise_on_failure: bool = True,
    follow: bool = True,
    progress: ProgressArg = None,
) -> list[JobOutcome[T]]:
    """Wait for every job; one `JobOutcome` per handle, in order, each with details or an error.

    One thread polls the jobs round-robin, each on its own schedule, earliest due first;
    `concurrency` > 1 sends the status requests that are due at the same moment from that
    many threads. Every request takes a slot of the client's request budget
    (`PollConfig.requests_per_second`, shared with all other waits on the client).
    `timeout` bounds the whole call (default `poll.timeout`): jobs still running then get a
    `JobTimeoutError` outcome and can be resumed with `wait()` / `wait_all()`.
    """
    handles = _checked(handles, False, "wait_all_async")
    if not handles:
        return []
    config = poll or handles[0].client.poll_config
    deadline = _deadline(config, timeout)
    report = reporter(progress, "jobs")
    try:
        poller = _Poller(report, Clock(len(handles)), concurrency)
        for h in handles:
            poller.add(Track(h, config, deadline, raise_on_failure, follow))
        poller.run_all()
    finally:
        report.close()
    return [JobOutcome(t.handle, t.value, t.error) for t in poller.tracks]


# -- async: every wait goes through the client's one scheduler -----------------------------------


async def _scheduled(tracks: list[Track], report: Reporter, clock: Clock, limit: int) -> None:
    from .scheduler import scheduled

    def polled(track: Track, details: Any) -> None:
        report(_polled(clock, track, details))

    await scheduled(
        tracks, limit=limit, polled=polled, settled=lambda: _report(tracks, report, clock, _no_batch)
    )


async def wait_one_async(
    handle: AsyncJobHandle[T, Any],
    timeout: float | None,
    poll: PollConfig | None,
    raise_on_failure: bool,
    follow: bool,
    progress: ProgressArg,
) -> T:
    config = poll or handle.client.poll_config
    track = Track(handle, config, _deadline(config, timeout), raise_on_failure, follow)
    report = reporter(progress, "job")
    try:
        await _scheduled([track], report, Clock(1), limit=1)
    finally:
        report.close()
    if track.error is not None:
        raise track.error
    value: T = track.value
    return value


async def wait_all_async(
    handles: Sequence[AsyncJobHandle[T, Any]],
    *,
    concurrency: int = 8,
    timeout: float | None = None,
    poll: PollConfig | None = None,
    raise_on_failure: bool = True,
    follow: bool = True,
    progress: ProgressArg = None,
) -> list[JobOutcome[T]]:
    """The asyncio twin of `wait_all`: the jobs join the client's one scheduler task (shared with
    every other async wait on the client, `asyncio.gather` of `wait()`s included), which polls
    the earliest due job first within the client's request budget; at most `concurrency` of
    this call's status requests are in flight at once."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be >= 1, got {concurrency}")
    handles = _checked(handles, True, "wait_all")
    if not handles:
        return []
    config = poll or handles[0].client.poll_config
    deadline = _deadline(config, timeout)
    tracks = [Track(h, config, deadline, raise_on_failure, follow) for h in handles]
    report = reporter(progress, "jobs")
    try:
        await _scheduled(tracks, report, Clock(len(tracks)), limit=concurrency)
    finally:
        report.close()
    return [JobOutcome(t.handle, t.value, t.error) for t in tracks]
