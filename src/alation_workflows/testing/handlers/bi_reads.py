"""Reads of BI servers, folders and reports (GBM v2), paged by `offset` with no `X-Next-Page` header."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..registry import handles
from ..wire import Reject, SimRequest, SimResponse
from .listing import paged

if TYPE_CHECKING:
    from ..simulator import Simulator

_FOLDER = (
    "name",
    "external_id",
    "source_url",
    "bi_object_type",
    "description_at_source",
    "owner",
    "created_at",
    "last_updated",
    "num_reports",
    "num_report_accesses",
    "parent_folder",
)


def _selected(request: SimRequest, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`oids` (comma-separated) picks objects by `keyField`: `id` (default) or `external_id`."""
    raw = request.arg("oids")
    if not raw:
        return objects
    key = request.arg("keyField") or "id"
    if key not in ("id", "external_id"):
        raise Reject(400, {"detail": {"keyField": [f'"{key}" is not a valid choice.']}, "code": "400000"})
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    return [o for o in objects if str(o.get(key)) in wanted]


@handles("listBiFolders")
def list_folders(sim: Simulator, request: SimRequest, bi_server_id: int) -> SimResponse:
    if bi_server_id not in sim.catalog.bi_servers:
        raise Reject(404, {"detail": "Not found.", "code": "404000"})
    objects = sorted(
        (o for (server, _), o in sim.catalog.bi_folders.items() if server == bi_server_id),
        key=lambda o: o["id"],
    )
    shaped = [{"id": o["id"], **{name: o.get(name) for name in _FOLDER}} for o in _selected(request, objects)]
    return paged(request, shaped, start_param="offset", next_header=False)


@handles("listBiServers")
def list_servers(sim: Simulator, request: SimRequest) -> SimResponse:
    servers = sorted(sim.catalog.bi_servers.values(), key=lambda o: o["id"])
    shaped = [
        {"id": o["id"], "uri": o.get("uri"), "title": o.get("title"), "description": o.get("description", "")}
        for o in _selected(request, servers)
    ]
    return paged(request, shaped, start_param="offset", next_header=False)


@handles("listBiReports")
def list_reports(sim: Simulator, request: SimRequest, bi_server_id: int) -> SimResponse:
    if bi_server_id not in sim.catalog.bi_servers:
        raise Reject(404, {"detail": "Not found.", "code": "404000"})
    objects = sorted(
        (o for (server, _), o in sim.catalog.bi_reports.items() if server == bi_server_id),
        key=lambda o: o["id"],
    )
    fields = (*_FOLDER[:8], "report_type", "parent_folder")
    shaped = [{"id": o["id"], **{name: o.get(name) for name in fields}} for o in _selected(request, objects)]
    return paged(request, shaped, start_param="offset", next_header=False)
