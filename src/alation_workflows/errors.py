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
from .jobs.exceptions import (
    JobError,
    JobFailedError,
    JobTimeoutError,
    UnexpectedJobResultError,
    UnexpectedJobStatusError,
)
from .jobs.handle import JobRefError
from .jobs.outcomes import NoDetailsError
from .lookups import NameNotFoundError

__all__ = [
    "APIError",
    "ClientClosedError",
    "DeadlineExceededError",
    "InvalidTokenError",
    "JobError",
    "JobFailedError",
    "JobRefError",
    "JobTimeoutError",
    "NameNotFoundError",
    "NetworkError",
    "NoDetailsError",
    "PaginationError",
    "ProblemDetailsError",
    "RefreshTokenError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "SubmitUncertainAPIError",
    "SubmitUncertainError",
    "SubmitUncertainNetworkError",
    "SubmitUncertainResponseError",
    "UnexpectedJobResultError",
    "UnexpectedJobStatusError",
    "WorkflowsError",
]
