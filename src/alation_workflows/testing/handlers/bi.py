"""Virtual BI sources: sync server POST; async upsert-by-external-id of folders, reports, report columns."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ..fields import request_fields
from ..registry import handles
from ..wire import Reject, SimRequest, SimResponse
from .common import check_fields, job_id_handle, list_body

if TYPE_CHECKING:
    from ..simulator import Simulator


@handles("createBiServers")
def create_servers(sim: Simulator, request: SimRequest) -> SimResponse:
    items = list_body(request)
    fields = request_fields(request.operation)
    errors = [check_fields(item, fields) for item in items]
    if any(errors):
        problems = [f"Item {i}: {e}" for i, e in enumerate(errors) if e]
        raise Reject(400, {"detail": "Unable to create BI servers", "errors": problems, "code": "400002"})
    ids: list[int] = []
    for item in items:
        server_id = sim.catalog.new_id()
        sim.catalog.bi_servers[server_id] = {**item, "id": server_id}
        ids.append(server_id)
    return SimResponse.json(
        200,
        {
            "Status": f"Success: Created {len(ids)} servers.",
            "Count": len(ids),
            "Server IDs": ids,
            "Errors": [None] * len(ids),
        },
    )


def _upsert(sim: Simulator, request: SimRequest, server_id: int, table_name: str, label: str) -> SimResponse:
    if server_id not in sim.catalog.bi_servers:
        raise Reject(404, {"detail": f"BI server with id {server_id} does not exist", "code": "404000"})
    items = list_body(request)
    fields = request_fields(request.operation)
    errors = [check_fields(item, fields) for item in items]
    if any(errors):
        raise Reject(
            400,
            {
                "detail": "Incorrect input data. Please fix the errors and post the data.",
                "errors": errors,
                "code": "400010",
            },
        )

    def work() -> list[str]:
        started = time.perf_counter()
        table: dict[tuple[int, str], Any] = getattr(sim.catalog, table_name)
        created = updated = 0
        for item in items:
            key = (server_id, item["external_id"])
            existing = table.get(key)
            if existing is None:
                created += 1
                table[key] = {**item, "id": sim.catalog.new_id(), "server_id": server_id}
            else:
                updated += 1
                existing.update(item)
        parts = [f"{len(items)} {label} object(s) received"]
        if created:
            parts.append(f"{created} new object(s) created")
        if updated:
            parts.append(f"{updated} existing object(s) updated")
        return [", ".join(parts), f"BI_V2_API_SYNCING took {time.perf_counter() - started:.2f}s"]

    return job_id_handle(sim.start_job(request, work))


@handles("createBiFolders")
def upsert_folders(sim: Simulator, request: SimRequest, bi_server_id: int) -> SimResponse:
    return _upsert(sim, request, bi_server_id, "bi_folders", "BIFolder")


@handles("createBiReports")
def upsert_reports(sim: Simulator, request: SimRequest, bi_server_id: int) -> SimResponse:
    return _upsert(sim, request, bi_server_id, "bi_reports", "BIReport")


@handles("createBiReportColumns")
def upsert_report_columns(sim: Simulator, request: SimRequest, bi_server_id: int) -> SimResponse:
    return _upsert(sim, request, bi_server_id, "bi_columns", "BIReportColumn")
