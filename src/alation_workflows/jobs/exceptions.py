"""Job-level failures; each carries the handle so the caller can look again or resume waiting."""

from __future__ import annotations

from typing import Any

from .._runtime.exceptions import WorkflowsError


class JobError(WorkflowsError):
    """Base of job-level errors: `.handle` is the job's handle, `.details` its last typed details."""

    def __init__(self, message: str, handle: Any, details: Any = None) -> None:
        super().__init__(message)
        self.handle = handle
        self.details = details


class JobFailedError(JobError):
    """The job ended with status `failed`; `.details` holds its typed details."""


class JobTimeoutError(JobError):
    """The wait ran out of time while the job was still running; call `handle.wait()` to resume."""


class UnexpectedJobStatusError(JobError):
    """The job reported a status this SDK does not know; `.details.status` holds it as sent."""
