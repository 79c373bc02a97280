"""Every exception the SDK raises on purpose, importable from one place."""

from ._runtime.exceptions import (
    APIError,
    NetworkError,
    PaginationError,
    ProblemDetailsError,
    ResponseValidationError,
    WorkflowsError,
)
from .auth import RefreshTokenError
from .jobs.exceptions import JobError, JobFailedError, JobTimeoutError, UnexpectedJobStatusError
from .lookups import NameNotFoundError

__all__ = [
    "APIError",
    "JobError",
    "JobFailedError",
    "JobTimeoutError",
    "NameNotFoundError",
    "NetworkError",
    "PaginationError",
    "ProblemDetailsError",
    "RefreshTokenError",
    "ResponseValidationError",
    "UnexpectedJobStatusError",
    "WorkflowsError",
]
