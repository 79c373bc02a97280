"""Reads of documents (and, later, folders and terms) from the simulated catalog, paged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..registry import handles
from ..wire import SimRequest, SimResponse
from .listing import bool_arg, contains, equals, matching, paged

if TYPE_CHECKING:
    from ..simulator import Simulator

_DOC_FIELDS = (
    "id",
    "title",
    "description",
    "document_hub_id",
    "template_id",
    "parent_folder_id",
    "parent_document_id",
    "nav_link_folder_ids",
)


def field_values(sim: Simulator, values: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Custom field values as read APIs echo them: with the field's name."""
    out = []
    for v in values or []:
        field = sim.catalog.custom_fields.get(v["field_id"], {}) if "field_id" in v else {}
        out.append(
            {"field_id": v.get("field_id"), "field_name": field.get("name_singular"), "value": v.get("value")}
        )
    return out


def _document(sim: Simulator, obj: dict[str, Any]) -> dict[str, Any]:
    out = {name: obj.get(name) for name in _DOC_FIELDS}
    out["nav_link_folder_ids"] = obj.get("nav_link_folder_ids") or []
    out["custom_fields"] = field_values(sim, obj.get("custom_fields"))
    out["deleted"] = False
    return out


def _in_folder(obj: dict[str, Any], raw: str) -> bool:
    return str(obj.get("parent_folder_id")) == raw or raw in map(str, obj.get("nav_link_folder_ids") or [])


@handles("listDocuments")
def list_documents(sim: Simulator, request: SimRequest) -> SimResponse:
    # Deleted documents are removed from the simulated catalog, so `deleted=true` lists none.
    objects = [] if bool_arg(request, "deleted") else sim.catalog.documents.values()
    found = matching(
        request,
        objects,
        {
            "id": equals("id", int),
            "document_hub_id": equals("document_hub_id", int),
            "folder_id": _in_folder,
            "parent_folder_id": equals("parent_folder_id", int),
            "parent_document_id": equals("parent_document_id", int),
            "nav_link_folder_id": lambda o, raw: raw in map(str, o.get("nav_link_folder_ids") or []),
            "search": contains("title"),
        },
    )
    return paged(request, [_document(sim, o) for o in found])
