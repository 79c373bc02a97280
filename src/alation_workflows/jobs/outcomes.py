"""How a waited job or a submitted batch ended: `JobOutcome` (wait_all) and `BatchOutcome` (batching).

Both hold the successful job's typed `details` or the `error` that ended them, and share `ok`,
`has_details`, `problems` and `unwrap`. `details` is typed as the successful job's details (not
Optional): reading it where there are none raises `NoDetailsError` saying why (the job failed,
the batch was not waited on, the run kept a summary only), so `if outcome.ok: outcome.details...`
type-checks and never meets a None.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .results import partial_failures

if TYPE_CHECKING:
    from .handle import AsyncJobHandle, JobHandle, JobRef

T = TypeVar("T")


class NoDetailsError(AttributeError):
    """An outcome's `details` were read where there are none; the message says why."""


class _Ended(Generic[T]):
    """What every outcome answers; subclasses are dataclasses holding `_details` and `error`."""

    __slots__ = ()
    _details: T | None
    error: BaseException | None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def has_details(self) -> bool:
        """True when `details` can be read: the job succeeded and its details were kept."""
        return self.ok and self._details is not None

    @property
    def details(self) -> T:
        """The successful job's typed details; `NoDetailsError` (naming why) when there are none."""
        if self._details is None or not self.ok:
            raise NoDetailsError(self._no_details())
        return self._details

    @property
    def problems(self) -> list[str]:
        """Partial failures reported inside the successful job's result."""
        return partial_failures(self._details) if self.has_details else []

    def unwrap(self) -> T:
        """The details, or raise the error (or `NoDetailsError` when there are no details to give)."""
        if self.error is not None:
            raise self.error
        return self.details

    def _no_details(self) -> str:
        if self.error is not None:
            return f"the job ended with an error, see .error: {self.error}"
        return "the job ended without details"


@dataclass(slots=True)
class JobOutcome(_Ended[T]):
    """How one job of `wait_all` ended: `details` (typed) or `error`, never neither."""

    handle: JobHandle[T, Any] | AsyncJobHandle[T, Any]
    _details: T | None
    error: BaseException | None


@dataclass(slots=True)
class BatchOutcome(_Ended[T]):
    """One batch: the input items `indices` became `handle` (None if never submitted) and ended
    with typed `details` or an `error` (neither when `wait=False`, in a dry run, or in summary mode).

    `start`/`stop` bound the input indices (a batch split after a rejection may skip some);
    `state` is its journal state; `ids` the ids of the objects its job created or updated.
    """

    index: int
    start: int
    stop: int
    handle: JobHandle[T, Any] | AsyncJobHandle[T, Any] | None = None
    _details: T | None = None
    error: BaseException | None = None
    indices: Sequence[int] = ()
    state: str = "planned"
    ids: array[int] = field(default_factory=lambda: array("q"))
    job: JobRef | None = None
    # Kept in summary mode, where `details` is dropped.
    _problems: list[str] | None = None

    @property
    def ok(self) -> bool:
        # With raise_on_failure=False a failed job ends without an error but in state "failed".
        return self.error is None and self.state != "failed"

    @property
    def problems(self) -> list[str]:
        """Partial failures reported inside the batch's successful job."""
        if self._problems is not None:
            return self._problems
        return partial_failures(self._details) if self.has_details else []

    def keep(self, details: T | None, problems: list[str] | None) -> None:
        """Record how the batch's job ended (the batching driver's call): its typed details (None
        in summary mode) and the problems its result reports (None keeps those already known)."""
        self._details = details
        if problems is not None:
            self._problems = problems

    def _no_details(self) -> str:
        if self.error is not None or self.state == "failed":
            return f"batch {self.index} failed ({self.error or 'its job failed'}); see .error"
        why = {
            "planned": "it was not submitted (dry run)",
            "submitted": "it was submitted with wait=False",
        }.get(self.state, "the run kept a summary only (summary=True)")
        return f"batch {self.index} has no details: {why}"
