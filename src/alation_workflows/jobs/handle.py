"""`JobHandle[T]`: a submitted job that knows how to poll itself and parse its typed details.

Statuses (Alation documents `running`, `successful`, `failed`; allie-sdk issue #132 hangs on
anything else):
- `running` and the queue-like values in `RUNNING_STATUSES` keep the wait polling;
- `successful` returns the typed details (after following any follow-up job it names);
- `failed` raises `JobFailedError` (or returns the details with `raise_on_failure=False`);
- any other value, including an empty one, is *terminal-unknown*: `UnexpectedJobStatusError`
  carrying the details as sent (or the details with `raise_on_failure=False`). A later `wait()`
  polls again, in case the value was transient.
Every wait is bounded by a timeout (`PollConfig.timeout` unless given), after which
`JobTimeoutError` carries the handle: call `wait()` on it again to resume.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from .._runtime.config import CallOptions, PollConfig
from .._runtime.operation import JobLink, LazyType, Operation
from .._runtime.pointer import resolve
from .outcomes import followup_job_ids, partial_failures
from .progress import ProgressArg

if TYPE_CHECKING:
    from .._runtime.client import BaseClient
    from ..models import JobDetails

T = TypeVar("T")
U = TypeVar("U")

Verdict = Literal["running", "successful", "failed", "unknown"]

# Alation documents only `running`; the others are queue states seen in similar task APIs
# (a business policy task starts as state QUEUED / status NA).
RUNNING_STATUSES = frozenset({"running", "queued", "pending", "in_progress", "started", "processing", "na"})

_FORMAT = "alation-workflows/job-handle@1"


@dataclass(frozen=True, slots=True)
class JobRef:
    """How to ask for a job: by integer id or by name (exactly one is set)."""

    id: int | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        if (self.id is None) == (self.name is None):
            raise ValueError("a JobRef needs exactly one of id or name")
        # A boolean is an int to Python: `true` from a server must not become job 1.
        if self.id is not None and (isinstance(self.id, bool) or not isinstance(self.id, int)):
            raise TypeError(f"a job id must be an integer, got {type(self.id).__name__}")
        if self.name is not None and (not isinstance(self.name, str) or not self.name):
            raise TypeError(f"a job name must be a non-empty string, got {self.name!r}")

    def args(self) -> dict[str, Any]:
        return {"id": self.id} if self.id is not None else {"name": self.name}

    def __str__(self) -> str:
        return f"id={self.id}" if self.id is not None else f"name={self.name}"


def resolve_ref(link: JobLink, submitted: Any) -> JobRef:
    """Find the job id or name in a submit response using the spec's link pointers."""
    body = submitted.to_wire() if hasattr(submitted, "to_wire") else submitted
    for param, pointer in link.sources:
        value = resolve(body, pointer)
        if value is not None:
            return JobRef(**{param: value})
    raise ValueError(f"the submit response carries no job id or name: {body!r}")


def status_of(details: Any) -> str:
    status = getattr(details, "status", None)
    return str(getattr(status, "value", status) or "").strip().lower()


def classify(details: Any) -> Verdict:
    status = status_of(details)
    if status == "successful":
        return "successful"
    if status == "failed":
        return "failed"
    if status in RUNNING_STATUSES:
        return "running"
    return "unknown"


def _followup_link(link: JobLink) -> JobLink:
    """A follow-up job's details have the job-status operation's generic shape (not yet catalogued)."""
    declared = link.status_operation.responses.get("200")
    details = declared.type if declared is not None and declared.type is not None else link.details
    return JobLink(link.status_operation, details, ())


