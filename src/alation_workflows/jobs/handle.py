"""`JobHandle[T]`: a submitted job that knows how to poll itself and parse its typed details."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .._runtime.config import CallOptions, PollConfig
from .._runtime.operation import JobLink
from .errors import JobFailedError, JobTimeoutError, UnexpectedJobStatusError

if TYPE_CHECKING:
    from .._runtime.client import BaseClient

T = TypeVar("T")

# Statuses after which Alation's job will not change again.
_TERMINAL_OK = "successful"
_TERMINAL_FAILED = "failed"
# Not documented by Alation but seen in similar job APIs; treated as "still running".
_STILL_RUNNING = frozenset({"running", "queued", "pending", "in_progress", "started", "na"})


@dataclass(frozen=True, slots=True)
class JobRef:
    """How to ask for a job: by integer id or by name (exactly one is set)."""

    id: int | None = None
    name: str | None = None

    def args(self) -> dict[str, Any]:
        return {"id": self.id} if self.id is not None else {"name": self.name}

    def __str__(self) -> str:
        return f"id={self.id}" if self.id is not None else f"name={self.name}"


def resolve_ref(link: JobLink, submitted: Any) -> JobRef:
    """Find the job id or name in a submit response using the spec's link pointers."""
    body = submitted.to_wire() if hasattr(submitted, "to_wire") else submitted
    for param, pointer in link.sources:
        value = _pointer(body, pointer)
        if value is not None:
            return JobRef(**{param: value})
    raise ValueError(f"the submit response carries no job id or name: {body!r}")


def _pointer(doc: Any, pointer: str) -> Any:
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(doc, dict) and token in doc:
            doc = doc[token]
        else:
            return None
    return doc


def status_of(details: Any) -> str:
    status = getattr(details, "status", None)
    return str(getattr(status, "value", status) or "").lower()


class _Poller:
    """Poll intervals: start fast so short jobs return quickly, back off for long ones."""

    def __init__(self, config: PollConfig, timeout: float | None) -> None:
        self.config = config
        self.deadline = time.monotonic() + (timeout if timeout is not None else config.timeout)
        self.interval = config.initial_interval
        self.polls = 0

    def next_sleep(self) -> float | None:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return None
        jitter = 1 + random.uniform(-self.config.jitter, self.config.jitter)
        sleep = min(self.interval * jitter, remaining)
        self.interval = min(self.interval * self.config.multiplier, self.config.max_interval)
        return sleep


class _HandleBase(Generic[T]):
    def __init__(self, client: BaseClient, link: JobLink, submitted: Any) -> None:
        self._client = client
        self.link = link
        self.submitted = submitted
        self.ref = resolve_ref(link, submitted)
        self.details: T | None = None
        self.polls = 0

    @property
    def id(self) -> int | None:
        return self.ref.id

    @property
    def name(self) -> str | None:
        return self.ref.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.ref}, details={type(self.details).__name__ if self.details else None})"

    def _settle(self, details: T, raise_on_failure: bool) -> T | None:
        """Return the details when the job is over, None while it runs; raise for failures."""
        self.details = details
        status = status_of(details)
        if status == _TERMINAL_OK:
            return details
        if status == _TERMINAL_FAILED:
            if raise_on_failure:
                raise JobFailedError(f"job {self.ref} failed: {getattr(details, 'msg', '')}", self, details)
            return details
        if status in _STILL_RUNNING:
            return None
        raise UnexpectedJobStatusError(f"job {self.ref} reported unknown status {status!r}", self, details)

    def _timeout(self, poller: _Poller) -> JobTimeoutError:
        return JobTimeoutError(
            f"job {self.ref} still running after {self.polls} status checks; call wait() again to resume",
            self,
            self.details,
        )


class JobHandle(_HandleBase[T]):
    """A submitted job; `wait()` polls the job-status operation and returns the typed details `T`."""

    def status(self, *, opts: CallOptions = CallOptions()) -> T:
        """One status request, parsed into this operation's job-details model."""
        self.polls += 1
        details: T = self._client._invoke(
            self.link.status_operation, "get_job_status", self.ref.args(), None, opts, self.link.details
        )
        self.details = details
        return details

    def wait(
        self,
        *,
        timeout: float | None = None,
        poll: PollConfig | None = None,
        raise_on_failure: bool = True,
        on_poll: Callable[[JobHandle[T]], None] | None = None,
    ) -> T:
        """Poll until the job ends; `timeout` (seconds) defaults to the client's poll config."""
        poller = _Poller(poll or self._client.poll_config, timeout)
        while True:
            done = self._settle(self.status(), raise_on_failure)
            if on_poll is not None:
                on_poll(self)
            if done is not None:
                return done
            sleep = poller.next_sleep()
            if sleep is None:
                raise self._timeout(poller)
            time.sleep(sleep)


class AsyncJobHandle(_HandleBase[T]):
    """The asyncio twin of `JobHandle`."""

    async def status(self, *, opts: CallOptions = CallOptions()) -> T:
        self.polls += 1
        details: T = await self._client._invoke_async(
            self.link.status_operation, "get_job_status", self.ref.args(), None, opts, self.link.details
        )
        self.details = details
        return details

    async def wait(
        self,
        *,
        timeout: float | None = None,
        poll: PollConfig | None = None,
        raise_on_failure: bool = True,
        on_poll: Callable[[AsyncJobHandle[T]], None] | None = None,
    ) -> T:
        poller = _Poller(poll or self._client.poll_config, timeout)
        while True:
            done = self._settle(await self.status(), raise_on_failure)
            if on_poll is not None:
                on_poll(self)
            if done is not None:
                return done
            sleep = poller.next_sleep()
            if sleep is None:
                raise self._timeout(poller)
            await asyncio.sleep(sleep)
