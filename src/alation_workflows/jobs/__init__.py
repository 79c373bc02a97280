"""Jobs overlay: typed handles for background jobs, waiting on one or many, batching (hand-written)."""

from .._runtime.operation import JobPolling
from .batches import BulkResult, resume_batches, submit_batches, submit_batches_async
from .exceptions import (
    AmbiguousSubmitError,
    InvalidItemsError,
    JobError,
    JobFailedError,
    JobTimeoutError,
    RecordedError,
    UnexpectedJobStatusError,
)
from .handle import AsyncJobHandle, JobHandle, JobRef
from .item_errors import item_errors
from .journal import Journal
from .outcomes import BatchOutcome, JobOutcome
from .progress import JobProgress, ProgressEvent
from .readers import Unreadable, read_csv, read_items, read_jsonl
from .results import (
    BatchCounts,
    DataQualityShortfall,
    batch_counts,
    data_quality_shortfall,
    error_count,
    error_objects,
    followup_job_ids,
    partial_failures,
)
from .summary import ItemFailure, object_ids
from .waiting import wait_all, wait_all_async

__all__ = [
    "AmbiguousSubmitError",
    "AsyncJobHandle",
    "BatchCounts",
    "BatchOutcome",
    "BulkResult",
    "InvalidItemsError",
    "ItemFailure",
    "Journal",
    "RecordedError",
    "Unreadable",
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
    "item_errors",
    "object_ids",
    "partial_failures",
    "read_csv",
    "read_items",
    "read_jsonl",
    "resume_batches",
    "submit_batches",
    "submit_batches_async",
    "wait_all",
    "wait_all_async",
]
