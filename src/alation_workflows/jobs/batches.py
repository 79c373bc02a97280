"""Submit any number of items as server-sized batches, one job each, journaled, reported per item.

A run has two passes. First every item is validated against the operation's request schema
and spooled, as the JSON that will be sent, into the run's journal (a temporary one when the
caller gives none): all invalid items are reported at once, with their input indices, before
anything is sent, and only one batch is ever held in memory. Then batches are submitted (at
most `concurrency` jobs at once) and waited on, each state change committed to the journal
before the run goes on. A batch Alation rejects naming its bad items is split: the bad items
are reported, the rest resubmitted (a 4XX rejection creates nothing, so this cannot duplicate).
"""

from __future__ import annotations

import difflib
import hashlib
import inspect
import json
import os
import queue
import threading
from array import array
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypedDict, TypeVar, Union, get_args, get_origin

import pydantic
import pydantic_core

from .._runtime.config import PollConfig, RetryConfig
from .._runtime.exceptions import APIError, NetworkError, SubmitUncertainError
from .._runtime.operation import Operation, Verdict, operation_of
from .._runtime.rejection import messages as error_messages
from .._runtime.request import check_arguments
from .exceptions import (
    AmbiguousSubmitError,
    InvalidItemsError,
    JobFailedError,
    RecordedError,
    UnexpectedJobResultError,
    UnexpectedJobStatusError,
)
from .handle import AsyncJobHandle, JobHandle, JobRef
from .item_errors import item_errors
from .journal import BatchRow, Journal, State
from .outcomes import BatchOutcome
from .progress import Clock, EventKind, ProgressArg, Reporter, reporter
from .readers import Unreadable
from .results import partial_failures
from .summary import ItemFailure, object_ids, result_item_problems

T = TypeVar("T")
JournalArg = Union[str, "os.PathLike[str]", Journal, None]


class BatchOptions(TypedDict, total=False):
    """What `submit_batches` takes besides the operation, the items and the operation's own
    parameters (see `run_batches`); the generated overloads in `_batching.py` share it."""

    batch_size: int | None
    concurrency: int
    wait: bool
    timeout: float | None
    poll: PollConfig | None
    raise_on_failure: bool
    follow: bool
    progress: ProgressArg
    journal: JournalArg
    dry_run: bool
    resubmit_valid: bool
    skip_invalid: bool
    resend_ambiguous: bool | Collection[int]
    summary: bool
    # Passed on to every submit call.
    retries: RetryConfig | None
    timeout_ms: int | None
    server_url: str | None
    http_headers: Mapping[str, str] | None


class BulkResult(list[BatchOutcome[T]]):
    """The outcome of a bulk run: a list of `BatchOutcome`s (one per batch, in order) plus
    `failed_items` (each with its input index), the journal's path and a process exit code."""

    def __init__(
        self, outcomes: Iterable[BatchOutcome[T]] = (), *, operation: str = "", items: int = 0
    ) -> None:
        super().__init__(outcomes)
        self.operation = operation
        self.items = items
        self.failed_items: list[ItemFailure] = []
        self.journal: str | None = None
        self.dry_run = False

    @property
    def ambiguous(self) -> list[BatchOutcome[T]]:
        """Batches that may or may not have reached Alation: check, then resume with `resend_ambiguous=`."""
        return [o for o in self if o.state in ("ambiguous", "sending")]

    @property
    def ok(self) -> bool:
        return not self.failed_items and all(o.ok for o in self)

    @property
    def exit_code(self) -> int:
        """0: every item done; 1: some items failed or are not done; 3: ambiguous batches remain."""
        if self.ambiguous:
            return 3
        return 0 if self.ok else 1

    def summary(self) -> dict[str, Any]:
        """Counts, ids and failures as plain JSON data (what the command line prints)."""
        states: dict[str, int] = {}
        for o in self:
            states[o.state] = states.get(o.state, 0) + 1
        return {
            "operation": self.operation,
            "dry_run": self.dry_run,
            "items": self.items,
            "batches": len(self),
            "batch_states": states,
            "ids": sum(len(o.ids) for o in self),
            "failed_items": len({f.index for f in self.failed_items}),
            "ambiguous_batches": [_batch_view(o) for o in self.ambiguous],
            "unfinished_batches": [
                _batch_view(o) for o in self if not o.ok and o.state not in ("ambiguous", "sending", "split")
            ],
            "problems": [p for o in self for p in o.problems],
            "journal": self.journal,
            "exit_code": self.exit_code,
        }


