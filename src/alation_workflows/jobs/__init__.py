"""Jobs overlay: typed handles for background jobs, waiting on one or many, batching (hand-written).

Every name loads its module on first use: a program that only reads (or only submits and waits on
one job) does not pay at import for batching, the sqlite3 journal, readers or waiting on many.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._runtime.lazy import lazy_attributes
from .._runtime.operation import JobPolling

# A function named like its module: imported now, or importing the module would shadow it.
from .item_errors import item_errors

if TYPE_CHECKING:
    from .batches import BulkResult, resume_batches, submit_batches, submit_batches_async
    from .exceptions import (
        AmbiguousSubmitError,
        InvalidItemsError,
        JobError,
        JobFailedError,
        JobTimeoutError,
        RecordedError,
        UnexpectedJobResultError,
        UnexpectedJobStatusError,
    )
    from .handle import AsyncJobHandle, JobHandle, JobRef, JobRefError
    from .journal import Journal
    from .outcomes import BatchOutcome, JobOutcome, NoDetailsError
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

__getattr__ = lazy_attributes(
    __name__,
    {
        "BulkResult": ".batches",
        "resume_batches": ".batches",
        "submit_batches": ".batches",
        "submit_batches_async": ".batches",
        "AmbiguousSubmitError": ".exceptions",
        "InvalidItemsError": ".exceptions",
        "JobError": ".exceptions",
        "JobFailedError": ".exceptions",
        "JobTimeoutError": ".exceptions",
        "RecordedError": ".exceptions",
        "UnexpectedJobResultError": ".exceptions",
        "UnexpectedJobStatusError": ".exceptions",
        "AsyncJobHandle": ".handle",
        "JobHandle": ".handle",
        "JobRef": ".handle",
        "JobRefError": ".handle",
        "Journal": ".journal",
        "BatchOutcome": ".outcomes",
        "JobOutcome": ".outcomes",
        "NoDetailsError": ".outcomes",
        "JobProgress": ".progress",
        "ProgressEvent": ".progress",
        "Unreadable": ".readers",
        "read_csv": ".readers",
        "read_items": ".readers",
        "read_jsonl": ".readers",
        "BatchCounts": ".results",
        "DataQualityShortfall": ".results",
        "batch_counts": ".results",
        "data_quality_shortfall": ".results",
        "error_count": ".results",
        "error_objects": ".results",
        "followup_job_ids": ".results",
        "partial_failures": ".results",
        "ItemFailure": ".summary",
        "object_ids": ".summary",
        "wait_all": ".waiting",
        "wait_all_async": ".waiting",
    },
    globals(),
)


def __dir__() -> list[str]:
    return sorted(__all__)


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
    "JobRefError",
    "JobTimeoutError",
    "NoDetailsError",
    "ProgressEvent",
    "UnexpectedJobResultError",
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
