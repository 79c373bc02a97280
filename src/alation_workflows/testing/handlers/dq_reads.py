"""Reads of data quality fields and values, paged (ordered by key: they have no ids)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..registry import handles
from ..wire import SimRequest, SimResponse
from .listing import key_filter, paged

if TYPE_CHECKING:
    from ..simulator import Simulator

# Alation's word for an object type in data quality values (the upload says SCHEMA/TABLE/ATTRIBUTE).
_OTYPES = {"SCHEMA": "schema", "TABLE": "table", "ATTRIBUTE": "attribute"}
_STORES = {"SCHEMA": "schemas", "TABLE": "tables", "ATTRIBUTE": "columns"}


@handles("listDataQualityFields")
def list_fields(sim: Simulator, request: SimRequest) -> SimResponse:
    wanted = request.arg("key")
    shaped = [
        {"key": key, "name": f.get("name"), "description": f.get("description", ""), "type": f.get("type")}
        for key, f in sorted(sim.catalog.dq_fields.items())
        if not wanted or key == wanted
    ]
    return paged(request, shaped)


@handles("listDataQualityValues")
def list_values(sim: Simulator, request: SimRequest) -> SimResponse:
    cat = sim.catalog
    shaped: list[dict[str, Any]] = []
    for (field_key, object_key), v in sorted(cat.dq_values.items()):
        kind = str(v.get("object_type", "")).upper()
        obj = getattr(cat, _STORES[kind]).get(object_key) if kind in _STORES else None
        field = cat.dq_fields.get(field_key, {})
        shaped.append(
            {
                "object_key": object_key,
                "otype": _OTYPES.get(kind),
                "oid": obj["id"] if obj else None,
                "source_object_key": object_key,
                "field_key": field_key,
                "field_name": field.get("name"),
                "field_description": field.get("description", ""),
                "value_value": v.get("value"),
                "value_quality": v.get("status"),
                "value_last_updated": v.get("last_updated"),
                "value_external_url": v.get("url"),
            }
        )
    filters = {
        name: key_filter(name) for name in ("object_key", "source_object_key", "field_key", "value_quality")
    }
    given = [(f, raw) for name, f in filters.items() if (raw := request.arg(name))]
    return paged(request, [r for r in shaped if all(f(r, raw) for f, raw in given)])
