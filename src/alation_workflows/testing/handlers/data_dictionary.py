"""Data dictionary CSV upload: a task (UUID id) with its own status and errors API, not the jobs API."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..registry import handles, simulator_only
from ..wire import Reject, SimRequest, SimResponse
from .users import multipart_parts

if TYPE_CHECKING:
    from ..simulator import Simulator

OBJECT_TYPES = (
    "data",
    "schema",
    "table",
    "glossary_v3",
    "bi_server",
    "bi_folder",
    "bi_report",
    "bi_datasource",
)
BATCH = 100


def _known(sim: Simulator, key: str) -> bool:
    cat = sim.catalog
    return key in cat.schemas or key in cat.tables or key in cat.columns


@handles("uploadDataDictionary")
def upload(sim: Simulator, request: SimRequest, object_type: str, object_id: int) -> SimResponse:
    if object_type not in OBJECT_TYPES:
        raise Reject(404, {"detail": f"Unsupported object type {object_type}.", "code": "404000"})
    parts = multipart_parts(request)
    if "file" not in parts:
        raise Reject(400, {"detail": {"file": ["No file was submitted."]}, "code": "400000"})
    overwrite = parts.get("overwrite_values", (None, b""))[1].decode(errors="replace").strip().lower()
    if overwrite not in ("true", "false"):
        raise Reject(400, {"detail": {"overwrite_values": ["Must be a valid boolean."]}, "code": "400000"})
    try:
        rows = list(csv.DictReader(io.StringIO(parts["file"][1].decode("utf-8-sig", errors="replace"))))
    except csv.Error as exc:
        raise Reject(400, {"detail": f"The file is not a valid CSV file: {exc}.", "code": "400000"}) from exc
    if rows and "key" not in rows[0]:
        raise Reject(400, {"detail": "The CSV file must have a 'key' column.", "code": "400000"})
    rdbms = object_type in ("data", "schema", "table")
    failures: list[tuple[int, str]] = []
    for index, row in enumerate(rows):
        key = (row.get("key") or "").strip()
        if not key or (rdbms and not _known(sim, key)):
            failures.append((index, key))
    task_id = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat()
    sim.catalog.dd_tasks[task_id] = {
        "id": task_id,
        "operation": request.operation,
        "created": sim.clock(),
        "duration": sim.jobs.durations.get(request.operation or "", sim.jobs.default_duration),
        "total": len(rows),
        "failures": failures,
        "ts_created": now,
        "dd_resource": {"id": object_id, "oid": object_id, "otype": object_type, "user_id": 1},
    }
    task: dict[str, Any] = {
        "id": task_id,
        "type": "COMMIT_TO_CATALOG",
        "state": "QUEUED",
        "ts_created": now,
        "links": [],
    }
    return SimResponse.json(202, {"task": task})


def _task(sim: Simulator, task_id: str) -> dict[str, Any]:
    task = sim.catalog.dd_tasks.get(task_id)
    if task is None:
        raise Reject(404, {"detail": f"Task {task_id} does not exist.", "code": "404000"})
    return task


@simulator_only(
    "getDataDictionaryTaskSlash",
    "GET",
    "/integration/v1/data_dictionary/tasks/{task_id}/",
    like="getDataDictionaryTask",
)
@handles("getDataDictionaryTask")
def get_task(sim: Simulator, request: SimRequest, task_id: str) -> SimResponse:
    task = _task(sim, task_id)
    request.reports_job = task.get("operation")
    elapsed = sim.clock() - task["created"]
    done = elapsed >= task["duration"]
    total, failed = task["total"], len(task["failures"])
    batches = max((total + BATCH - 1) // BATCH, 1)
    # Batches complete evenly over the task's run time, so a poller sees progress move.
    completed = batches if done else min(batches - 1, int(batches * elapsed / max(task["duration"], 1e-9)))
    status = None
    if done:
        status = "SUCCEEDED" if not failed else "FAILED" if failed == total else "PARTIALLY_SUCCEEDED"
        task.setdefault("ts_completed", datetime.now(UTC).isoformat())
    body = {
        "id": task_id,
        "type": "COMMIT_TO_CATALOG",
        "state": "COMPLETED" if done else "PROCESSING",
        "status": status,
        "progress": {"total_batches": batches, "batches_completed": completed},
        "result": {"records": {"total": total, "succeeded": total - failed, "failed": failed}}
        if done
        else None,
        "ts_created": task["ts_created"],
        "ts_updated": datetime.now(UTC).isoformat(),
        "ts_completed": task.get("ts_completed"),
        "dd_resource": task["dd_resource"],
        "report_download_link": f"/integration/v1/data_dictionary/tasks/{task_id}/report/" if done else None,
    }
    return SimResponse.json(200, body)


@handles("getDataDictionaryTaskErrors")
def get_task_errors(sim: Simulator, request: SimRequest, task_id: str) -> SimResponse:
    task = _task(sim, task_id)
    errors = [
        {
            "timestamp": task["ts_created"],
            "name": "ObjectNotFound",
            "fatal": False,
            "error_message": f"Row {index}: object with key {key!r} was not found.",
            "original_error_message": f"key {key!r} not found",
            "details": {
                "items": {
                    "range": {
                        "start": {"index": index, "key": key},
                        "end": {"index": index, "key": key},
                        "start_inclusive": True,
                        "end_inclusive": True,
                    },
                    "total": 1,
                },
                "error": "not found",
            },
            "category": "DATA",
        }
        for index, key in task["failures"]
    ]
    return SimResponse.json(200, errors)