def _batch_view(o: BatchOutcome[Any]) -> dict[str, Any]:
    return {"batch": o.index, "state": o.state, "items": [o.start, o.stop], "error": str(o.error)}


# -- planning ----------------------------------------------------------------------------------


def batch_size_for(method: Callable[..., Any], batch_size: int | None) -> int:
    """The batch size: given, else the operation's server limit (`x-batch-limit`); never above it."""
    op = operation_of(method)
    label = op.id if op is not None else getattr(method, "__qualname__", repr(method))
    if op is not None and op.job is None:
        raise ValueError(f"{label} does not start a job; submit_batches needs a job operation")
    limit = op.batch_limit if op is not None else None
    if batch_size is None:
        if limit is None:
            raise ValueError(f"no batch limit is known for {label}: pass batch_size=")
        batch_size = limit
    if not _positive_int(batch_size):
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if limit is not None and batch_size > limit:
        raise ValueError(f"batch_size {batch_size} exceeds the server limit of {limit} items for {label}")
    return batch_size


def _positive_int(value: object) -> bool:
    # Checked at run time whatever the annotation says: callers may not type-check (and True is an int).
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _not_items(items: object) -> bool:
    # A str, bytes or dict iterates, but is one item, not items.
    return isinstance(items, (str, bytes, dict)) or not isinstance(items, Iterable)


_ITEM_ADAPTERS: dict[str, pydantic.TypeAdapter[Any]] = {}


def _element(tp: Any) -> Any:
    """The item type of a list type (through Annotated / Optional)."""
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    args = [a for a in get_args(tp) if a is not type(None)]
    if get_origin(tp) in (list, Sequence, tuple) or str(get_origin(tp)).endswith("Sequence"):
        return args[0] if args else Any
    if len(args) == 1:
        return _element(args[0])
    return Any


def item_adapter(op: Operation) -> pydantic.TypeAdapter[Any] | None:
    """A validator for one item of the operation's list body (None when the body is not a list)."""
    if op.id in _ITEM_ADAPTERS:
        return _ITEM_ADAPTERS[op.id]
    body = op.body
    if body is None:
        return None
    if body.item_type is not None:
        adapter = body.item_type.adapter
    else:
        tp = body.type.type
        if op.batch_field:
            fields = getattr(tp, "model_fields", {})
            found = [f for n, f in fields.items() if (f.alias or n) == op.batch_field]
            if not found:
                return None
            tp = found[0].annotation
        element = _element(tp)
        if element is Any:
            return None
        adapter = pydantic.TypeAdapter(element)
    _ITEM_ADAPTERS[op.id] = adapter
    return adapter


def _validation_messages(exc: pydantic.ValidationError) -> list[str]:
    return [
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" if e["loc"] else e["msg"] for e in exc.errors()
    ]


def _compact(members: list[int]) -> Sequence[int]:
    if members and members[-1] - members[0] == len(members) - 1:
        return range(members[0], members[-1] + 1)
    return members


class _Spool:
    """The validation pass: yields (input indices, wire JSON) per batch; collects invalid items."""

    def __init__(self, op: Operation | None, label: str, batch_size: int, skip_invalid: bool) -> None:
        self.adapter = item_adapter(op) if op is not None else None
        self.label = label
        self.batch_size = batch_size
        self.skip_invalid = skip_invalid
        self.invalid: list[tuple[int, list[str]]] = []
        self.count = 0
        self.digest = hashlib.sha256()

    def _wire(self, item: Any) -> bytes:
        if self.adapter is None:
            return pydantic_core.to_json(item, by_alias=True)
        return self.adapter.dump_json(self.adapter.validate_python(item), by_alias=True, exclude_unset=True)

    def batches(self, items: Iterable[Any]) -> Iterator[tuple[Sequence[int], list[bytes]]]:
        members: list[int] = []
        bodies: list[bytes] = []
        for idx, item in enumerate(items):
            self.count = idx + 1
            if isinstance(item, Unreadable):
                self.invalid.append((idx, [item.message]))
                continue
            try:
                wire = self._wire(item)
            except pydantic.ValidationError as exc:
                self.invalid.append((idx, _validation_messages(exc)))
                continue
            except (TypeError, ValueError) as exc:
                self.invalid.append((idx, [f"{type(exc).__name__}: {exc}"]))
                continue
            self.digest.update(b"%d:" % idx + wire + b"\n")
            members.append(idx)
            bodies.append(wire)
            if len(members) == self.batch_size:
                yield _compact(members), bodies
                members, bodies = [], []
        if members:
            yield _compact(members), bodies
        if self.invalid and not self.skip_invalid:
            # Raised inside the journal's planning transaction: nothing is planned, nothing sent.
            raise InvalidItemsError(
                self.label, [ItemFailure(i, tuple(m), "validation") for i, m in self.invalid]
            )


