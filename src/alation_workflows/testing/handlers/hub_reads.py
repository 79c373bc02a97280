"""Reads of documents, document hub folders, glossary terms and business policies, paged."""

from __future__ import annotations

from collections.abc import Iterable
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
    out: list[dict[str, Any]] = []
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
    found = matching(
        request,
        _live(request, sim.catalog.documents.values()),
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


def _live(request: SimRequest, objects: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    # Deleted objects are removed from the simulated catalog, so `deleted=true` lists none.
    return [] if bool_arg(request, "deleted") else objects


@handles("listDocumentHubFolders")
def list_folders(sim: Simulator, request: SimRequest) -> SimResponse:
    found = matching(
        request,
        _live(request, sim.catalog.folders.values()),
        {
            "id": equals("id", int),
            "document_hub_id": equals("document_hub_id", int),
            "search": contains("title"),
        },
    )
    docs = list(sim.catalog.documents.values())
    folders = list(sim.catalog.folders.values())
    shaped: list[dict[str, Any]] = []
    for o in found:
        out = {
            k: o.get(k)
            for k in ("id", "title", "description", "document_hub_id", "parent_folder_id", "template_id")
        }
        out["custom_fields"] = field_values(sim, o.get("custom_fields"))
        out["child_documents_count"] = sum(1 for d in docs if d.get("parent_folder_id") == o["id"])
        out["child_folders_count"] = sum(1 for f in folders if f.get("parent_folder_id") == o["id"])
        out["deleted"] = False
        shaped.append(out)
    return paged(request, shaped)


@handles("listTerms")
def list_terms(sim: Simulator, request: SimRequest) -> SimResponse:
    found = matching(
        request,
        _live(request, sim.catalog.terms.values()),
        {"id": equals("id", int), "search": contains("title")},
    )
    shaped = [
        {
            **{k: o.get(k) for k in ("id", "title", "description", "template_id")},
            "glossary_ids": o.get("glossary_ids") or [],
            "custom_fields": field_values(sim, o.get("custom_fields")),
            "deleted": False,
        }
        for o in found
    ]
    return paged(request, shaped)


@handles("listBusinessPolicies")
def list_policies(sim: Simulator, request: SimRequest) -> SimResponse:
    found = matching(
        request,
        _live(request, sim.catalog.policies.values()),
        {"id": equals("id", int), "search": contains("title")},
    )
    shaped = [
        {
            "id": o["id"],
            "title": o.get("title"),
            "description": o.get("description"),
            "otype": "business_policy",
            "url": f"/policy/{o['id']}/",
        }
        for o in found
    ]
    return paged(request, shaped)
