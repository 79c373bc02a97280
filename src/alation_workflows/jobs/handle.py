"""`JobHandle[S, D]`: a submitted job that knows how to poll itself and parse its typed details.

What the statuses mean is not hard-coded: each job operation's polling contract (spec
`components/x-job-polling`, emitted as `JobPolling` into the operation table) says which values
of which field mean running / successful / partially successful / failed, where the message
and progress are. The same code thus serves the bulk-metadata jobs (`status`: running,
successful, failed) and data-dictionary tasks (`state` QUEUED/PROCESSING, `status`
SUCCEEDED/PARTIALLY_SUCCEEDED/FAILED).
- running values keep the wait polling;
- successful (and partially successful) returns the typed details (after following any
  follow-up job a bulk-metadata result names), as the operation's narrower *succeeded* model
  when the spec names one (`x-job.succeeded`: its `result` is not Optional); a successful answer
  whose result does not fit it raises `UnexpectedJobResultError` carrying the details as sent;
- failed raises `JobFailedError` (or returns the details with `raise_on_failure=False`);
- any other value, including an empty one, is *terminal-unknown*: `UnexpectedJobStatusError`
  carrying the details as sent (or the details with `raise_on_failure=False`). A later `wait()`
  polls again, in case the value was transient (allie-sdk issue #132 hangs on such values).
Every wait is bounded by a timeout (`PollConfig.timeout` unless given), after which
`JobTimeoutError` carries the handle: call `wait()` on it again to resume.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, overload

import pydantic
from typing_extensions import TypeVar  # PEP 696 defaults: JobHandle[X] means JobHandle[X, X]

from .._runtime.config import CallOptions, PollConfig
from .._runtime.model import narrow
from .._runtime.operation import JobLink, JobPolling, LazyType, Operation, Verdict
from .._runtime.pointer import resolve
from .exceptions import UnexpectedJobResultError
from .progress import JobProgress, ProgressArg
from .results import as_mapping, followup_job_ids, partial_failures

if TYPE_CHECKING:
    from .._runtime.client import BaseClient
    from ..models import JobDetails

# What a successful wait() returns, and what any status answer is parsed into (a supertype).
SucceededT = TypeVar("SucceededT")
DetailsT = TypeVar("DetailsT", default=SucceededT)
U = TypeVar("U")

_TERMINAL: frozenset[Verdict] = frozenset({"successful", "partially_successful", "failed"})
_FORMAT = "alation-workflows/job-handle@1"


@dataclass(frozen=True, slots=True, init=False)
class JobRef:
    """How to ask for a job: one parameter of its status operation and its value.

    `JobRef(id=412651)`, `JobRef(name="MetadataExtraction#...")`, `JobRef(task_id="<uuid>")`:
    exactly one keyword, named like the status operation's parameter.
    """

    param: str
    value: int | str

    def __init__(self, id: int | None = None, name: str | None = None, **params: Any) -> None:
        given = {k: v for k, v in {"id": id, "name": name, **params}.items() if v is not None}
        if len(given) != 1:
            raise ValueError(
                f"a JobRef needs exactly one of id, name or another status parameter (got {given})"
            )
        ((param, value),) = given.items()
        # A boolean is an int to Python: `true` from a server must not become job 1.
        if isinstance(value, bool) or not isinstance(value, (int, str)) or value == "":
            raise TypeError(f"a job {param} must be an integer or a non-empty string, got {value!r}")
        object.__setattr__(self, "param", param)
        object.__setattr__(self, "value", value)

    @property
    def id(self) -> int | str | None:
        """The job's id (integer job id or UUID task id); None for a job known by name."""
        return None if self.param == "name" else self.value

    @property
    def name(self) -> str | None:
        return self.value if self.param == "name" else None  # type: ignore[return-value]

    def args(self) -> dict[str, Any]:
        return {self.param: self.value}

    def __str__(self) -> str:
        return f"{self.param}={self.value}"


def resolve_ref(link: JobLink, submitted: Any) -> JobRef:
    """Find the job id or name in a submit response using the spec's link pointers."""
    body = submitted.to_wire() if hasattr(submitted, "to_wire") else submitted
    for param, pointer in link.sources:
        value = resolve(body, pointer)
        if value is not None:
            return JobRef(**{param: value})
    raise ValueError(f"the submit response carries no job id or name: {body!r}")


