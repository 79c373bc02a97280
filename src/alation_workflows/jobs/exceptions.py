"""Job-level failures; each carries the handle so the caller can look again or resume waiting."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._runtime.exceptions import WorkflowsError
from .results import as_mapping, plain, result_of

if TYPE_CHECKING:
    from .summary import ItemFailure

_REASON_MAX = 300


class JobError(WorkflowsError):
    """Base of job-level errors: `.handle` is the job's handle, `.details` its last typed details."""

    def __init__(self, message: str, handle: Any, details: Any = None) -> None:
        super().__init__(message)
        self.handle = handle
        self.details = details


def failure_reason(details: Any) -> str | None:
    """Why a failed job failed, from its result (an error text or the result itself), shortened."""
    if details is None:
        return None
    result = plain(result_of(details))
    fields = as_mapping(result)
    if fields is not None:
        for key in ("error", "detail", "message", "msg", "Message", "errors"):
            if fields.get(key):
                result = fields[key]
                break
    if result in (None, "", [], {}):
        return None
    text = result if isinstance(result, str) else str(result)
    text = " ".join(text.split())
    return text if len(text) <= _REASON_MAX else text[:_REASON_MAX] + "…"


class JobFailedError(JobError):
    """The job ended with status `failed`; the message gives the reason from its result, and
    `.details` holds the typed details (`.reason` the reason alone)."""

    def __init__(self, message: str, handle: Any, details: Any = None) -> None:
        self.reason = failure_reason(details)
        if self.reason and self.reason not in message:
            message = f"{message}; reason: {self.reason}"
        super().__init__(message, handle, details)


def _resume_hint(handle: Any) -> str:
    state = as_mapping(handle.to_dict()) if hasattr(handle, "to_dict") else None
    job = as_mapping(state.get("job")) if state is not None else None
    ref = ", ".join(f"{k}={v!r}" for k, v in job.items()) if job is not None else "<job id>"
    return (
        "to resume, call wait() on the handle again, or rebuild it in another process with "
        f"JobHandle.resume(client, handle.to_dict()) / `alation-workflows job wait --{ref.replace('=', ' ', 1)}`"
    )


class JobTimeoutError(JobError):
    """The wait ran out of time while the job was still running; call `handle.wait()` to resume.

    The message says how long the job has been waited on (seconds since it was submitted, or
    `waited=` when given) and how to resume; `.waited` holds that number.
    """

    def __init__(
        self, message: str, handle: Any, details: Any = None, *, waited: float | None = None
    ) -> None:
        if waited is None:
            created = getattr(handle, "created", None)
            waited = time.monotonic() - created if isinstance(created, float) else None
        self.waited = waited
        if waited is not None and "waited" not in message:
            message = f"{message} (waited {waited:.1f} s since it was submitted)"
        if "JobHandle.resume" not in message:
            message = f"{message}; {_resume_hint(handle)}"
        super().__init__(message, handle, details)


class UnexpectedJobStatusError(JobError):
    """The job reported a status this SDK does not know; `.details.status` holds it as sent."""


class UnexpectedJobResultError(JobError):
    """The job reported success but its result does not have the documented success shape;
    `.details` holds the details as sent (typed loosely), `.problem` what did not match."""

    def __init__(self, message: str, handle: Any, details: Any = None, *, problem: str = "") -> None:
        self.problem = problem
        super().__init__(message, handle, details)


class AmbiguousSubmitError(WorkflowsError):
    """A batch's submit may or may not have reached Alation (connection lost after sending, a 5XX,
    or the process died while sending). It is never resent on its own: check the catalog, then
    resume with `resend_ambiguous=` (or `alation-workflows resume --resend-ambiguous`) to send it again.
    """

    def __init__(self, message: str, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.cause = cause


class RecordedError(WorkflowsError):
    """A batch's failure as recorded in the journal by an earlier run (the original error is gone)."""


class InvalidItemsError(ValueError):
    """Items failed validation before anything was sent; `.failures` lists every one with its input index."""

    def __init__(self, operation: str, failures: Sequence[ItemFailure]) -> None:
        self.failures = list(failures)
        shown = "\n".join(f"  {f}" for f in self.failures[:20])
        more = f"\n  … and {len(self.failures) - 20} more" if len(self.failures) > 20 else ""
        super().__init__(
            f"{len(self.failures)} item(s) are invalid for {operation}; nothing was sent:\n{shown}{more}"
        )
