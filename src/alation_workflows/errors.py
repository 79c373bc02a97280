"""Every exception the SDK raises on purpose, importable from one place."""

from ._runtime.errors import (
    APIError,
    NetworkError,
    ProblemDetailsError,
    ResponseValidationError,
    WorkflowsError,
)
from .jobs.errors import JobError, JobFailedError, JobTimeoutError, UnexpectedJobStatusError

__all__ = [
    "APIError",
    "JobError",
    "JobFailedError",
    "JobTimeoutError",
    "NetworkError",
    "ProblemDetailsError",
    "ResponseValidationError",
    "UnexpectedJobStatusError",
    "WorkflowsError",
]