def _text(value: Any) -> str:
    return str(getattr(value, "value", value) or "").strip()


def classify(polling: JobPolling, details: Any) -> Verdict:
    """The verdict of a status answer under its polling contract; "unknown" when no rule matches."""
    for verdict, pointer, values in polling.rules:
        if _text(resolve(details, pointer)).casefold() in values:
            return verdict
    return "unknown"


def status_text(polling: JobPolling, details: Any) -> str:
    """The status field(s) as sent, e.g. "running" or "COMPLETED/PARTIALLY_SUCCEEDED"."""
    fields = dict.fromkeys(pointer for _, pointer, _ in reversed(polling.rules))
    return "/".join(t for f in fields if (t := _text(resolve(details, f))))


def message_of(polling: JobPolling, details: Any) -> str | None:
    if polling.message is None:
        return None
    return _text(resolve(details, polling.message)) or None


def progress_of(polling: JobPolling, details: Any) -> JobProgress | None:
    """Work done so far as the status answer reports it (data dictionary: batches), if it does."""
    if polling.progress is None or details is None:
        return None
    done, total = (resolve(details, p) for p in polling.progress)
    if not isinstance(done, int):
        return None
    return JobProgress(done, total if isinstance(total, int) else None)


def _followup_link(link: JobLink) -> JobLink:
    """A follow-up job's details have the job-status operation's generic shape (not yet catalogued)."""
    declared = link.status_operation.responses.get("200")
    details = declared.type if declared is not None and declared.type is not None else link.details
    return JobLink(link.polling, details, ())


def _errors_operation(link: JobLink) -> Operation:
    op = link.polling.errors_operation
    if op is None:
        raise ValueError(
            f"{link.polling.name} jobs have no errors operation; their errors are in the details"
        )
    return op


