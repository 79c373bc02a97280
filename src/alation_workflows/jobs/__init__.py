"""Jobs overlay: typed handles for background jobs, waiting on one or many, batching (hand-written).

Batching, the journal (sqlite3), input readers and waiting on many jobs load on first use: a
script that only submits and waits on one job does not pay for them at import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .._runtime.operation import JobPolling
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
from .item_errors import item_errors
from .outcomes import BatchOutcome, JobOutcome, NoDetailsError
from .progress import JobProgress, ProgressEvent
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

if TYPE_CHECKING:
    from .batches import BulkResult, resume_batches, submit_batches, submit_batches_async
    from .journal import Journal
    from .readers import Unreadable, read_csv, read_items, read_jsonl
    from .summary import ItemFailure, object_ids
    from .waiting import wait_all, wait_all_async

# Loaded on first use: name -> submodule.
_LAZY = {
    "BulkResult": "batches",
    "resume_batches": "batches",
    "submit_batches": "batches",
    "submit_batches_async": "batches",
    "Journal": "journal",
    "Unreadable": "readers",
    "read_csv": "readers",
    "read_items": "readers",
    "read_jsonl": "readers",
    "ItemFailure": "summary",
    "object_ids": "summary",
    "wait_all": "waiting",
    "wait_all_async": "waiting",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
