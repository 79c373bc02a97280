"""Lineage: dataflow objects (POST create-or-replace, PATCH, DELETE) and the lineage V2 POST."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..fields import batch_limit, request_fields
from ..registry import handles
from ..wire import Reject, SimRequest, SimResponse, is_array
from .common import check_fields, check_value, dict_body, job_id_handle, list_body

if TYPE_CHECKING:
    from ..simulator import Simulator


def _invalid(errors: Any) -> Reject:
    # No captured sample of a rejected lineage payload; this follows Alation's usual 400 body.
    return Reject(400, {"detail": "Invalid lineage payload.", "errors": errors, "code": "400000"})


def _check_graph(body: dict[str, Any], operation_id: str | None) -> tuple[list[dict[str, Any]], list[Any]]:
    objects: object = body.get("dataflow_objects") or []
    paths: object = body.get("paths") or []
    if not is_array(objects) or not is_array(paths):
        raise _invalid([{"non_field_errors": ["dataflow_objects and paths must be lists."]}])
    limit = batch_limit(operation_id, "dataflow_objects")  # the spec states none today (no server batching)
    if limit is not None and len(objects) > limit:
        raise _invalid([{"dataflow_objects": [f"At most {limit} dataflow objects per request."]}])
    dataflow = request_fields(operation_id, "dataflow_objects")
    errors = [check_fields(obj, dataflow) for obj in objects]
    if any(errors):
        raise _invalid({"dataflow_objects": errors})
    node_fields = request_fields(operation_id, "paths")
    for number, path in enumerate(paths):
        if not is_array(path) or len(path) < 2 or not all(is_array(seg) and seg for seg in path):
            raise _invalid({"paths": [f"Path {number} must be a list of at least two non-empty segments."]})
        for segment in path:
            if any(check_fields(node, node_fields) for node in segment):
                raise _invalid({"paths": [f"Path {number}: each node needs otype and key."]})
        if any(node["otype"] == "dataflow" for node in path[0] + path[-1]):
            raise _invalid(
                {"paths": [f"Path {number}: the first and last segments must not contain dataflows."]}
            )
    return objects, paths


def _upsert(sim: Simulator, objects: list[dict[str, Any]], paths: list[Any]) -> list[dict[str, Any]]:
    by_external = {df["external_id"]: df for df in sim.catalog.dataflows.values()}
    mapping: list[dict[str, Any]] = []
    for obj in objects:
        existing = by_external.get(obj["external_id"])
        df_id = existing["id"] if existing else sim.catalog.new_id()
        sim.catalog.dataflows[df_id] = {**obj, "id": df_id}
        mapping.append(
            {"id": df_id, "external_id": obj["external_id"], "replaced": "true" if existing else "false"}
        )
    sim.catalog.lineage_paths.extend(paths)
    created = sum(1 for m in mapping if m["replaced"] == "false")
    response = f"Created {created} and replaced {len(mapping) - created} dataflow objects."
    return [{"response": response, "mapping": mapping}]


@handles("createDataflows")
def post_dataflows(sim: Simulator, request: SimRequest) -> SimResponse:
    objects, paths = _check_graph(dict_body(request), request.operation)
    return job_id_handle(sim.start_job(request, lambda: _upsert(sim, objects, paths)))


@handles("createLineage")
def post_lineage(sim: Simulator, request: SimRequest) -> SimResponse:
    # The lineage V2 result shape was never captured; it mirrors the dataflow POST result.
    objects, paths = _check_graph(dict_body(request), request.operation)
    return job_id_handle(sim.start_job(request, lambda: _upsert(sim, objects, paths)))


@handles("updateDataflows")
def patch_dataflows(sim: Simulator, request: SimRequest) -> SimResponse:
    items = list_body(request)
    fields = request_fields(request.operation)
    errors = [check_fields(item, fields) for item in items]
    if any(errors):
        raise _invalid(errors)

    def work() -> list[dict[str, Any]]:
        mapping: list[dict[str, Any]] = []
        for item in items:
            df = sim.catalog.dataflows.get(item["id"])
            if df is not None:
                df.update({k: v for k, v in item.items() if k != "id"})
                mapping.append({"id": df["id"], "external_id": df["external_id"], "replaced": "false"})
        return [{"response": f"Updated {len(mapping)} dataflow objects.", "mapping": mapping}]

    return job_id_handle(sim.start_job(request, work))


@handles("deleteDataflows")
def delete_dataflows(sim: Simulator, request: SimRequest) -> SimResponse:
    key_field = request.arg("keyField")  # present and one of the spec's values: the route checked it
    keys = list_body(request)
    kind = "int" if key_field == "id" else "str"
    # The keyField query parameter decides the keys' type: a cross-parameter rule the schema cannot state.
    if any(key is None or check_value(kind, key) for key in keys):
        raise _invalid([f"Expected a list of {'integer ids' if kind == 'int' else 'external id strings'}."])

    def work() -> list[dict[str, Any]]:
        cat = sim.catalog
        mapping: list[dict[str, Any]] = []
        failed: list[Any] = []
        for key in keys:
            df = (
                cat.dataflows.get(key)
                if key_field == "id"
                else next((d for d in cat.dataflows.values() if d["external_id"] == key), None)
            )
            if df is None:
                failed.append(key)
                continue
            del cat.dataflows[df["id"]]
            mapping.append({"id": df["id"], "external_id": df["external_id"], "impacted_dfos": []})
        return [
            {"response": f"Deleted {len(mapping)} dataflow objects.", "mapping": mapping, "failed": failed}
        ]

    return job_id_handle(sim.start_job(request, work))
