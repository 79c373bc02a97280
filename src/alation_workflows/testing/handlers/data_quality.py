"""Data quality fields and values: async POST (upsert) and DELETE, handle with `href` (H2)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ..fields import Fields, batch_limit, request_fields
from ..registry import handles
from ..routes import enum_values
from ..wire import Reject, SimRequest, SimResponse, is_array, is_object
from .common import check_fields

if TYPE_CHECKING:
    from ..simulator import Simulator

SAMPLE = 10  # how many keys Alation lists in each `sample`
NOTHING = 'A "values" or "fields" property must be specified'


def _reject(entry: int, message: str) -> Reject:
    return Reject(400, {"Entry": entry, "Message": message})


def _body(request: SimRequest) -> tuple[list[Any], list[Any]]:
    """The body's "fields" and "values" lists (an absent one is empty; one of them must be sent)."""
    try:
        body = request.json()
    except Exception as exc:
        raise _reject(-1, str(exc)) from exc
    if not is_object(body) or not ({"fields", "values"} & set(body)):
        raise _reject(-1, NOTHING)
    lists: list[list[Any]] = []
    for name in ("fields", "values"):
        entries = body.get(name, [])
        if not is_array(entries):
            raise _reject(-1, f'"{name}" must be a list')
        limit = batch_limit(request.operation, name)
        if limit is not None and len(entries) > limit:
            raise _reject(-1, f'At most {limit} entries per "{name}" list, got {len(entries)}')
        lists.append(entries)
    fields, values = lists
    return fields, values


def _first_error(item: Any, spec: Fields) -> str | None:
    errors = check_fields(item, spec)
    if not errors:
        return None
    name, messages = next(iter(errors.items()))
    return f"{name} is required" if messages == ["This field is required."] else f"{name}: {messages[0]}"


def _stats(keys: list[dict[str, str]]) -> dict[str, Any]:
    return {"count": len(keys), "sample": keys[:SAMPLE]}


def _href(job_id: int) -> SimResponse:
    return SimResponse.json(202, {"job_id": job_id, "href": f"/api/v1/bulk_metadata/job/?id={job_id}"})


@handles("postDataQuality")
def post(sim: Simulator, request: SimRequest) -> SimResponse:
    fields, values = _body(request)
    field_spec = request_fields(request.operation, "fields")
    value_spec = request_fields(request.operation, "values")
    # Entry numbers count fields first, then values (1-based).
    for entry, item in enumerate(fields, start=1):
        types = enum_values("DataQualityFieldType")
        problem = _first_error(item, field_spec) or (
            None if item["type"] in types else f"type must be one of {', '.join(types)}"
        )
        if problem:
            raise _reject(entry, problem)
    known = {f["field_key"] for f in fields} | set(sim.catalog.dq_fields)
    for entry, item in enumerate(values, start=len(fields) + 1):
        problem = _first_error(item, value_spec)
        object_types, statuses = enum_values("DataQualityObjectType"), enum_values("DataQualityStatus")
        if problem is None and item["object_type"] not in object_types:
            problem = f"object_type must be one of {', '.join(object_types)}"
        if problem is None and item["status"] not in statuses:
            problem = f"status must be one of {', '.join(statuses)}"
        if problem is None and item["field_key"] not in known:
            problem = f"field_key {item['field_key']} does not exist"
        if problem:
            raise _reject(entry, problem)

    def work() -> dict[str, Any]:
        started = time.perf_counter()
        cat = sim.catalog
        f_created: list[dict[str, str]] = []
        f_updated: list[dict[str, str]] = []
        v_created: list[dict[str, str]] = []
        v_updated: list[dict[str, str]] = []
        for item in fields:
            (f_updated if item["field_key"] in cat.dq_fields else f_created).append(
                {"field_key": item["field_key"]}
            )
            cat.dq_fields[item["field_key"]] = dict(item)
        success: list[dict[str, str]] = []
        failure: list[dict[str, str]] = []
        flags = dict.fromkeys(enum_values("DataQualityStatus"), 0)
        for item in values:
            key = (item["field_key"], item["object_key"])
            ref = {"field_key": item["field_key"], "object_key": item["object_key"]}
            (v_updated if key in cat.dq_values else v_created).append(ref)
            cat.dq_values[key] = dict(item)
            flags[item["status"]] += 1
            # A value for an object the catalog does not know is stored but not attributed.
            (success if cat.object_exists(item["object_type"], item["object_key"]) else failure).append(ref)
        return {
            "fields": {"created": _stats(f_created), "updated": _stats(f_updated)},
            "values": {"created": _stats(v_created), "updated": _stats(v_updated)},
            "created_object_attribution": {
                "success_count": len(success),
                "failure_count": len(failure),
                "success_sample": success[:SAMPLE],
                "failure_sample": failure[:SAMPLE],
            },
            "flag_counts": flags,
            "total_duration": round(time.perf_counter() - started, 6),
        }

    return _href(sim.start_job(request, work).id)


@handles("deleteDataQuality")
def delete(sim: Simulator, request: SimRequest) -> SimResponse:
    fields, values = _body(request)
    for entry, key in enumerate(fields, start=1):
        if not isinstance(key, str):
            raise _reject(entry, "fields must be a list of field_key strings")
    for entry, item in enumerate(values, start=len(fields) + 1):
        problem = _first_error(item, request_fields(request.operation, "values"))
        if problem:
            raise _reject(entry, problem)

    def work() -> dict[str, Any]:
        started = time.perf_counter()
        cat = sim.catalog
        f_deleted: list[dict[str, str]] = []
        f_missing: list[dict[str, str]] = []
        v_deleted: list[dict[str, str]] = []
        v_missing: list[dict[str, str]] = []
        for key in fields:
            if cat.dq_fields.pop(key, None) is None:
                f_missing.append({"field_key": key})
                continue
            f_deleted.append({"field_key": key})
            for value_key in [k for k in cat.dq_values if k[0] == key]:
                del cat.dq_values[value_key]
                v_deleted.append({"field_key": value_key[0], "object_key": value_key[1]})
        for item in values:
            ref = {"field_key": item["field_key"], "object_key": item["object_key"]}
            found = cat.dq_values.pop((item["field_key"], item["object_key"]), None)
            (v_deleted if found is not None else v_missing).append(ref)
        return {
            "fields": {"deleted": _stats(f_deleted), "not_found": _stats(f_missing)},
            "values": {"deleted": _stats(v_deleted), "not_found": _stats(v_missing)},
            "total_duration": round(time.perf_counter() - started, 6),
        }

    return _href(sim.start_job(request, work).id)
