"""Every exception the SDK raises on purpose, importable from one place."""

from ._runtime.exceptions import (
    APIError,
    ClientClosedError,
    DeadlineExceededError,
    InvalidTokenError,
    NetworkError,
    PaginationError,
    ProblemDetailsError,
    ResponseTooLargeError,
    ResponseValidationError,
    SubmitUncertainAPIError,
    SubmitUncertainError,
    SubmitUncertainNetworkError,
    SubmitUncertainResponseError,
    WorkflowsError,
)
from .auth import RefreshTokenError
from .jobs.exceptions import JobError, JobFailedError, JobTimeoutError, UnexpectedJobStatusError
from .lookups import NameNotFoundError

__all__ = [
    "APIError",
    "ClientClosedError",
    "DeadlineExceededError",
    "InvalidTokenError",
    "JobError",
    "JobFailedError",
    "JobTimeoutError",
    "NameNotFoundError",
    "NetworkError",
    "PaginationError",
    "ProblemDetailsError",
    "RefreshTokenError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "SubmitUncertainAPIError",
    "SubmitUncertainError",
    "SubmitUncertainNetworkError",
    "SubmitUncertainResponseError",
    "UnexpectedJobStatusError",
    "WorkflowsError",
]
