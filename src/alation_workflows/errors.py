"""Every exception the SDK raises on purpose, importable from one place."""

from typing import TYPE_CHECKING

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
from ._runtime.lazy import lazy_attributes

if TYPE_CHECKING:
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

# The job, auth and lookup errors load with their modules, on first use (start-up stays small).
__getattr__ = lazy_attributes(
    __name__,
    {
        "RefreshTokenError": ".auth",
        "JobError": ".jobs.exceptions",
        "JobFailedError": ".jobs.exceptions",
        "JobTimeoutError": ".jobs.exceptions",
        "UnexpectedJobResultError": ".jobs.exceptions",
        "UnexpectedJobStatusError": ".jobs.exceptions",
        "JobRefError": ".jobs.handle",
        "NoDetailsError": ".jobs.outcomes",
        "NameNotFoundError": ".lookups",
    },
    globals(),
)

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
