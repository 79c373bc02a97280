"""Jobs overlay: typed handles for background jobs, waiting on one or many, batching (hand-written)."""

from .._runtime.operation import JobPolling
from .batches import BatchOutcome, submit_batches, submit_batches_async
from .errors import JobError, JobFailedError, JobTimeoutError, UnexpectedJobStatusError
from .handle import AsyncJobHandle, JobHandle, JobRef
from .outcomes import (
    BatchCounts,
    DataQualityShortfall,
    batch_counts,
    data_quality_shortfall,
    error_count,
    error_objects,
    followup_job_ids,
    partial_failures,
)
from .progress import JobProgress, ProgressEvent
from .waiting import JobOutcome, wait_all, wait_all_async

__all__ = [
    "AsyncJobHandle",
    "BatchCounts",
    "BatchOutcome",
    "DataQualityShortfall",
    "JobError",
    "JobFailedError",
    "JobHandle",
    "JobOutcome",
    "JobPolling",
    "JobProgress",
    "JobRef",
    "JobTimeoutError",
    "ProgressEvent",
    "UnexpectedJobStatusError",
    "batch_counts",
    "data_quality_shortfall",
    "error_count",
    "error_objects",
    "followup_job_ids",
    "partial_failures",
    "submit_batches",
    "submit_batches_async",
    "wait_all",
    "wait_all_async",
]
