"""How a waited job or a submitted batch ended: `JobOutcome` (wait_all) and `BatchOutcome` (batching).

Both hold typed `details` or the `error` that ended them, and share `ok`, `problems` and `unwrap`.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from .results import partial_failures

if TYPE_CHECKING:
    from .handle import AsyncJobHandle, JobHandle, JobRef

T = TypeVar("T")


class _Ended(Generic[T]):
    """What every outcome answers; subclasses are dataclasses holding `details` and `error`."""

    __slots__ = ()
    details: T | None
    error: BaseException | None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def problems(self) -> list[str]:
        """Partial failures reported inside the successful job's result."""
        return [] if self.details is None else partial_failures(self.details)

    def unwrap(self) -> T:
        """The details, or raise the error (or a RuntimeError when there are no details to give)."""
        if self.error is not None:
            raise self.error
        if self.details is None:
            raise RuntimeError(self._no_details())
        return self.details

    def _no_details(self) -> str:
        return "the job ended without details"


@dataclass(slots=True)
class JobOutcome(_Ended[T]):
    """How one job of `wait_all` ended: `details` (typed) or `error`, never neither."""

    handle: JobHandle[T] | AsyncJobHandle[T]
    details: T | None
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
    handle: JobHandle[T] | AsyncJobHandle[T] | None = None
    details: T | None = None
    error: BaseException | None = None
    indices: Sequence[int] = ()
    state: str = "planned"
    ids: array[int] = field(default_factory=lambda: array("q"))
    job: JobRef | None = None
    # Kept in summary mode, where `details` is dropped.
    _problems: list[str] | None = None

    @property
    def problems(self) -> list[str]:
        """Partial failures reported inside the batch's successful job."""
        if self._problems is not None:
            return self._problems
        return [] if self.details is None else partial_failures(self.details)

    def _no_details(self) -> str:
        why = {
            "planned": "it was not submitted (dry run)",
            "submitted": "it was submitted with wait=False",
        }.get(self.state, "the run kept a summary only (summary=True)")
        return f"batch {self.index} has no details: {why}"
