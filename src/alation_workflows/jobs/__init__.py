"""Jobs overlay: typed handles for background jobs and waiting on them (hand-written)."""

from .errors import JobError, JobFailedError, JobTimeoutError, UnexpectedJobStatusError
from .handle import AsyncJobHandle, JobHandle, JobRef

__all__ = [
    "AsyncJobHandle",
    "JobError",
    "JobFailedError",
    "JobHandle",
    "JobRef",
    "JobTimeoutError",
    "UnexpectedJobStatusError",
]
