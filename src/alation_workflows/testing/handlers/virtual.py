"""JSONL uploads: virtual data source (job name, JSON-in-string result), virtual file system, query logs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..fields import Fields, request_fields
from ..registry import handles, simulator_only
from ..wire import Reject, SimRequest, SimResponse
from .common import check_fields, jsonl_lines, parse_line

if TYPE_CHECKING:
    from ..simulator import Simulator


def _flag(request: SimRequest, name: str) -> bool:
    return (request.arg(name) or "false").lower() == "true"


# -- virtual data source ---------------------------------------------------------------------


def _vds_kind(obj: dict[str, Any], depth: int) -> str | None:
    if depth == 1:
        return "schemas"
    if depth == 2:
        return "indexes" if "index_type" in obj else "tables"
    if depth == 3:
        return "columns"
    return None


@handles("postVirtualDataSourceMetadata")
def post_vds(sim: Simulator, request: SimRequest, ds_id: int) -> SimResponse:
    if ds_id not in sim.catalog.datasources:
        raise Reject(400, {"error": "Cannot find Datasource"})
    lines = jsonl_lines(request)
    set_title_descs = _flag(request, "set_title_descs")
    remove_not_seen = _flag(request, "remove_not_seen")

    def work() -> str:
        cat = sim.catalog
        errors: list[str] = []
        seen: set[tuple[str, str]] = set()
        updated = 0
        for number, text in lines:
            obj = parse_line(text)
            if isinstance(obj, str):
                errors.append(f"Line {number}: {obj}")
                continue
            key = obj.get("key")
            if not isinstance(key, str) or not key:
                errors.append(f"Line {number}: 'key' is required")
                continue
            parts = key.split(".")
            if parts[0] != str(ds_id):
                errors.append(f"Line {number}: key {key} does not start with the data source id {ds_id}")
                continue
            kind = _vds_kind(obj, len(parts) - 1)
            if kind is None:
                errors.append(f"Line {number}: key {key} has too many parts")
                continue
            table: dict[str, Any] = getattr(cat, kind)
            parent = key.rsplit(".", 1)[0]
            if kind in ("columns", "indexes") and parent not in cat.tables:
                errors.append(f"Line {number}: table {parent} of {key} is not in the upload or the catalog")
                continue
            if kind == "tables" and parent not in cat.schemas:
                cat.schemas[parent] = {"key": parent, "id": cat.new_id(), "ds_id": ds_id}
                seen.add(("schemas", parent))
            fields = dict(obj)
            if not set_title_descs:
                fields.pop("title", None)
                fields.pop("description", None)
            existing = table.get(key)
            table[key] = {
                **(existing or {}),
                **fields,
                "id": existing["id"] if existing else cat.new_id(),
                "ds_id": ds_id,
            }
            seen.add((kind, key))
            updated += 1
        if remove_not_seen:
            for kind in ("schemas", "tables", "columns", "indexes"):
                table = getattr(cat, kind)
                for key in [k for k, v in table.items() if v.get("ds_id") == ds_id and (kind, k) not in seen]:
                    del table[key]
        summary = {
            "number_received": len(lines),
            "updated_objects": updated,
            "error_objects": errors,
            "error": f"{len(errors)} errors were ignored" if errors else None,
        }
        return json.dumps(summary)  # Alation sends this result as a JSON document inside a string

    job = sim.start_job(request, work, name_prefix=f"MetadataExtraction#{ds_id}")
    return SimResponse.json(200, {"job_name": job.name})


def _valid_lines(request: SimRequest, spec: Fields) -> list[dict[str, Any]]:
    """Every JSONL line as an object fitting `spec`, else a 400 naming the first bad line."""
    objects: list[dict[str, Any]] = []
    for number, text in jsonl_lines(request):
        obj = parse_line(text)
        if isinstance(obj, str):
            raise Reject(400, {"error": f"Line {number}: {obj}"})
        problem = check_fields(obj, spec)
        if problem:
            raise Reject(400, {"error": f"Line {number}: {problem}"})
        objects.append(obj)
    return objects


# -- virtual file system ---------------------------------------------------------------------


@simulator_only(
    "postVirtualFileSystemMetadataNoSlash",
    "POST",
    "/api/v1/bulk_metadata/file_upload/{fs_id:int}",
    like="postVirtualFileSystemMetadata",
)
@handles("postVirtualFileSystemMetadata")
def post_vfs(sim: Simulator, request: SimRequest, fs_id: int) -> SimResponse:
    if fs_id not in sim.catalog.file_systems:
        raise Reject(400, {"error": f"Cannot find FileSystem id: {fs_id}"})
    entries = _valid_lines(request, request_fields(request.operation))

    def work() -> list[str]:
        # Each upload replaces the file system's listing (an empty upload deletes everything).
        sim.catalog.files[fs_id] = {f"{e['path'].rstrip('/')}/{e['name']}": e for e in entries}
        return [f"Uploaded {len(entries)} directories and files."]

    job = sim.start_job(request, work)
    return SimResponse.json(
        200,
        {
            "job": {
                "id": job.id,
                "url": f"/api/job/{job.id}/",
                "errors_url": f"/api/job_error/?job_id={job.id}",
            }
        },
    )


# -- query log ingestion ---------------------------------------------------------------------


@handles("pushQueryLogs")
def post_qli(sim: Simulator, request: SimRequest, ds_id: int) -> SimResponse:
    if ds_id not in sim.catalog.datasources:
        raise Reject(400, {"error": "Cannot find Datasource"})
    events = _valid_lines(request, request_fields(request.operation))

    def work() -> str:
        log = sim.catalog.query_logs.setdefault(ds_id, [])
        known = {(e["sessionId"], e["startTime"], e["text"]) for e in log}
        new = skipped = 0
        for event in events:
            ident = (event["sessionId"], event["startTime"], event["text"])
            if ident in known:
                skipped += 1
            else:
                known.add(ident)
                log.append(event)
                new += 1
        return (
            f"Bulk Query Ingestion Succeeded: {new} new events ingested, "
            f"{skipped} previously-ingested events skipped."
        )

    job = sim.start_job(request, work)
    return SimResponse.json(202, {"job_id": job.id})