class HandleBase(Generic[SucceededT, DetailsT]):
    # Which waiting functions take this kind of handle (the waiting engine checks it, not the class).
    is_async: ClassVar[bool] = False

    def __init__(
        self,
        client: BaseClient,
        link: JobLink,
        submitted: Any,
        *,
        ref: JobRef | None = None,
        operation: Operation | None = None,
        parent: HandleBase[Any, Any] | None = None,
    ) -> None:
        self._client = client
        self.link = link
        self.operation = operation
        self.submitted = submitted
        self.ref = ref or resolve_ref(link, submitted)
        self.parent = parent
        self.details: DetailsT | None = None
        self.polls: int = 0
        # Backoff interval reached so far: a resumed wait continues from it instead of restarting fast.
        self.interval: float | None = None
        # When this handle came to be (about when the job was submitted): bounds how late its end is seen.
        self.created = time.monotonic()
        self._followups: list[Any] | None = None

    @property
    def id(self) -> int | str | None:
        """The job's id (integer job id or UUID task id); None for a job known by name."""
        return self.ref.id

    @property
    def name(self) -> str | None:
        return self.ref.name

    def _ref_value(self, param: str) -> Any:
        # The typed accessors of the generated handle classes (one per status parameter) read here.
        if self.ref.param != param:
            raise JobRefError(f"job {self.ref} is known by its {self.ref.param}, not by {param}")
        return self.ref.value

    def succeeded(self, details: Any) -> Any:
        """`details` of a successful answer as the operation's succeeded model (`x-job.succeeded`).

        Raises `UnexpectedJobResultError` (with `details` as sent) when the result does not fit.
        """
        target = self.link.succeeded
        if target is None or details is None:
            return details
        try:
            narrowed = narrow(target.type, details)
        except pydantic.ValidationError as exc:
            problem = "; ".join(
                f"{'/'.join(map(str, e['loc'])) or '(details)'}: {e['msg']}" for e in exc.errors()[:3]
            )
            raise UnexpectedJobResultError(
                f"job {self.ref} reported success, but its result is not in the documented success "
                f"shape ({target.type.__name__}): {problem}; the details as sent are on .details",
                self,
                details,
                problem=problem,
            ) from None
        self.details = narrowed
        return narrowed

    @property
    def client(self) -> BaseClient:
        return self._client

    @property
    def polling(self) -> JobPolling:
        """The spec's polling contract for this job (status operation, status values, progress)."""
        return self.link.polling

    @property
    def verdict(self) -> Verdict | None:
        """What the last status check said (running, successful, partially_successful, failed or
        unknown, per the polling contract); None before the first."""
        return None if self.details is None else classify(self.link.polling, self.details)

    @property
    def done(self) -> bool:
        """True once the job reached a terminal verdict (its details will not change)."""
        return self.verdict in _TERMINAL

    @property
    def progress(self) -> JobProgress | None:
        """How far the job is, when its status answer reports it (data dictionary: batches)."""
        return progress_of(self.link.polling, self.details)

    def verdict_of(self, details: Any) -> Verdict:
        return classify(self.link.polling, details)

    def status_text(self, details: Any = None) -> str:
        """The status field(s) of `details` (default: the last answer) as sent; "" if none."""
        details = self.details if details is None else details
        return "" if details is None else status_text(self.link.polling, details)

    def message(self, details: Any = None) -> str | None:
        details = self.details if details is None else details
        return None if details is None else message_of(self.link.polling, details)

    @property
    def problems(self) -> list[str]:
        """Partial failures reported inside the (successful) job's result; see `jobs.results`."""
        return [] if self.details is None else partial_failures(self.details)

    def __repr__(self) -> str:
        state = self.status_text() if self.details is not None else "not polled"
        return f"{type(self).__name__}({self.ref}, {state})"

    def _followup_refs(self) -> list[JobRef]:
        # Only bulk-metadata results name follow-up jobs (integer ids for the same status operation).
        own = self.ref.id
        return [JobRef(id=i) for i in followup_job_ids(self.details) if i != own]

    # -- persistence -----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready state to persist; `JobHandle.resume(client, state)` rebuilds the handle."""
        submitted = self.submitted.to_wire() if hasattr(self.submitted, "to_wire") else self.submitted
        state: dict[str, Any] = {
            "format": _FORMAT,
            "operation": self.operation.id if self.operation is not None else None,
            "job": self.ref.args(),
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
    elif (fields := as_mapping(state)) is not None:
        if fields.get("format", _FORMAT) != _FORMAT:
            raise ValueError(f"unknown job handle format {fields.get('format')!r} (expected {_FORMAT!r})")
        job = as_mapping(fields.get("job"))
        if job is None or len(job) != 1:
            raise ValueError(f"job handle state has no 'job' id or name: {dict(fields)!r}")
        ref = JobRef(**{str(k): v for k, v in job.items()})
        operation = operation or fields.get("operation")
        submitted = fields.get("submitted")
        followups = [int(i) for i in fields.get("followups") or ()]
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
        # Without the submitting operation, the contract is the one whose status operation takes this ref.
        pollings = [o.job.polling for o in table.values() if o.job is not None]
        polling = next(
            (p for p in pollings if any(x.name == ref.param for x in p.status_operation.params)), None
        )
        if polling is None:
            raise ValueError(f"no status operation of this SDK takes {ref.param!r} (job {ref})")
        link = _followup_link(JobLink(polling, LazyType(lambda: Any), ()))
    if details_type is not None:
        # `details_type` is what wait() returns; status answers (running ones too) are parsed into
        # the job-details model it is or extends, and narrowed to it once the job succeeds.
        parse = _details_model_of(table.values(), details_type) or link.details
        link = JobLink(link.polling, parse, link.sources, succeeded=LazyType(lambda: details_type))
    return link, submitted, ref, op, followups


def _details_model_of(operations: Iterable[Operation], wanted: Any) -> LazyType | None:
    """The most specific job-details model of an operation that `wanted` is or extends."""
    found = [
        o.job.details
        for o in operations
        if o.job is not None and isinstance(wanted, type) and issubclass(wanted, o.job.details.type)
    ]
    return max(found, key=lambda d: len(d.type.__mro__), default=None)


class JobRefError(AttributeError):
    """A job known by one status parameter (e.g. its name) was asked for another (e.g. its id)."""


class JobHandle(HandleBase[SucceededT, DetailsT]):
    """A submitted job; `wait()` polls the job-status operation and returns the typed details of
    the successful job (`SucceededT`); each status answer is parsed into `DetailsT`."""

    @property
    def followups(self) -> list[JobHandle[JobDetails]]:
        """Follow-up jobs this job's result named (custom field values' legacy write job), once known."""
        if self._followups is None:
            if self.verdict != "successful":
                return []
            self._followups = [
                type(self)(self._client, _followup_link(self.link), None, ref=r, parent=self)
                for r in self._followup_refs()
            ]
        return self._followups

    def status(self, *, opts: CallOptions = CallOptions()) -> DetailsT:
        """One status request, parsed into this operation's job-details model."""
        self.polls += 1
        op = self.link.status_operation
        details: DetailsT = self._client.invoke(op, op.id, self.ref.args(), None, opts, self.link.details)
        self.details = details
        return details

    def errors(self, *, opts: CallOptions = CallOptions()) -> Any:
        """The job's error list from the polling contract's errors operation (data dictionary:
        `GET …/tasks/{task_id}/errors/`), typed as that operation's answer."""
        op = _errors_operation(self.link)
        return self._client.invoke(op, op.id, self.ref.args(), None, opts)

    @overload
    def wait(
        self,
        *,
        timeout: float | None = None,
        poll: PollConfig | None = None,
        raise_on_failure: Literal[True] = True,
        follow: bool = True,
        progress: ProgressArg = None,
    ) -> SucceededT: ...

    @overload
    def wait(
        self,
        *,
        timeout: float | None = None,
        poll: PollConfig | None = None,
        raise_on_failure: bool,
        follow: bool = True,
        progress: ProgressArg = None,
    ) -> SucceededT | DetailsT: ...

    def wait(
        self,
        *,
        timeout: float | None = None,
        poll: PollConfig | None = None,
        raise_on_failure: bool = True,
        follow: bool = True,
        progress: ProgressArg = None,
    ) -> SucceededT | DetailsT:
        """Poll until the job ends and return the successful job's typed details.

        With `raise_on_failure=False` a failed (or oddly shaped) job's details are returned as
        sent instead of raised, so the result is typed as either.

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
        handle: JobHandle[Any] = cls(client, link, submitted, ref=ref, operation=op)
        if followups:
            handle._followups = [
                cls(client, _followup_link(link), None, ref=JobRef(id=i), parent=handle) for i in followups
            ]
        return handle


class AsyncJobHandle(HandleBase[SucceededT, DetailsT]):
    """The asyncio twin of `JobHandle`."""

    is_async: ClassVar[bool] = True

    @property
    def followups(self) -> list[AsyncJobHandle[JobDetails]]:
        """Follow-up jobs this job's result named (custom field values' legacy write job), once known."""
        if self._followups is None:
            if self.verdict != "successful":
                return []
            self._followups = [
                type(self)(self._client, _followup_link(self.link), None, ref=r, parent=self)
                for r in self._followup_refs()
            ]
        return self._followups

    async def status(self, *, opts: CallOptions = CallOptions()) -> DetailsT:
        """One status request, parsed into this operation's job-details model."""
        self.polls += 1
        op = self.link.status_operation
        details: DetailsT = await self._client.invoke_async(
            op, op.id, self.ref.args(), None, opts, self.link.details
        )
        self.details = details
        return details

    async def errors(self, *, opts: CallOptions = CallOptions()) -> Any:
        """The job's error list; see `JobHandle.errors`."""
        op = _errors_operation(self.link)
        return await self._client.invoke_async(op, op.id, self.ref.args(), None, opts)

    @overload
    async def wait(
        self,
        *,
        timeout: float | None = None,
        poll: PollConfig | None = None,
        raise_on_failure: Literal[True] = True,
        follow: bool = True,
        progress: ProgressArg = None,
    ) -> SucceededT: ...

    @overload
    async def wait(
        self,
        *,
        timeout: float | None = None,
        poll: PollConfig | None = None,
        raise_on_failure: bool,
        follow: bool = True,
        progress: ProgressArg = None,
    ) -> SucceededT | DetailsT: ...

    async def wait(
        self,
        *,
        timeout: float | None = None,
        poll: PollConfig | None = None,
        raise_on_failure: bool = True,
        follow: bool = True,
        progress: ProgressArg = None,
    ) -> SucceededT | DetailsT:
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
        handle: AsyncJobHandle[Any] = cls(client, link, submitted, ref=ref, operation=op)
        if followups:
            handle._followups = [
                cls(client, _followup_link(link), None, ref=JobRef(id=i), parent=handle) for i in followups
            ]
        return handle
