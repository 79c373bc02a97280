"""Documents, document hub folders and glossary terms: async create/update, sync delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..fields import request_fields
from ..registry import handles
from ..wire import Reject, SimRequest, SimResponse
from .common import check_fields, dict_body, int_list, job_id_handle, list_body, object_pk_error

if TYPE_CHECKING:
    from ..simulator import Simulator

NO_TEMPLATE = "Custom field values were included, but no template was specified."


def _item_errors(sim: Simulator, item: Any, operation_id: str | None, kind: str) -> list[Any]:
    """Alation's `errors` list for one item: field errors, then custom-field errors as a nested list."""
    fields = check_fields(item, request_fields(operation_id))
    if "non_field_errors" in fields:
        return [fields]
    cat = sim.catalog
    refs = {
        "document_hub_id": cat.document_hubs,
        "template_id": cat.templates,
        "parent_folder_id": cat.folders,
        "parent_document_id": cat.documents,
        "id": {"document": cat.documents, "folder": cat.folders, "term": cat.terms}[kind],
    }
    for name, table in refs.items():
        if name in item and name not in fields and item[name] is not None and item[name] not in table:
            fields[name] = object_pk_error(name, item[name])
    for name, table in (("nav_link_folder_ids", cat.folders), ("glossary_ids", cat.glossaries)):
        missing = [i for i in item.get(name) or () if name not in fields and i not in table]
        if missing:
            fields[name] = object_pk_error(name, missing[0])
    errors: list[Any] = [fields] if fields else []
    custom = item.get("custom_fields")
    if custom and "custom_fields" not in fields:
        if item.get("template_id") is None:
            errors.append([{"non_field_errors": [NO_TEMPLATE]}])
        else:
            cf_errors: list[dict[str, list[str]]] = []
            for value in custom:
                problem = check_fields(value, request_fields(operation_id, "custom_fields"))
                if not problem and value["field_id"] not in cat.custom_fields:
                    problem = {"field_id": object_pk_error("field_id", value["field_id"])}
                if problem:
                    cf_errors.append(problem)
            if cf_errors:
                errors.append(cf_errors)
    return errors


def _validate(sim: Simulator, request: SimRequest, kind: str) -> list[dict[str, Any]]:
    items = list_body(request)
    invalid: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        errors = _item_errors(sim, item, request.operation, kind)
        if errors:
            invalid.append({"index": index, "errors": errors, kind: item})
    if invalid:
        raise Reject(400, {"job_id": None, f"invalid_{kind}s": invalid})
    return items


def _create(
    sim: Simulator, table: dict[int, dict[str, Any]], items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    created: list[dict[str, Any]] = []
    for item in items:
        obj = {**item, "id": sim.catalog.new_id()}
        table[obj["id"]] = obj
        created.append({"id": obj["id"], "title": obj["title"]})
    return created


def _update(table: dict[int, dict[str, Any]], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply changes; an object deleted while the job waited is skipped (not reported as updated)."""
    updated: list[dict[str, Any]] = []
    for item in items:
        obj = table.get(item["id"])
        if obj is not None:
            obj.update({k: v for k, v in item.items() if v is not None})
            updated.append({"id": obj["id"], "title": obj.get("title")})
    return updated


# -- documents, document hub folders and glossary terms: one table, three kinds -----------------


@dataclass(frozen=True)
class _Kind:
    """One document-hub object kind: its operations and the words its answers use."""

    store: str  # attribute of sim.catalog holding the objects by id
    noun: str  # in validation messages
    create: str  # operationIds (the served operation's request schema gives the fields checked)
    update: str
    delete: str
    created: str  # job-result key stem ("term" even for documents: Alation's words)
    deleted: str  # delete-answer key stem
    update_reports_ids_only: bool = False  # document updates report ids (terms and folders add the title)


def _register(kind: _Kind) -> None:
    """The create / update jobs and the synchronous delete of one kind, registered by operationId."""

    def table(sim: Simulator) -> dict[int, dict[str, Any]]:
        store: dict[int, dict[str, Any]] = getattr(sim.catalog, kind.store)
        return store

    @handles(kind.create)
    def create(sim: Simulator, request: SimRequest) -> SimResponse:
        items = _validate(sim, request, kind.noun)

        def work() -> dict[str, Any]:
            created = _create(sim, table(sim), items)
            return {f"created_{kind.created}_count": len(created), f"created_{kind.created}s": created}

        return job_id_handle(sim.start_job(request, work))

    @handles(kind.update)
    def update(sim: Simulator, request: SimRequest) -> SimResponse:
        items = _validate(sim, request, kind.noun)

        def work() -> dict[str, Any]:
            updated = _update(table(sim), items)
            if kind.update_reports_ids_only:
                updated = [{"id": u["id"]} for u in updated]
            return {f"updated_{kind.created}_count": len(updated), f"updated_{kind.created}s": updated}

        return job_id_handle(sim.start_job(request, work))

    @handles(kind.delete)
    def delete(sim: Simulator, request: SimRequest) -> SimResponse:
        ids = int_list(request, dict_body(request))
        deleted = [i for i in ids if table(sim).pop(i, None) is not None]
        return SimResponse.json(
            200, {f"deleted_{kind.deleted}_count": len(deleted), f"deleted_{kind.deleted}_ids": deleted}
        )


for _kind in (
    _Kind(
        "documents",
        "document",
        "createDocuments",
        "updateDocuments",
        "deleteDocuments",
        "term",
        "document",
        update_reports_ids_only=True,
    ),
    _Kind(
        "folders",
        "folder",
        "createDocumentHubFolders",
        "updateDocumentHubFolders",
        "deleteDocumentHubFolders",
        "folder",
        "folder",
    ),
    _Kind(
        "terms",
        "term",
        "createTerms",
        "updateTerms",
        "deleteTerms",
        "term",
        "term",
    ),
):
    _register(_kind)
