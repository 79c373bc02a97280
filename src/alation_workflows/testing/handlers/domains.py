"""Domains: membership POST (sync 201 echo under the limit, async job at or above it) and DELETE."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..fields import request_fields
from ..registry import handles
from ..wire import Reject, SimRequest, SimResponse
from .common import check_fields, dict_body, int_list, job_id_handle

if TYPE_CHECKING:
    from ..simulator import Simulator

RECURSIVE_MAX = 99


@handles("assignDomainMembership")
def assign_membership(sim: Simulator, request: SimRequest) -> SimResponse:
    body = dict_body(request)
    errors = check_fields(body, request_fields(request.operation))
    if errors:
        raise Reject(400, {"detail": errors, "code": "400000"})
    domain_id = body["id"]
    if domain_id in sim.deleted_domains:
        raise Reject(
            400,
            {
                "detail": f"Cannot add object to domain {domain_id}. The domain has been deleted.",
                "code": "400000",
            },
        )
    if domain_id not in sim.catalog.domains:
        raise Reject(400, {"detail": f"Domain with id {domain_id} does not exist.", "code": "400000"})
    if body.get("recursive") and len(body["oid"]) > RECURSIVE_MAX:
        raise Reject(
            400,
            {
                "detail": f"At most {RECURSIVE_MAX} objects can be assigned recursively at once.",
                "code": "400000",
            },
        )

    def apply() -> None:
        members = sim.catalog.domain_members.setdefault(domain_id, set())
        pairs = {(body["otype"], oid) for oid in body["oid"]}
        if body.get("exclude"):
            members.difference_update(pairs)
        else:
            members.update(pairs)

    if len(body["oid"]) < sim.domain_sync_limit:
        apply()
        echo: dict[str, Any] = {
            "exclude": bool(body.get("exclude", False)),
            "id": domain_id,
            "oid": body["oid"],
        }
        echo["otype"] = body["otype"]
        if "recursive" in body:
            echo["recursive"] = body["recursive"]
        return SimResponse.json(201, echo)

    def work() -> None:
        apply()
        return None  # the async branch's job result is null

    return job_id_handle(sim.start_job(request, work))


@handles("deleteDomains")
def delete_domains(sim: Simulator, request: SimRequest) -> SimResponse:
    ids = int_list(request, dict_body(request))
    deleted: list[int] = []
    for domain_id in ids:
        if sim.catalog.domains.pop(domain_id, None) is not None:
            sim.catalog.domain_members.pop(domain_id, None)
            sim.deleted_domains.add(domain_id)
            deleted.append(domain_id)
    return SimResponse.json(200, {"deleted_domain_count": len(deleted), "deleted_domain_ids": deleted})