# -- one run: decisions and journal writes, shared by the sync and async drivers ----------------


def _client_of(method: Callable[..., Any]) -> Any:
    return getattr(getattr(method, "__self__", None), "_sdk", None)


def _rejected(exc: BaseException) -> bool:
    """True when nothing was created: the SDK refused the body before sending it (a validation
    error), or Alation refused the submit (4XX), except a 408 (the server gave up reading: it may
    have acted) and a 429 (throttled: nothing done, resend). A `SubmitUncertainError` is never
    proof, whatever its status."""
    if isinstance(exc, SubmitUncertainError):
        return False
    if isinstance(exc, pydantic.ValidationError):
        return True
    return isinstance(exc, APIError) and 400 <= exc.status_code < 500 and exc.status_code not in (408, 429)


def _never_sent(exc: BaseException) -> bool:
    """True when the request provably never reached Alation (or was throttled before any work)."""
    if isinstance(exc, APIError):
        return exc.status_code == 429
    return isinstance(exc, NetworkError) and not exc.maybe_processed


class _Run(Generic[T]):
    def __init__(
        self,
        method: Callable[..., Any],
        op: Operation | None,
        label: str,
        journal: Journal,
        kwargs: dict[str, Any],
        *,
        wait: bool,
        timeout: float | None,
        poll: PollConfig | None,
        raise_on_failure: bool,
        follow: bool,
        summary: bool,
        resubmit_valid: bool,
        resend_ambiguous: bool | Collection[int],
        progress: ProgressArg,
    ) -> None:
        self.method = method
        self.op = op
        self.label = label
        self.journal = journal
        self.kwargs = kwargs
        self.wait = wait
        self.timeout = timeout
        self.poll = poll
        self.raise_on_failure = raise_on_failure
        self.follow = follow
        self.summary = summary
        self.resubmit_valid = resubmit_valid
        self.resend = resend_ambiguous
        self.progress: ProgressArg = progress
        self.outcomes: dict[int, BatchOutcome[T]] = {}
        self.failures: list[ItemFailure] = []
        self.queue: deque[int] = deque()
        self.to_wait: list[tuple[int, dict[str, Any]]] = []
        self.report: Reporter = reporter(None)
        self.clock = Clock(0)

    # -- loading the journal -------------------------------------------------------------------

    def _outcome(self, row: BatchRow) -> BatchOutcome[T]:
        members = row.members
        o: BatchOutcome[T] = BatchOutcome(
            row.id - 1, members[0] if members else 0, members[-1] + 1 if members else 0, indices=members
        )
        o.state = row.state
        self.outcomes[row.id] = o
        return o

    def _resend(self, index: int) -> bool:
        return self.resend is True or (not isinstance(self.resend, bool) and index in self.resend)

    def load(self) -> None:
        """Build the outcomes from the journal; queue what is left to send, list what to wait on."""
        for row in self.journal.batches():
            o = self._outcome(row)
            recorded = row.outcome or {}
            if row.handle is not None:
                job: dict[str, Any] = row.handle.get("job") or {}  # as JobHandle.to_dict() wrote it
                o.job = JobRef(**{str(k): v for k, v in job.items()}) if len(job) == 1 else None
            o.ids = array("q", recorded.get("ids") or [])
            o.keep(None, recorded.get("problems"))
            if row.state in ("planned", "unsent"):
                self.queue.append(row.id)
            elif row.state in ("sending", "ambiguous"):
                if self._resend(o.index):
                    self.queue.append(row.id)
                else:
                    if row.state == "sending":
                        self.journal.mark(
                            row.id, "ambiguous", outcome={"error": "the run stopped while sending"}
                        )
                    o.state = "ambiguous"
                    o.error = AmbiguousSubmitError(
                        f"batch {o.index} (items {o.start}..{o.stop - 1}) may have reached Alation: "
                        f"{recorded.get('error') or 'the run stopped while sending it'}; check, then "
                        "resume with resend_ambiguous to send it again"
                    )
            elif row.state == "submitted" and row.handle is not None:
                self.to_wait.append((row.id, row.handle))
            elif row.state in ("failed", "rejected", "split"):
                o.error = RecordedError(
                    f"batch {o.index} {row.state} in an earlier run: {recorded.get('error')}"
                )
        for idx, batch, stage, msgs in self.journal.failures():
            self.failures.append(ItemFailure(idx, tuple(msgs), stage, None if batch is None else batch - 1))
        total_items = sum(len(o.indices) for o in self.outcomes.values())
        self.clock = Clock(len(self.outcomes), total_items, self.label)
        done = [o for o in self.outcomes.values() if o.state in ("finished", "failed", "rejected", "split")]
        self.clock.done = len(done)
        self.clock.items_done = sum(len(o.indices) for o in done)
        self.report = reporter(self.progress, self.label)

    def next(self) -> int | None:
        return self.queue.popleft() if self.queue else None

    # -- transitions ---------------------------------------------------------------------------

    def sending(self, batch_id: int) -> Any:
        """Mark the batch as being sent (committed first) and return its request body."""
        o = self.outcomes[batch_id]
        bodies = self.journal.bodies(o.indices)
        self.journal.mark(batch_id, "sending")
        o.state = "sending"
        field_name = self.op.batch_field if self.op is not None else None
        return {field_name: bodies} if field_name else bodies

    def submitted(self, batch_id: int, handle: JobHandle[T, Any] | AsyncJobHandle[T, Any]) -> None:
        self.journal.mark(batch_id, "submitted", handle=handle.to_dict())
        o = self.outcomes[batch_id]
        o.state, o.handle, o.job, o.error = "submitted", handle, handle.ref, None
        self.report(self.clock.event("submitted", handle, batch=o.index))

    def submit_failed(self, batch_id: int, exc: BaseException) -> int | None:
        """Record a failed submit; returns the batch to submit next (the rest of a split batch)."""
        o = self.outcomes[batch_id]
        o.error = exc
        if _rejected(exc):
            named = item_errors(getattr(exc, "body", None), len(o.indices)) if self.resubmit_valid else None
            if named:
                bad = {pos for pos, _ in named}
                failed = [(o.indices[pos], msgs) for pos, msgs in named]
                rest = [i for pos, i in enumerate(o.indices) if pos not in bad]
                child = self.journal.split(batch_id, failed, _compact(rest), {"error": str(exc)})
                o.state = "split"
                self.failures += [ItemFailure(i, tuple(m), "rejected", o.index) for i, m in failed]
                self._ended(o, exc, items=len(failed))
                if child is None:
                    return None
                self._outcome(self.journal.batch(child))
                self.clock.total += 1
                return child
            self.journal.mark(batch_id, "rejected", outcome={"error": str(exc)})
            o.state = "rejected"
            msgs = _rejection_messages(exc)
            failed = [(i, msgs) for i in o.indices]
            self.journal.add_failures(batch_id, "batch", failed)
            self.failures += [ItemFailure(i, tuple(m), "batch", o.index) for i, m in failed]
        elif _never_sent(exc):
            self.journal.mark(batch_id, "unsent", outcome={"error": str(exc)})
            o.state = "unsent"
        else:
            self.journal.mark(batch_id, "ambiguous", outcome={"error": str(exc)})
            o.state = "ambiguous"
            o.error = AmbiguousSubmitError(
                f"batch {o.index} (items {o.start}..{o.stop - 1}) may have reached Alation: {exc}; it is "
                "not resent: check, then resume with resend_ambiguous to send it again",
                exc,
            )
        self._ended(o, o.error, items=len(o.indices))
        return None

    def finished(self, batch_id: int, value: Any, error: BaseException | None) -> None:
        o = self.outcomes[batch_id]
        state: State
        verdict: Callable[[Any], Verdict] = (
            o.handle.verdict_of if o.handle is not None else (lambda _: "unknown")
        )
        if error is None and value is not None and verdict(value) == "failed":
            state = "failed"  # raise_on_failure=False: the failed job's details are the value
        elif error is None:
            state = "finished"
        elif isinstance(error, (JobFailedError, UnexpectedJobStatusError, UnexpectedJobResultError)):
            state = "failed"
        else:
            state = "submitted"  # timed out or lost contact: still running, resume waits on it again
        o.state, o.error = state, error
        details = value if value is not None else getattr(error, "details", None)
        outcome: dict[str, Any] = {"error": None if error is None else str(error)}
        problems: list[str] | None = None
        if details is not None:
            o.ids = object_ids(details)
            problems = partial_failures(details)
            outcome |= {"ids": o.ids.tolist(), "problems": problems, "status": verdict(details)}
            if state == "finished" and problems:
                bodies = self.journal.bodies(o.indices)
                for pos, msgs in result_item_problems(details, bodies):
                    self.failures.append(ItemFailure(o.indices[pos], tuple(msgs), "result", o.index))
                    self.journal.add_failures(batch_id, "result", [(o.indices[pos], msgs)])
        if state == "failed":
            msgs = [str(error)] if error is not None else ["the job failed"]
            self.journal.add_failures(batch_id, "batch", [(i, msgs) for i in o.indices])
            self.failures += [ItemFailure(i, tuple(msgs), "batch", o.index) for i in o.indices]
        self.journal.mark(batch_id, state, outcome=outcome)
        o.keep(None if self.summary else value, problems)
        if self.summary and o.handle is not None:
            o.handle = None  # summary mode: the handle holds the typed result; keep only `job`
        if state != "submitted" or error is not None:
            self._ended(o, error, items=len(o.indices))

    def _ended(self, o: BatchOutcome[T], error: BaseException | None, items: int) -> None:
        kind: EventKind = "failed" if error is not None else "finished"
        self.report(self.clock.event(kind, o.handle, error=error, batch=o.index, items=items))

    def result(self, items: int) -> BulkResult[T]:
        out: BulkResult[T] = BulkResult(
            (self.outcomes[k] for k in sorted(self.outcomes)), operation=self.label, items=items
        )
        out.failed_items = sorted(self.failures, key=lambda f: f.index)
        out.journal = None if self.journal.temporary else str(self.journal.path)
        return out

    def handles(self, kind: type[Any]) -> Iterator[tuple[int, Any]]:
        """Handles of batches an earlier run submitted: waited on, never resubmitted."""
        client = _client_of(self.method)
        for batch_id, state in self.to_wait:
            if client is None:
                raise TypeError(
                    "resuming submitted batches needs a method of a Workflows client (to rebuild their handles)"
                )
            handle = kind.resume(client, state, operation=self.op.id if self.op else None)
            o = self.outcomes[batch_id]
            o.handle, o.job = handle, handle.ref
            yield batch_id, handle


