"""Custom field definitions (async POST, JSON-string results) and values (async PUT, text results)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..fields import request_fields
from ..jobs import Job
from ..registry import handles
from ..routes import enum_values
from ..wire import Reject, SimRequest, SimResponse, is_array
from .common import REQUIRED, check_fields, check_value, job_id_handle, list_body

if TYPE_CHECKING:
    from ..simulator import Simulator

OBJECT_SET_MAX = 256
OBJECT_SET_OTYPES = (
    "data",
    "schema",
    "table",
    "attribute",
    "user",
    "groupprofile",
    "article",
    "glossary_term",
    "glossary_v3",
    "business_policy",
)
LEGACY = "Legacy(Rosemeta) write job_id (can be tracked using jobs API): {}"


def _field_errors(item: Any, operation: str | None) -> dict[str, list[str]]:
    errors = check_fields(item, request_fields(operation))
    if errors:
        return errors
    # What each field type needs is in the schema's description only (no if/then): behaviour kept here.
    kind = item["field_type"]
    if kind not in enum_values("CustomFieldType"):
        return {"field_type": [f'"{kind}" is not a valid choice.']}
    if kind in ("PICKER", "MULTI_PICKER") and not item.get("options"):
        errors["options"] = [REQUIRED]
    if kind == "MULTI_PICKER" and not item.get("name_plural"):
        errors["name_plural"] = [REQUIRED]
    if kind == "OBJECT_SET":
        otypes = item.get("allowed_otypes")
        if not otypes:
            errors["allowed_otypes"] = [REQUIRED]
        else:
            bad = [o for o in otypes if o not in OBJECT_SET_OTYPES]
            if bad:
                errors["allowed_otypes"] = [f'"{bad[0]}" is not a valid choice.']
        if item.get("allow_multiple") is None:
            errors["allow_multiple"] = [REQUIRED]
        if item.get("allow_multiple") and not item.get("name_plural"):
            errors["name_plural"] = [REQUIRED]
    return errors


@handles("createCustomFields")
def create_fields(sim: Simulator, request: SimRequest) -> SimResponse:
    items = list_body(request)
    errors = [_field_errors(item, request.operation) for item in items]
    if any(errors):
        raise Reject(400, errors)  # DRF list errors: one object per item, empty for valid ones

    def work() -> list[str]:
        ids: list[int] = []
        for item in items:
            field_id = sim.catalog.new_id()
            sim.catalog.custom_fields[field_id] = {**item, "id": field_id}
            ids.append(field_id)
        return [
            json.dumps({"msg": "Starting bulk creation of Custom Fields...", "data": {}}),
            json.dumps({"msg": "Finished bulk creation of Custom Fields", "data": {"field_ids": ids}}),
        ]

    return job_id_handle(sim.start_job(request, work))


def _value_error(sim: Simulator, index: int, item: Any, operation: str | None) -> str | None:
    problems = check_fields(item, request_fields(operation))
    if problems:
        name, messages = next(iter(problems.items()))
        return f"Item {index}: {name}: {messages[0]}"
    definition = sim.catalog.custom_fields.get(item["field_id"])
    if definition is None:
        return f"Item {index}: custom field with id {item['field_id']} does not exist."
    otype = str(item["otype"]).lower()
    if otype in (definition.get("unsupported_otypes") or ()):
        return f"No support for updating `{str(definition.get('name_singular', '')).lower()}` field for `{otype}`."
    if sim.catalog.find_object(otype, item["oid"]) is False:
        return f"Item {index}: {otype} object with id {item['oid']!r} does not exist."
    value, kind = item["value"], definition.get("field_type")
    if kind == "OBJECT_SET":
        refs = value if is_array(value) else None
        if refs is None or any(check_fields(ref, request_fields(operation, "value")) for ref in refs):
            return f"Item {index}: an object set value must be a list of {{otype, oid}} objects."
        if len(refs) > OBJECT_SET_MAX:
            return f"Item {index}: at most {OBJECT_SET_MAX} objects per object set value, got {len(refs)}."
    elif kind == "MULTI_PICKER":
        if check_value("list[str]", value):
            return f"Item {index}: a multi-picker value must be a list of strings."
        unknown = [v for v in value if v not in (definition.get("options") or [])]
        if unknown:
            return f"Item {index}: {unknown[0]!r} is not an option of field {item['field_id']}."
    elif kind == "PICKER":
        if not isinstance(value, str) or value not in (definition.get("options") or []):
            return f"Item {index}: {value!r} is not an option of field {item['field_id']}."
    elif not isinstance(value, str):
        return f"Item {index}: the value of field {item['field_id']} must be a string."
    return None


@handles("updateCustomFieldValues")
def put_values(sim: Simulator, request: SimRequest) -> SimResponse:
    items = list_body(request)
    problems = [
        p for p in (_value_error(sim, i, item, request.operation) for i, item in enumerate(items)) if p
    ]
    if problems:
        raise Reject(
            400,
            {
                "title": "Invalid Payload",
                "detail": "Please check the API documentation for more details on the spec.",
                "errors": [{"non_field_errors": problems}],
                "code": "400000",
            },
        )

    def upsert() -> tuple[int, int]:
        created = updated = 0
        for item in items:
            key = (item["otype"].lower(), str(item["oid"]), item["field_id"])
            if key in sim.catalog.custom_field_values:
                updated += 1
            else:
                created += 1
            sim.catalog.custom_field_values[key] = item["value"]
        return updated, created

    def classic() -> list[str]:
        updated, created = upsert()
        return [
            "Start bulk upsert public annotation field values...",
            f"Finished bulk upsert public annotation field values. Updated objects: {updated}, created objects: {created}",
        ]

    if not sim.cfv_legacy_job:
        return job_id_handle(sim.start_job(request, classic))

    # Cloud-native: the job's lines name a second (legacy) job that does the catalog write.
    def cloud_native() -> list[str]:
        legacy = sim.jobs.submit(request.operation or "updateCustomFieldValues", classic)
        suffix = LEGACY.format(legacy.id)
        return [
            f"Start bulk upsert public annotation field values. {suffix}",
            f"Finished bulk upsert public annotation field values. {suffix}",
            f"Error count: 0. Errors: []. {suffix}",
        ]

    job: Job = sim.start_job(request, cloud_native)
    return job_id_handle(job)
