"""Business policies: async create/update answering with a task handle (H3), sync delete (204)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..fields import Fields, request_fields
from ..registry import handles
from ..wire import SimRequest, SimResponse, is_array, is_object
from .common import check_fields, dict_body, int_list, list_body

if TYPE_CHECKING:
    from ..jobs import Job
    from ..simulator import Simulator

SERVER_BATCH = 250  # Alation processes policies in batches of 250 inside one job


def _task_handle(request: SimRequest, job: Job, kind: str) -> SimResponse:
    base = f"http://{request.headers.get('host', 'localhost')}"
    task = {
        "id": job.id,
        "type": kind,
        "state": "QUEUED",
        "status": "NA",
        "ts_started": datetime.now(UTC).isoformat(),
        "version": "V1",
        "links": [
            {"rel": "status", "href": f"{base}/api/v1/bulk_metadata/job/?id={job.id}"},
            {"rel": "info", "href": f"{base}/api/job/{job.id}/"},
            {"rel": "errors", "href": f"{base}/api/job_error/?job_id={job.id}"},
        ],
    }
    return SimResponse.json(202, {"task": task})


def _item_errors(sim: Simulator, item: Any, spec: Fields) -> dict[str, Any]:
    errors: dict[str, Any] = check_fields(item, spec)
    if errors:
        return errors
    cat = sim.catalog
    if "id" in item and item["id"] not in cat.policies:
        errors["id"] = [f'Invalid pk "{item["id"]}" - object does not exist.']
    groups = item.get("policy_group_ids")
    if is_array(groups):
        missing = [g for g in groups if g not in cat.policy_groups]
    elif is_object(groups):
        missing = [
            g
            for key in ("add", "remove", "replace")
            for g in groups.get(key) or ()
            if g not in cat.policy_groups
        ]
    else:
        missing = []
    if missing:
        errors["policy_group_ids"] = [f'Invalid pk "{missing[0]}" - object does not exist.']
    if item.get("template_id") is not None and item["template_id"] not in cat.templates:
        errors["template_id"] = [f'Invalid pk "{item["template_id"]}" - object does not exist.']
    return errors


def _run(sim: Simulator, items: list[Any], spec: Fields, apply: Any) -> list[str]:
    """Process items in server batches; the result lines say what succeeded and what failed."""
    lines: list[str] = []
    succeeded = failed = 0
    for start in range(0, len(items), SERVER_BATCH):
        batch = items[start : start + SERVER_BATCH]
        ok = 0
        for offset, item in enumerate(batch):
            errors = _item_errors(sim, item, spec)
            if errors:
                failed += 1
                # Exact failure wording is not documented; this keeps the index and the reasons.
                lines.append(f"Failed to process item at index {start + offset}: {errors}")
            else:
                apply(item)
                ok += 1
        succeeded += ok
        lines.append(f"Successfully processed {ok} items (index range: [{start}, {start + len(batch) - 1}])")
    batches = (len(items) + SERVER_BATCH - 1) // SERVER_BATCH
    lines.append(
        f"All total {batches} batches with a limit of {SERVER_BATCH} items attempted. "
        f"[Succeeded: {succeeded}, Failed: {failed}, Total: {len(items)}]"
    )
    return lines


@handles("createBusinessPolicies")
def create_policies(sim: Simulator, request: SimRequest) -> SimResponse:
    items = list_body(request)

    def apply(item: dict[str, Any]) -> None:
        new_id = sim.catalog.new_id()
        sim.catalog.policies[new_id] = {**item, "id": new_id}

    fields = request_fields(request.operation)
    job = sim.start_job(request, lambda: _run(sim, items, fields, apply))
    return _task_handle(request, job, "BUSINESS_POLICY_BULK_CREATE")


@handles("updateBusinessPolicies")
def update_policies(sim: Simulator, request: SimRequest) -> SimResponse:
    items = list_body(request)

    def apply(item: dict[str, Any]) -> None:
        policy = sim.catalog.policies[item["id"]]
        groups = item.get("policy_group_ids")
        if is_object(groups):
            current = list(groups.get("replace") or policy.get("policy_group_ids") or ())
            current += [g for g in groups.get("add") or () if g not in current]
            current = [g for g in current if g not in (groups.get("remove") or [])]
            item = {**item, "policy_group_ids": current}
        policy.update({k: v for k, v in item.items() if v is not None})

    fields = request_fields(request.operation)
    job = sim.start_job(request, lambda: _run(sim, items, fields, apply))
    return _task_handle(request, job, "BUSINESS_POLICY_BULK_UPDATE")


@handles("deleteBusinessPolicies")
def delete_policies(sim: Simulator, request: SimRequest) -> SimResponse:
    for policy_id in int_list(request, dict_body(request)):
        sim.catalog.policies.pop(policy_id, None)
    return SimResponse.empty(204)