def _rejection_messages(exc: BaseException) -> list[str]:
    if isinstance(exc, pydantic.ValidationError):
        return ["refused before sending: " + "; ".join(_validation_messages(exc))]
    body = getattr(exc, "body", None)
    try:
        found = error_messages(json.loads(body)) if isinstance(body, str) and body else []
    except ValueError:
        found = []
    status = getattr(exc, "status_code", "?")
    return [f"batch rejected (HTTP {status})"] + found if found else [str(exc)]


# -- setting a run up --------------------------------------------------------------------------


def _open_journal(journal: JournalArg, dry_run: bool) -> tuple[Journal, bool]:
    """The run's journal and whether we opened it (and must close it)."""
    if journal is None or dry_run:
        return Journal.scratch(), True
    if isinstance(journal, Journal):
        return journal, False
    return Journal(journal), True


def _stored_params(op: Operation | None, kwargs: dict[str, Any]) -> dict[str, Any]:
    # Only the operation's own parameters are stored: never per-call options (headers may hold secrets).
    names: set[str] = {p.name for p in op.params} if op is not None else set()
    return {k: pydantic_core.to_jsonable_python(v) for k, v in sorted(kwargs.items()) if k in names}


def _check_call(method: Callable[..., Any], op: Operation | None, label: str, kwargs: dict[str, Any]) -> None:
    """A missing or misspelled parameter is a TypeError (bad values a ValueError) before anything is sent."""
    if "request" in kwargs:
        raise TypeError("submit_batches() sends the items as each batch's request=; do not pass request=")
    try:
        signature = inspect.signature(method)
    except (TypeError, ValueError):
        signature = None
    if signature is not None:
        accepted = signature.parameters
        if not any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
            for name in kwargs:
                if name not in accepted:
                    close = difflib.get_close_matches(name, [n for n in accepted if n != "request"], n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    raise TypeError(f"{label}() got an unexpected keyword argument {name!r}{hint}")
        try:
            signature.bind(request=[], **kwargs)
        except TypeError as exc:
            raise TypeError(f"{label}(): {exc}") from None
    if op is not None:
        check_arguments(op, label, kwargs)


def _prepare(
    method: Callable[..., Any],
    items: Iterable[Any] | None,
    *,
    batch_size: int | None,
    concurrency: int,
    timeout: float | None,
    journal: JournalArg,
    dry_run: bool,
    skip_invalid: bool,
    kwargs: dict[str, Any],
) -> tuple[Operation | None, str, Journal, bool, int]:
    """Check the arguments, open the journal and plan (validate + spool) unless the journal already has."""
    if not _positive_int(concurrency):
        raise ValueError(f"concurrency must be an integer >= 1, got {concurrency!r}")
    if timeout is not None and not (0 <= timeout < float("inf")):
        raise ValueError(f"timeout must be a finite number of seconds >= 0, got {timeout}")
    if items is not None and _not_items(items):
        raise TypeError(
            "items must be an iterable (list, generator, read_jsonl(...)) of request items, "
            f"not a {type(items).__name__}; a single item goes in a list (a sequence)"
        )
    op = operation_of(method)
    label = op.id if op is not None else getattr(method, "__qualname__", repr(method))
    size = batch_size_for(method, batch_size)
    _check_call(method, op, label, kwargs)
    jr, owned = _open_journal(journal, dry_run)
    try:
        params = _stored_params(op, kwargs)
        spool = _Spool(op, label, size, skip_invalid)
        if jr.planned:
            if jr.meta("operation") != label or jr.meta("params") != params:
                raise ValueError(
                    f"{jr.path} records a run of {jr.meta('operation')} with {jr.meta('params')}, "
                    f"not {label} with {params}: use another journal file"
                )
            if items is not None:
                for _ in spool.batches(items):
                    pass
                if spool.digest.hexdigest() != jr.meta("digest"):
                    raise ValueError(
                        f"the items differ from those recorded in {jr.path}: resume with the same input, "
                        "or use another journal file"
                    )
            count = int(jr.meta("items") or 0)
        else:
            if items is None:
                raise ValueError(f"{jr.path} holds no planned run to resume")
            jr.plan(
                spool.batches(items),
                spool.invalid,
                lambda: {
                    "operation": label,
                    "params": params,
                    "batch_size": size,
                    "items": spool.count,
                    "digest": spool.digest.hexdigest(),
                },
            )
            count = spool.count
    except BaseException:
        if owned:
            jr.close()
        raise
    return op, label, jr, owned, count


# -- drivers ---------------------------------------------------------------------------------


def run_batches(
    method: Callable[..., JobHandle[T, Any]],
    items: Iterable[Any],
    *,
    batch_size: int | None = None,
    concurrency: int = 4,
    wait: bool = True,
    timeout: float | None = None,
    poll: PollConfig | None = None,
    raise_on_failure: bool = True,
    follow: bool = True,
    progress: ProgressArg = "auto",
    journal: JournalArg = None,
    dry_run: bool = False,
    resubmit_valid: bool = True,
    skip_invalid: bool = False,
    resend_ambiguous: bool | Collection[int] = False,
    summary: bool = False,
    **kwargs: Any,
) -> BulkResult[T]:
    """Validate every item, split them into batches, submit each with `method(request=batch, **kwargs)`
    and wait for all; returns one `BatchOutcome` per batch (a `BulkResult` list).

    - `items`: any iterable, consumed once, lazily (see `read_jsonl` / `read_csv`). Every item is
      validated before the first submit: invalid ones raise `InvalidItemsError` listing them all
      with their input indices (or, with `skip_invalid=True`, are reported and left out).
    - `batch_size` defaults to the operation's server limit from the spec; at most `concurrency`
      jobs run at once; `timeout` (seconds) bounds each batch's wait.
    - `journal`: a file path (or `Journal`) recording every batch; calling again with the same
      journal resumes: finished batches are skipped, submitted ones waited on, and batches that
      may or may not have reached Alation are reported as ambiguous, resent only if listed in
      `resend_ambiguous` (batch indices, or True for all).
    - `resubmit_valid`: when Alation rejects a batch naming its bad items, report those (with
      their input indices, in `failed_items`) and resubmit the rest.
    - `dry_run`: validate and plan the batches, send nothing.
    - `summary`: keep counts, ids and problems per batch instead of every typed result.
    - `progress`: a callback, a bar, or "auto" (a bar counting items when stderr is a terminal).
    """
    if inspect.iscoroutinefunction(method):
        raise TypeError(f"{method.__name__} is async: use submit_batches_async()")
    op, label, jr, owned, count = _prepare(
        method,
        items,
        batch_size=batch_size,
        concurrency=concurrency,
        timeout=timeout,
        journal=journal,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        kwargs=kwargs,
    )
    run: _Run[T] = _Run(
        method, op, label, jr, kwargs, wait=wait, timeout=timeout, poll=poll,
        raise_on_failure=raise_on_failure, follow=follow, summary=summary,
        resubmit_valid=resubmit_valid, resend_ambiguous=resend_ambiguous, progress=progress,
    )  # fmt: skip
    try:
        run.load()
        if not dry_run:
            _drive(run, method, concurrency)
        result = run.result(count)
        result.dry_run = dry_run
        return result
    finally:
        run.report.close()
        if owned:
            jr.close()


def _wait_in_thread(
    run: _Run[Any], batch_id: int, handle: JobHandle[Any], done: queue.SimpleQueue[Any]
) -> None:
    def target() -> None:
        try:
            value = handle.wait(
                timeout=run.timeout, poll=run.poll, raise_on_failure=run.raise_on_failure, follow=run.follow
            )
        except BaseException as exc:  # handed to the run's thread, which records it
            done.put((batch_id, None, exc))
        else:
            done.put((batch_id, value, None))

    # Daemon: an interrupted run must not be kept alive by a wait (the journal already has the handle).
    threading.Thread(target=target, name=f"alation-batch-{batch_id}", daemon=True).start()


def _submit(
    run: _Run[T], method: Callable[..., JobHandle[T, Any]], batch_id: int | None
) -> tuple[int, JobHandle[T, Any]] | None:
    """Submit one batch (and, if Alation rejects it naming bad items, the rest of it)."""
    while batch_id is not None:
        body = run.sending(batch_id)
        try:
            handle = method(request=body, **run.kwargs)
        except Exception as exc:  # recorded on this batch (a rejection may leave a rest to send)
            batch_id = run.submit_failed(batch_id, exc)
            continue
        run.submitted(batch_id, handle)
        return batch_id, handle
    return None


def _drive(run: _Run[T], method: Callable[..., JobHandle[T, Any]], concurrency: int) -> None:
    """Submits happen on the caller's thread (an interrupt leaves at most one batch "sending");
    each submitted job is waited on in a thread of its own, its outcome recorded back here."""
    done: queue.SimpleQueue[Any] = queue.SimpleQueue()
    waiting = 0
    if run.wait:
        for batch_id, handle in run.handles(JobHandle):
            _wait_in_thread(run, batch_id, handle, done)
            waiting += 1
    while True:
        while not run.wait or waiting < concurrency:
            next_id = run.next()
            if next_id is None:
                break
            sent = _submit(run, method, next_id)
            if sent is not None and run.wait:
                _wait_in_thread(run, sent[0], sent[1], done)
                waiting += 1
        if waiting == 0:
            return
        while True:
            try:
                batch_id, value, error = done.get(timeout=0.2)  # short: Ctrl-C is seen promptly
                break
            except queue.Empty:
                continue
        waiting -= 1
        run.finished(batch_id, value, error)


async def run_batches_async(
    method: Callable[..., Awaitable[AsyncJobHandle[T, Any]]],
    items: Iterable[Any],
    *,
    batch_size: int | None = None,
    concurrency: int = 4,
    wait: bool = True,
    timeout: float | None = None,
    poll: PollConfig | None = None,
    raise_on_failure: bool = True,
    follow: bool = True,
    progress: ProgressArg = "auto",
    journal: JournalArg = None,
    dry_run: bool = False,
    resubmit_valid: bool = True,
    skip_invalid: bool = False,
    resend_ambiguous: bool | Collection[int] = False,
    summary: bool = False,
    **kwargs: Any,
) -> BulkResult[T]:
    """The asyncio twin of `run_batches`: `concurrency` tasks each submit a batch and wait on it."""
    if not inspect.iscoroutinefunction(method):
        raise TypeError(f"{getattr(method, '__name__', method)} is not async: use submit_batches()")
    op, label, jr, owned, count = _prepare(
        method,
        items,
        batch_size=batch_size,
        concurrency=concurrency,
        timeout=timeout,
        journal=journal,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        kwargs=kwargs,
    )
    run: _Run[T] = _Run(
        method, op, label, jr, kwargs, wait=wait, timeout=timeout, poll=poll,
        raise_on_failure=raise_on_failure, follow=follow, summary=summary,
        resubmit_valid=resubmit_valid, resend_ambiguous=resend_ambiguous, progress=progress,
    )  # fmt: skip
    try:
        run.load()
        if not dry_run:
            await _drive_async(run, method, concurrency)
        result = run.result(count)
        result.dry_run = dry_run
        return result
    finally:
        run.report.close()
        if owned:
            jr.close()


async def _drive_async(
    run: _Run[T], method: Callable[..., Awaitable[AsyncJobHandle[T, Any]]], concurrency: int
) -> None:
    async def wait_on(batch_id: int, handle: AsyncJobHandle[T, Any]) -> None:
        try:
            value = await handle.wait(
                timeout=run.timeout, poll=run.poll, raise_on_failure=run.raise_on_failure, follow=run.follow
            )
        except Exception as exc:  # recorded on this batch
            run.finished(batch_id, None, exc)
        else:
            run.finished(batch_id, value, None)

    async def submit(batch_id: int | None) -> tuple[int, AsyncJobHandle[T, Any]] | None:
        while batch_id is not None:
            body = run.sending(batch_id)
            try:
                handle = await method(request=body, **run.kwargs)
            except Exception as exc:  # recorded on this batch (a rejection may leave a rest to send)
                batch_id = run.submit_failed(batch_id, exc)
                continue
            run.submitted(batch_id, handle)
            return batch_id, handle
        return None

    async def worker() -> None:
        while (next_id := run.next()) is not None:
            sent = await submit(next_id)
            if sent is not None and run.wait:
                await wait_on(*sent)

    # A TaskGroup cancels the other tasks when one fails (a progress callback raising, say):
    # a cancelled submit stays "sending" in the journal, a cancelled wait stays "submitted".
    import asyncio  # only async runs need it: sync-only programs never import it

    async with asyncio.TaskGroup() as group:
        if run.wait:
            for batch_id, handle in run.handles(AsyncJobHandle):
                group.create_task(wait_on(batch_id, handle))
        for _ in range(concurrency):
            group.create_task(worker())


# -- resuming from a journal alone (the command line) --------------------------------------------


def resume_batches(
    method: Callable[..., JobHandle[T, Any]],
    journal: str | os.PathLike[str] | Journal,
    **options: Any,
) -> BulkResult[T]:
    """Resume the run recorded in `journal` with its stored items and parameters.

    `method` must be the operation the journal records; `options` are `submit_batches` options
    (`concurrency`, `timeout`, `resend_ambiguous`, `summary`, `progress`, ...).
    """
    jr = journal if isinstance(journal, Journal) else Journal(journal)
    try:
        if not jr.planned:
            raise ValueError(f"{jr.path} holds no planned run to resume")
        params = dict(jr.meta("params") or {})
        return run_batches(method, None, journal=jr, batch_size=jr.meta("batch_size"), **params, **options)  # type: ignore[arg-type]
    finally:
        if not isinstance(journal, Journal):
            jr.close()


# The public names are typed per operation by the generated `_batching` module (one overload per
# parameter signature of the spec's batch operations); at run time they are the functions above.
if TYPE_CHECKING:
    from .._batching import submit_batches as submit_batches
    from .._batching import submit_batches_async as submit_batches_async
else:
    submit_batches, submit_batches_async = run_batches, run_batches_async
