"""Submit a large item list as server-sized batches, one job each, and collect every batch's outcome."""

from __future__ import annotations

import asyncio
import inspect
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .._runtime.config import PollConfig
from .._runtime.group import operation_of
from .handle import AsyncJobHandle, JobHandle
from .outcomes import partial_failures
from .progress import Clock, ProgressArg, reporter
from .waiting import _deadline, _drive, _Poller, _report, _Track, check_wait_timeout

T = TypeVar("T")


@dataclass(slots=True)
class BatchOutcome(Generic[T]):
    """One batch: `items[start:stop]` became `handle` (None if the submit failed) and ended
    with typed `details` or an `error` (neither when `wait=False`)."""

    index: int
    start: int
    stop: int
    handle: JobHandle[T] | AsyncJobHandle[T] | None = None
    details: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def problems(self) -> list[str]:
        """Partial failures reported inside the batch's successful job."""
        return [] if self.details is None else partial_failures(self.details)

    def unwrap(self) -> T:
        """The details, or raise the error (or a RuntimeError when the batch was not waited on)."""
        if self.error is not None:
            raise self.error
        if self.details is None:
            raise RuntimeError(f"batch {self.index} has no details: it was submitted with wait=False")
        return self.details


def plan(method: Callable[..., Any], count: int, batch_size: int | None) -> list[tuple[int, int]]:
    """Item ranges [start, stop) of each batch, within the operation's server limit (`x-batch-limit`)."""
    op = operation_of(method)
    label = op.id if op is not None else getattr(method, "__qualname__", repr(method))
    if op is not None and op.job is None:
        raise ValueError(f"{label} does not start a job; submit_batches needs a job operation")
    limit = op.batch_limit if op is not None else None
    if batch_size is None:
        if limit is None:
            raise ValueError(f"no batch limit is known for {label}: pass batch_size=")
        batch_size = limit
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if limit is not None and batch_size > limit:
        raise ValueError(f"batch_size {batch_size} exceeds the server limit of {limit} items for {label}")
    return [(a, min(a + batch_size, count)) for a in range(0, count, batch_size)]


def _request(method: Callable[..., Any], items: Sequence[Any], outcome: BatchOutcome[Any]) -> Any:
    """One batch's request body: the slice itself, or wrapped in the object body the spec names."""
    part = list(items[outcome.start : outcome.stop])
    op = operation_of(method)
    return {op.batch_field: part} if op is not None and op.batch_field else part


def _items(items: Sequence[Any]) -> Sequence[Any]:
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise TypeError(
            f"items must be a sequence (list or tuple) of request items, got {type(items).__name__}"
        )
    return items


def _check(concurrency: int, timeout: float | None) -> None:
    if concurrency < 1:
        raise ValueError(f"concurrency must be >= 1, got {concurrency}")
    check_wait_timeout(timeout)


def submit_batches(
    method: Callable[..., JobHandle[T]],
    items: Sequence[Any],
    *,
    batch_size: int | None = None,
    concurrency: int = 4,
    wait: bool = True,
    timeout: float | None = None,
    poll: PollConfig | None = None,
    raise_on_failure: bool = True,
    follow: bool = True,
    progress: ProgressArg = None,
    **kwargs: Any,
) -> list[BatchOutcome[T]]:
    """Split `items` into batches, submit each with `method(request=batch, **kwargs)`, wait for all.

    `batch_size` defaults to the operation's server limit from the spec. At most `concurrency`
    jobs run at once (a batch is submitted when an earlier one finishes); `timeout` bounds each
    batch's wait from its submission. Returns one `BatchOutcome` per batch, in order: a submit
    error, a failed job or a timeout is recorded on its batch and the others carry on.
    """
    if inspect.iscoroutinefunction(method):
        raise TypeError(f"{method.__name__} is async: use submit_batches_async()")
    items = _items(items)
    ranges = plan(method, len(items), batch_size)
    _check(concurrency, timeout)
    outcomes: list[BatchOutcome[T]] = [BatchOutcome(i, a, b) for i, (a, b) in enumerate(ranges)]
    pending = deque(outcomes)
    clock = Clock(len(outcomes))
    report = reporter(progress, "batches")
    poller = _Poller(report, clock, 1)
    batch_of: dict[int, int] = {}
    poller.batch_of = lambda t: batch_of.get(id(t))

    def submit(outcome: BatchOutcome[T]) -> JobHandle[T] | None:
        try:
            handle = method(request=_request(method, items, outcome), **kwargs)
        except Exception as exc:  # recorded on this batch; the others carry on
            outcome.error = exc
            report(clock.event("failed", None, error=exc, batch=outcome.index))
            return None
        outcome.handle = handle
        report(clock.event("submitted", handle, batch=outcome.index))
        return handle

    def feed() -> bool:
        in_flight = sum(1 for t in poller.tracks if not t.done)
        while pending and in_flight < concurrency:
            outcome = pending.popleft()
            handle = submit(outcome)
            if handle is None:
                continue
            config = poll or handle.client.poll_config
            track = _Track(handle, config, _deadline(config, timeout), raise_on_failure, follow)
            batch_of[id(track)] = outcome.index
            poller.add(track)
            in_flight += 1
        return bool(pending)

    try:
        if not wait:
            while pending:
                submit(pending.popleft())
            return outcomes
        poller.run(feed)
    finally:
        report.close()
    for track in poller.tracks:
        done = outcomes[batch_of[id(track)]]
        done.details, done.error = track.value, track.error
    return outcomes


async def submit_batches_async(
    method: Callable[..., Awaitable[AsyncJobHandle[T]]],
    items: Sequence[Any],
    *,
    batch_size: int | None = None,
    concurrency: int = 4,
    wait: bool = True,
    timeout: float | None = None,
    poll: PollConfig | None = None,
    raise_on_failure: bool = True,
    follow: bool = True,
    progress: ProgressArg = None,
    **kwargs: Any,
) -> list[BatchOutcome[T]]:
    """The asyncio twin of `submit_batches`: at most `concurrency` batches submitted or running at once."""
    if not inspect.iscoroutinefunction(method):
        raise TypeError(f"{getattr(method, '__name__', method)} is not async: use submit_batches()")
    items = _items(items)
    ranges = plan(method, len(items), batch_size)
    _check(concurrency, timeout)
    outcomes: list[BatchOutcome[T]] = [BatchOutcome(i, a, b) for i, (a, b) in enumerate(ranges)]
    clock = Clock(len(outcomes))
    report = reporter(progress, "batches")
    slots = asyncio.Semaphore(concurrency)
    requests = asyncio.Semaphore(concurrency)

    async def one(outcome: BatchOutcome[T]) -> None:
        async with slots:
            try:
                handle = await method(request=_request(method, items, outcome), **kwargs)
            except Exception as exc:  # recorded on this batch; the others carry on
                outcome.error = exc
                report(clock.event("failed", None, error=exc, batch=outcome.index))
                return
            outcome.handle = handle
            report(clock.event("submitted", handle, batch=outcome.index))
            if not wait:
                return
            config = poll or handle.client.poll_config
            track = _Track(handle, config, _deadline(config, timeout), raise_on_failure, follow)
            try:
                await _drive(track, requests, report, clock)
            except Exception as exc:  # a bug in a progress callback: still recorded on this batch
                if not track.done:
                    track.fail(exc)
            outcome.details, outcome.error = track.value, track.error
            _report([track], report, clock, lambda t: outcome.index)

    try:
        await asyncio.gather(*(one(o) for o in outcomes))
    finally:
        report.close()
    return outcomes