class _HandleBase(Generic[T]):
    def __init__(
        self,
        client: BaseClient,
        link: JobLink,
        submitted: Any,
        *,
        ref: JobRef | None = None,
        operation: Operation | None = None,
        parent: _HandleBase[Any] | None = None,
    ) -> None:
        self._client = client
        self.link = link
        self.operation = operation
        self.submitted = submitted
        self.ref = ref or resolve_ref(link, submitted)
        self.parent = parent
        self.details: T | None = None
        self.polls = 0
        # Backoff interval reached so far: a resumed wait continues from it instead of restarting fast.
        self.interval: float | None = None
        # When this handle came to be (about when the job was submitted): bounds how late its end is seen.
        self.created = time.monotonic()
        self._followups: list[Any] | None = None

    @property
    def id(self) -> int | None:
        return self.ref.id

    @property
    def name(self) -> str | None:
        return self.ref.name

    @property
    def client(self) -> BaseClient:
        return self._client

    @property
    def verdict(self) -> Verdict | None:
        """What the last status check said: running/successful/failed/unknown; None before the first."""
        return None if self.details is None else classify(self.details)

    @property
    def done(self) -> bool:
        """True once the job reached `successful` or `failed` (its details will not change)."""
        return self.verdict in ("successful", "failed")

    @property
    def problems(self) -> list[str]:
        """Partial failures reported inside the (successful) job's result; see `jobs.outcomes`."""
        return [] if self.details is None else partial_failures(self.details)

    def __repr__(self) -> str:
        state = status_of(self.details) if self.details is not None else "not polled"
        return f"{type(self).__name__}({self.ref}, {state})"

    def _followup_refs(self) -> list[JobRef]:
        own = self.ref.id
        return [JobRef(id=i) for i in followup_job_ids(self.details) if i != own]

    # -- persistence -----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready state to persist; `JobHandle.resume(client, state)` rebuilds the handle."""
        submitted = self.submitted.to_wire() if hasattr(self.submitted, "to_wire") else self.submitted
        state: dict[str, Any] = {
            "format": _FORMAT,
            "operation": self.operation.id if self.operation is not None else None,
            "job": {"id": self.ref.id} if self.ref.id is not None else {"name": self.ref.name},
            "submitted": submitted,
        }
        if self._followups:
            state["followups"] = [f.ref.id for f in self._followups]
        return state


def _resume_parts(
    client: BaseClient, state: Any, operation: str | None, details_type: Any
) -> tuple[JobLink, Any, JobRef, Operation | None, list[int]]:
    followups: list[int] = []
    submitted: Any = None
    if isinstance(state, JobRef):
        ref = state
    elif isinstance(state, bool):
        raise TypeError("resume() takes a state dict from to_dict(), a JobRef, a job id or a job name")
    elif isinstance(state, int):
        ref = JobRef(id=state)
    elif isinstance(state, str):
        ref = JobRef(name=state)
    elif isinstance(state, Mapping):
        if state.get("format", _FORMAT) != _FORMAT:
            raise ValueError(f"unknown job handle format {state.get('format')!r} (expected {_FORMAT!r})")
        job = state.get("job")
        if not isinstance(job, Mapping):
            raise ValueError(f"job handle state has no 'job' id or name: {dict(state)!r}")
        ref = JobRef(id=job.get("id"), name=job.get("name"))
        operation = operation or state.get("operation")
        submitted = state.get("submitted")
        followups = [int(i) for i in state.get("followups") or []]
    else:
        raise TypeError(
            f"resume() takes a state dict from to_dict(), a JobRef, a job id or a job name; got {state!r}"
        )
    table = client.operations
    op: Operation | None = None
    if operation is not None:
        op = table.get(operation)
        if op is None or op.job is None:
            known = ", ".join(sorted(k for k, v in table.items() if v.job is not None))
            raise ValueError(f"{operation!r} is not a job operation of this SDK (known: {known})")
        link = op.job
    else:
        status_op = next((o.job.status_operation for o in table.values() if o.job is not None), None)
        if status_op is None:
            raise ValueError("this SDK has no job operations to resume")
        link = _followup_link(JobLink(status_op, LazyType(lambda: Any), ()))
    if details_type is not None:
        link = JobLink(link.status_operation, LazyType(lambda: details_type), link.sources)
    return link, submitted, ref, op, followups


