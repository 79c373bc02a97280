"""Every exception the SDK raises on purpose, importable from one place."""

from ._runtime.errors import (
    APIError,
    NetworkError,
    ProblemDetailsError,
    ResponseValidationError,
    WorkflowsError,
)
from ._runtime.paging import PaginationError
from .auth import RefreshTokenError
from .jobs.errors import JobError, JobFailedError, JobTimeoutError, UnexpectedJobStatusError

__all__ = [
    "APIError",
    "JobError",
    "JobFailedError",
    "JobTimeoutError",
    "NetworkError",
    "PaginationError",
    "ProblemDetailsError",
    "RefreshTokenError",
    "ResponseValidationError",
    "UnexpectedJobStatusError",
    "WorkflowsError",
]
