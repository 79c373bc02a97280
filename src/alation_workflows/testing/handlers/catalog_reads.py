"""Reads of custom fields, their values, object templates, data sources, domains and users, paged."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..registry import handles
from ..wire import SimRequest, SimResponse
from .common import dict_body, int_list
from .listing import bool_arg, contains, equals, matching, paged

if TYPE_CHECKING:
    from ..simulator import Simulator

_FIELD = (
    "id",
    "field_type",
    "name_singular",
    "name_plural",
    "allow_multiple",
    "allowed_otypes",
    "options",
    "tooltip_text",
    "backref_name",
    "backref_tooltip_text",
)


def _field(obj: dict[str, Any]) -> dict[str, Any]:
    out = {name: obj.get(name) for name in _FIELD}
    out["allow_multiple"] = bool(obj.get("allow_multiple"))
    out["builtin_name"] = obj.get("name_singular", "").lower() if obj.get("builtin") else None
    return out


def _flag(field: str) -> Callable[[dict[str, Any], str], bool]:
    return lambda obj, raw: bool(obj.get(field)) == (raw.lower() in ("true", "1"))


@handles("listCustomFields")
def list_custom_fields(sim: Simulator, request: SimRequest) -> SimResponse:
    found = matching(
        request,
        sim.catalog.custom_fields.values(),
        {
            "id": equals("id", int),
            "field_type": equals("field_type"),
            "name_singular": equals("name_singular"),
            "name_singular__icontains": contains("name_singular"),
            "name_plural": equals("name_plural"),
            "allow_multiple": _flag("allow_multiple"),
        },
    )
    return paged(request, [_field(o) for o in found])


@handles("listCustomFieldValues")
def list_custom_field_values(sim: Simulator, request: SimRequest) -> SimResponse:
    # Values written by updateCustomFieldValues, ordered as the object and field ids go.
    records = [
        {"field_id": field_id, "otype": otype, "oid": int(oid) if oid.isdigit() else oid, "value": value}
        for (otype, oid, field_id), value in sim.catalog.custom_field_values.items()
    ]
    found = matching(
        request,
        records,
        {"otype": equals("otype"), "oid": equals("oid", int), "field_id": equals("field_id", int)},
    )
    found.sort(key=lambda r: (r["otype"], str(r["oid"]), r["field_id"]))
    return paged(request, found)


@handles("listCustomTemplates")
def list_templates(sim: Simulator, request: SimRequest) -> SimResponse:
    found = matching(request, sim.catalog.templates.values(), {"title": equals("title")})
    shaped: list[dict[str, Any]] = [
        {"id": o["id"], "title": o.get("title"), "builtin_name": None, "fields": []} for o in found
    ]
    return paged(request, shaped)


@handles("listDataSources")
def list_data_sources(sim: Simulator, request: SimRequest) -> SimResponse:
    hidden = bool_arg(request, "include_hidden")
    shaped = [
        {
            "id": o["id"],
            "title": o.get("title"),
            "description": o.get("description", ""),
            "dbtype": o.get("dbtype", "virtual" if o.get("is_virtual") else "postgresql"),
            "is_virtual": bool(o.get("is_virtual")),
            "is_hidden": bool(o.get("is_hidden")),
            "deleted": False,
            "url": f"/data/{o['id']}/",
        }
        for o in sorted(sim.catalog.datasources.values(), key=lambda o: o["id"])
        if hidden or not o.get("is_hidden")
    ]
    return paged(request, shaped)


@handles("listDomains")
def list_domains(sim: Simulator, request: SimRequest) -> SimResponse:
    found = matching(request, sim.catalog.domains.values(), {"parent_id": equals("parent_id", int)})
    shaped = [
        {
            "id": o["id"],
            "title": o.get("title"),
            "description": o.get("description", ""),
            "parent_id": o.get("parent_id"),
        }
        for o in found
    ]
    return paged(request, shaped)


@handles("listDomainMembershipRules")
def list_membership_rules(sim: Simulator, request: SimRequest) -> SimResponse:
    body = dict_body(request)
    wanted = int_list(request, body)
    if body.get("exclude") is True:
        rules: list[dict[str, Any]] = []  # the simulator keeps inclusion rules only
    else:
        rules = [
            {"domain_id": domain_id, "otype": otype, "oid": oid, "exclude": False, "recursive": False}
            for domain_id in wanted
            for otype, oid in sorted(sim.catalog.domain_members.get(domain_id, set()))
        ]
    if body.get("recursive") is True:
        rules = []
    return paged(request, rules)


@handles("listUsers")
def list_users(sim: Simulator, request: SimRequest) -> SimResponse:
    shaped = [
        {
            "id": o["id"],
            "username": o.get("username"),
            "email": o.get("email"),
            "display_name": o.get("display_name", o.get("username")),
            "url": f"/user/{o['id']}/",
        }
        for o in sim.catalog.users.values()
        if not o.get("suspended")
    ]
    found = matching(
        request,
        shaped,
        {
            "id": equals("id", int),
            "email": equals("email"),
            "email__icontains": contains("email"),
            "display_name": equals("display_name"),
            "display_name__icontains": contains("display_name"),
        },
    )
    return paged(request, found)


@handles("getDataflows")
def get_dataflows(sim: Simulator, request: SimRequest) -> SimResponse:
    key = request.arg("keyField") or "id"
    wanted = {str(v) for v in request.json() or ()}
    found = [
        o for o in sorted(sim.catalog.dataflows.values(), key=lambda o: o["id"]) if str(o.get(key)) in wanted
    ]
    names = {o["external_id"] for o in found}
    paths = [
        path
        for path in sim.catalog.lineage_paths
        if any(
            node.get("otype") == "dataflow" and node.get("key") in names
            for segment in path
            for node in segment
        )
    ]
    objects = [
        {
            "id": o["id"],
            **{k: o.get(k) for k in ("external_id", "title", "description", "content", "group_name")},
        }
        for o in found
    ]
    return SimResponse.json(200, {"dataflow_objects": objects, "paths": paths})