class JobHandle(_HandleBase[T]):
    """A submitted job; `wait()` polls the job-status operation and returns the typed details `T`."""

    @property
    def followups(self) -> list[JobHandle[JobDetails]]:
        """Follow-up jobs this job's result named (custom field values' legacy write job), once known."""
        if self._followups is None:
            if self.verdict != "successful":
                return []
            self._followups = [
                JobHandle(self._client, _followup_link(self.link), None, ref=r, parent=self)
                for r in self._followup_refs()
            ]
        return self._followups

    def status(self, *, opts: CallOptions = CallOptions()) -> T:
        """One status request, parsed into this operation's job-details model."""
        self.polls += 1
        details: T = self._client.invoke(
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
        follow: bool = True,
        progress: ProgressArg = None,
    ) -> T:
        """Poll until the job ends and return its typed details.

        `timeout` (seconds, default `poll.timeout`) bounds this call; on expiry `JobTimeoutError`
        carries this handle, and calling `wait()` again resumes. `poll` overrides the client's
        `PollConfig`. With `follow`, follow-up jobs named in the result are awaited too (see
        `followups`). `progress` takes a callback or a bar (see `jobs.progress`).
        """
        from .waiting import wait_one

        return wait_one(self, timeout, poll, raise_on_failure, follow, progress)

    @overload
    @classmethod
    def resume(
        cls,
        client: BaseClient,
        state: Mapping[str, Any] | JobRef | int | str,
        *,
        details_type: type[U],
        operation: str | None = None,
    ) -> JobHandle[U]: ...

    @overload
    @classmethod
    def resume(
        cls,
        client: BaseClient,
        state: Mapping[str, Any] | JobRef | int | str,
        *,
        details_type: None = None,
        operation: str | None = None,
    ) -> JobHandle[Any]: ...

    @classmethod
    def resume(
        cls,
        client: BaseClient,
        state: Mapping[str, Any] | JobRef | int | str,
        *,
        details_type: Any = None,
        operation: str | None = None,
    ) -> JobHandle[Any]:
        """Rebuild a handle from `to_dict()` output (or a job id / name) to wait on it again.

        The details type comes from `details_type`, else from the submitting `operation` (an
        operationId, stored by `to_dict()`), else the job-status operation's generic details.
        """
        link, submitted, ref, op, followups = _resume_parts(client, state, operation, details_type)
        handle: JobHandle[Any] = JobHandle(client, link, submitted, ref=ref, operation=op)
        if followups:
            handle._followups = [
                JobHandle(client, _followup_link(link), None, ref=JobRef(id=i), parent=handle)
                for i in followups
            ]
        return handle


class AsyncJobHandle(_HandleBase[T]):
    """The asyncio twin of `JobHandle`."""

    @property
    def followups(self) -> list[AsyncJobHandle[JobDetails]]:
        """Follow-up jobs this job's result named (custom field values' legacy write job), once known."""
        if self._followups is None:
            if self.verdict != "successful":
                return []
            self._followups = [
                AsyncJobHandle(self._client, _followup_link(self.link), None, ref=r, parent=self)
                for r in self._followup_refs()
            ]
        return self._followups

    async def status(self, *, opts: CallOptions = CallOptions()) -> T:
        """One status request, parsed into this operation's job-details model."""
        self.polls += 1
        details: T = await self._client.invoke_async(
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
        follow: bool = True,
        progress: ProgressArg = None,
    ) -> T:
        """Poll until the job ends and return its typed details; see `JobHandle.wait`."""
        from .waiting import wait_one_async

        return await wait_one_async(self, timeout, poll, raise_on_failure, follow, progress)

    @overload
    @classmethod
    def resume(
        cls,
        client: BaseClient,
        state: Mapping[str, Any] | JobRef | int | str,
        *,
        details_type: type[U],
        operation: str | None = None,
    ) -> AsyncJobHandle[U]: ...

    @overload
    @classmethod
    def resume(
        cls,
        client: BaseClient,
        state: Mapping[str, Any] | JobRef | int | str,
        *,
        details_type: None = None,
        operation: str | None = None,
    ) -> AsyncJobHandle[Any]: ...

    @classmethod
    def resume(
        cls,
        client: BaseClient,
        state: Mapping[str, Any] | JobRef | int | str,
        *,
        details_type: Any = None,
        operation: str | None = None,
    ) -> AsyncJobHandle[Any]:
        """Rebuild a handle from `to_dict()` output (or a job id / name); see `JobHandle.resume`."""
        link, submitted, ref, op, followups = _resume_parts(client, state, operation, details_type)
        handle: AsyncJobHandle[Any] = AsyncJobHandle(client, link, submitted, ref=ref, operation=op)
        if followups:
            handle._followups = [
                AsyncJobHandle(client, _followup_link(link), None, ref=JobRef(id=i), parent=handle)
                for i in followups
            ]
        return handle
