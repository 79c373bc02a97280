"""Relational integration API v2: schemas, tables, columns (POST upsert / PATCH update) and child columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..fields import Fields, request_fields
from ..registry import handles
from ..wire import Reject, SimRequest, SimResponse, is_object
from .common import check_fields, job_id_handle, list_body

if TYPE_CHECKING:
    from ..simulator import Simulator

INCORRECT = "Incorrect input data. Please fix the errors and post the data."
KEY_REQUIRED = "400068: API Key is a required input"

# kind -> (catalog attribute, key depth below the data source, word used in result text)
KINDS: dict[str, tuple[str, int, str]] = {
    "schema": ("schemas", 1, "schema"),
    "table": ("tables", 2, "table"),
    "column": ("columns", 3, "attribute"),
}


def _datasource(sim: Simulator, request: SimRequest) -> int:
    raw = request.arg("ds_id")
    if raw is None or not raw.strip().isdigit():
        problem = "This field is required." if raw is None else "A valid integer is required."
        raise Reject(400, {"detail": INCORRECT, "errors": [{"ds_id": [problem]}], "code": "400010"})
    ds_id = int(raw)
    if ds_id not in sim.catalog.datasources:
        raise Reject(404, {"detail": f"Data source with id {ds_id} does not exist", "code": "404000"})
    return ds_id


def _key_error(ds_id: int, key: str, depth: int) -> str | None:
    parts = key.split(".")
    if parts[0] != str(ds_id):
        return f"400069: Key {key} does not belong to data source {ds_id}"
    if len(parts) != depth + 1 or not all(parts):
        return f"400070: Key {key} must have {depth + 1} dot-separated parts"
    return None


def _check(items: list[Any], spec: Fields, ds_id: int, depth: int, need_key: bool) -> None:
    errors: list[dict[str, Any]] = []
    for item in items:
        problem: dict[str, Any] = check_fields(item, spec)
        if "key" in problem and problem["key"] == ["This field is required."]:
            problem["key"] = [KEY_REQUIRED]
        if not problem and is_object(item):
            if need_key or "key" in item:
                key_problem = _key_error(ds_id, str(item.get("key", "")), depth)
                if key_problem:
                    problem["key"] = [key_problem]
        errors.append(problem)
    if any(errors):
        raise Reject(400, {"detail": INCORRECT, "errors": errors, "code": "400010"})


def _parent_key(key: str) -> str:
    return key.rsplit(".", 1)[0]


def _post(sim: Simulator, request: SimRequest, kind: str) -> SimResponse:
    table_name, depth, word = KINDS[kind]
    ds_id = _datasource(sim, request)
    items = list_body(request)
    _check(items, request_fields(request.operation), ds_id, depth, need_key=True)

    def work() -> list[dict[str, Any]]:
        table: dict[str, Any] = getattr(sim.catalog, table_name)
        parents = {"table": sim.catalog.schemas, "column": sim.catalog.tables}.get(kind)
        mapping: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for item in items:
            key = item["key"]
            if parents is not None and _parent_key(key) not in parents:
                errors.append({"key": key, "error": f"Parent object {_parent_key(key)} does not exist"})
                continue
            existing = table.get(key)
            obj_id = existing["id"] if existing else sim.catalog.new_id()
            # POST replaces the object: fields left out go back to their defaults.
            table[key] = {**item, "id": obj_id, "ds_id": ds_id}
            mapping.append({"id": obj_id, "key": key})
        return [
            {"response": f"Upserted {len(mapping)} {word} objects.", "mapping": mapping, "errors": errors}
        ]

    return job_id_handle(sim.start_job(request, work))


def _patch(sim: Simulator, request: SimRequest, kind: str) -> SimResponse:
    table_name, depth, word = KINDS[kind]
    ds_id = _datasource(sim, request)
    items = list_body(request)
    _check(items, request_fields(request.operation), ds_id, depth, need_key=False)
    # "Give one of id or key" is stated in the schema's description only: a cross-field rule kept here.
    missing = [i for i, item in enumerate(items) if "id" not in item and "key" not in item]
    if missing:
        errors: list[dict[str, Any]] = [{} for _ in items]
        for i in missing:
            errors[i] = {"non_field_errors": ["One of id or key is required."]}
        raise Reject(400, {"detail": INCORRECT, "errors": errors, "code": "400010"})

    def work() -> list[dict[str, Any]]:
        table: dict[str, Any] = getattr(sim.catalog, table_name)
        by_id = {obj["id"]: key for key, obj in table.items()}
        mapping: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for item in items:
            key = item.get("key") or by_id.get(item.get("id", -1))
            if key is None or key not in table:
                errors.append(
                    {"id": item.get("id"), "key": item.get("key"), "error": "Object does not exist"}
                )
                continue
            table[key].update({k: v for k, v in item.items() if k not in ("id", "key")})
            mapping.append({"id": table[key]["id"], "key": key})
        return [{"response": f"Updated {len(mapping)} {word} objects.", "mapping": mapping, "errors": errors}]

    return job_id_handle(sim.start_job(request, work))


@handles("createSchemas")
def post_schemas(sim: Simulator, request: SimRequest) -> SimResponse:
    return _post(sim, request, "schema")


@handles("updateSchemas")
def patch_schemas(sim: Simulator, request: SimRequest) -> SimResponse:
    return _patch(sim, request, "schema")


@handles("createTables")
def post_tables(sim: Simulator, request: SimRequest) -> SimResponse:
    return _post(sim, request, "table")


@handles("updateTables")
def patch_tables(sim: Simulator, request: SimRequest) -> SimResponse:
    return _patch(sim, request, "table")


@handles("createColumns")
def post_columns(sim: Simulator, request: SimRequest) -> SimResponse:
    return _post(sim, request, "column")


@handles("updateColumns")
def patch_columns(sim: Simulator, request: SimRequest) -> SimResponse:
    return _patch(sim, request, "column")


@handles("updateChildColumns")
def patch_children(sim: Simulator, request: SimRequest, column_id: int) -> SimResponse:
    ds_id = _datasource(sim, request)
    column_key = next((k for k, c in sim.catalog.columns.items() if c["id"] == column_id), None)
    if column_key is None:
        raise Reject(404, {"detail": f"Column with id {column_id} does not exist", "code": "404000"})
    items = list_body(request)
    fields = request_fields(request.operation)
    errors = [check_fields(item, fields) for item in items]
    if any(errors):
        raise Reject(400, {"detail": INCORRECT, "errors": errors, "code": "400010"})

    def work() -> list[dict[str, Any]]:
        children = sim.catalog.columns[column_key].setdefault("children", {})
        mapping: list[dict[str, Any]] = []
        for item in items:
            child = children.setdefault(item["key"], {"id": sim.catalog.new_id(), "key": item["key"]})
            child.update(item)
            mapping.append({"id": child["id"], "key": f"{column_key}.{item['key']}"})
        return [
            {"response": f"Updated {len(mapping)} child column objects.", "mapping": mapping, "errors": []}
        ]

    del ds_id
    return job_id_handle(sim.start_job(request, work))


@handles("updateRootChildColumns")
def patch_root_children(sim: Simulator, request: SimRequest) -> SimResponse:
    ds_id = _datasource(sim, request)
    items = list_body(request)
    fields = request_fields(request.operation)
    errors = [check_fields(item, fields) for item in items]
    if any(errors):
        raise Reject(400, {"detail": INCORRECT, "errors": errors, "code": "400010"})

    def work() -> list[dict[str, Any]]:
        mapping: list[dict[str, Any]] = []
        failures: list[dict[str, Any]] = []
        for item in items:
            column = sim.catalog.columns.get(item["parent_key"])
            if column is None or column["ds_id"] != ds_id:
                failures.append({"key": item["parent_key"], "error": "Parent column does not exist"})
                continue
            groups = column.setdefault("child_groups", {})
            group = groups.setdefault(item["key"], {"id": sim.catalog.new_id(), "key": item["key"]})
            group.update(item)
            mapping.append({"id": group["id"], "key": f"{item['parent_key']}.{item['key']}"})
        return [
            {
                "response": f"Updated {len(mapping)} root child column groups.",
                "mapping": mapping,
                "errors": failures,
            }
        ]

    return job_id_handle(sim.start_job(request, work))
