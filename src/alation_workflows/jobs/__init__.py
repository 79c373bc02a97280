"""Jobs overlay: typed handles for background jobs, waiting on one or many, batching (hand-written)."""

from .batches import BatchOutcome, submit_batches, submit_batches_async
from .exceptions import JobError, JobFailedError, JobTimeoutError, UnexpectedJobStatusError
from .handle import RUNNING_STATUSES, AsyncJobHandle, JobHandle, JobRef
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
from .progress import ProgressEvent
from .waiting import JobOutcome, wait_all, wait_all_async

__all__ = [
    "RUNNING_STATUSES",
    "AsyncJobHandle",
    "BatchCounts",
    "BatchOutcome",
    "DataQualityShortfall",
    "JobError",
    "JobFailedError",
    "JobHandle",
    "JobOutcome",
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
