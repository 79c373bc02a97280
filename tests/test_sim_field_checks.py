"""The simulator's per-field checks follow the spec: each handler names the operation it checks
against and its fields, kinds and required-ness come from the generated operation table.

Behaviour, not tables: each spec example is sent with one field taken out; a required field is
rejected in the handler's own (DRF) words naming that field, an optional one is not. Then a
changed copy of the operation table (never the committed spec) changes the handler's verdict.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from alation_workflows.testing import Simulator, fields
from generator import ir
from tests.operation_tables import use_table
from tests.test_simulator_spec_conformance import _seed
from tests.test_spec_operations import API, _used_params

# Every (operation, nested property path) whose objects a handler checks field by field.
CHECKED: list[tuple[str, tuple[str, ...]]] = [
    ("createDocuments", ()),
    ("createDocuments", ("custom_fields",)),
    ("updateDocuments", ()),
    ("updateDocuments", ("custom_fields",)),
    ("createDocumentHubFolders", ()),
    ("createDocumentHubFolders", ("custom_fields",)),
    ("updateDocumentHubFolders", ()),
    ("updateDocumentHubFolders", ("custom_fields",)),
    ("createTerms", ()),
    ("createTerms", ("custom_fields",)),
    ("updateTerms", ()),
    ("updateTerms", ("custom_fields",)),
    ("createBusinessPolicies", ()),
    ("updateBusinessPolicies", ()),
    ("createCustomFields", ()),
    ("updateCustomFieldValues", ()),
    ("updateCustomFieldValues", ("value",)),
    ("createSchemas", ()),
    ("updateSchemas", ()),
    ("createTables", ()),
    ("updateTables", ()),
    ("createColumns", ()),
    ("updateColumns", ()),
    ("updateChildColumns", ()),
    ("updateRootChildColumns", ()),
    ("postVirtualFileSystemMetadata", ()),
    ("pushQueryLogs", ()),
    ("postDataQuality", ("fields",)),
    ("postDataQuality", ("values",)),
    ("deleteDataQuality", ("values",)),
    ("createDataflows", ("dataflow_objects",)),
    ("createDataflows", ("paths",)),
    ("createLineage", ("dataflow_objects",)),
    ("createLineage", ("paths",)),
    ("updateDataflows", ()),
    ("createBiServers", ()),
    ("createBiFolders", ()),
    ("createBiReports", ()),
    ("createBiReportColumns", ()),
    ("assignDomainMembership", ()),
    # Bodies carrying ids: the one required integer list is the ids' key (int_list).
    ("deleteDocuments", ()),
    ("deleteDocumentHubFolders", ()),
    ("deleteTerms", ()),
    ("deleteBusinessPolicies", ()),
    ("deleteDomains", ()),
    ("listDomainMembershipRules", ()),
]
OPS = {op.id: op for op in API.operations}
# The spec's examples of a body with variants are the variants' (data quality fields or values).
EXAMPLES: dict[tuple[str, tuple[str, ...]], str] = {
    ("postDataQuality", ("fields",)): "postDataQualityFields",
    ("postDataQuality", ("values",)): "postDataQualityValues",
    ("deleteDataQuality", ("values",)): "deleteDataQualityValues",
}


def _example_op(op_id: str, path: tuple[str, ...]) -> ir.Operation:
    return OPS[EXAMPLES.get((op_id, path), op_id)]


# How each handler says "required": DRF's words, and the RDBMS key, data quality, lineage node
# and object-set reference wordings (the last two name both of their fields at once).
REQUIRED_WORDS = (
    "This field is required.",
    "{name} is required",
    "API Key is a required input",
    "needs otype and key",
    "a list of {{otype, oid}} objects",
)
# Optional fields whose absence another rule refuses (pure behaviour, asserted as such).
CROSS_FIELD = {
    # Custom field values without a template are refused (Alation's NO_TEMPLATE answer).
    ("createDocuments", "template_id"),
    ("createDocumentHubFolders", "template_id"),
    ("createTerms", "template_id"),
    ("updateDocuments", "template_id"),
    # A PICKER field needs its options.
    ("createCustomFields", "options"),
    # An RDBMS update names its object by id or by key, one of them.
    ("updateSchemas", "key"),
    ("updateTables", "key"),
    ("updateColumns", "key"),
}
# Policies check their items inside the job: at submit time the spec's own verdict answers.
IN_JOB = {"createBusinessPolicies", "updateBusinessPolicies"}
# Nested objects the spec's examples do not contain (no example to take a field out of).
NOT_IN_EXAMPLES = {
    ("updateDocumentHubFolders", ("custom_fields",)),
    ("updateTerms", ("custom_fields",)),
}


def _send(sim: Simulator, op: ir.Operation, body: Any) -> httpx.Response:
    path, query = op.path, {}
    for p in _used_params(op):
        value = ("true" if p.example else "false") if isinstance(p.example, bool) else str(p.example)
        if p.location == "path":
            path = path.replace("{" + p.wire + "}", value)
        else:
            query[p.wire] = value
    assert op.body is not None
    if op.body.item_type is not None:  # JSONL
        content = "\n".join(json.dumps(line) for line in body).encode()
    else:
        content = json.dumps(body).encode()
    headers = {"TOKEN": "t", "content-type": op.body.content_type or op.body.media}
    with httpx.Client(transport=sim.transport(), base_url="http://localhost") as client:
        return client.request(op.method, path, params=query, content=content, headers=headers)


def _target(body: Any, path: tuple[str, ...]) -> Any:
    """The first object the (operation, path) pair checks inside an example body (None: none there)."""
    if isinstance(body, list):
        return next((t for t in (_target(item, path) for item in body) if t is not None), None)
    if not isinstance(body, dict):
        return None
    if not path:
        return body
    return _target(body[path[0]], path[1:]) if path[0] in body else None


def _fresh() -> Simulator:
    sim = Simulator(token="t")
    _seed(sim)
    sim.state.custom_fields[3] = {"id": 3, "field_type": "RICH_TEXT", "name_singular": "Area"}
    sim.state.add_table("9.sales.customers", id=43)
    return sim


def _without(op_id: str, path: tuple[str, ...], name: str) -> tuple[int, str]:
    op = _example_op(op_id, path)
    assert op.body is not None
    body = json.loads(json.dumps(op.body.example))
    target = _target(body, path)
    target.pop(name, None)
    sim = _fresh()
    answer = _send(sim, op, body)
    sim.jobs.settle()
    jobs = " ".join(json.dumps(job.result, default=str) for job in sim.jobs.by_id.values())
    return answer.status_code, answer.text + jobs  # policies refuse items inside the job


def _example_fields(op_id: str, path: tuple[str, ...]) -> list[tuple[str, bool]]:
    op = _example_op(op_id, path)
    assert op.body is not None
    present = _target(op.body.example, path)
    if not isinstance(present, dict):
        return []
    table = fields.request_fields(op_id, *path)
    return [(name, table[name].required) for name in present if name in table]


CASES = [
    pytest.param(op_id, path, name, required, id=f"{op_id}{''.join('.' + p for p in path)}.{name}")
    for op_id, path in CHECKED
    for name, required in _example_fields(op_id, path)
]


def test_every_checked_operation_has_cases() -> None:
    covered = {(c.values[0], c.values[1]) for c in CASES}
    assert covered == set(CHECKED) - NOT_IN_EXAMPLES


@pytest.mark.parametrize(("op_id", "path", "name", "required"), CASES)
def test_leaving_a_field_out(op_id: str, path: tuple[str, ...], name: str, required: bool) -> None:
    status, text = _without(op_id, path, name)
    said_required = any(words.format(name=name) in text for words in REQUIRED_WORDS)
    if required and op_id in IN_JOB:
        assert status == 400 and f"'{name}' is a required property" in text, (status, text[:400])
    elif required:
        assert said_required and name in text, (status, text[:400])
    elif (op_id, name) not in CROSS_FIELD:
        assert status < 400 and not said_required, (status, text[:400])


def test_handlers_check_exactly_the_listed_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every spec example sent once: the tables the handlers derive are the ones this file tests."""
    asked: set[tuple[str, tuple[str, ...]]] = set()
    derived = fields._derived  # pyright: ignore[reportPrivateUsage]

    def record(operation_id: str, path: tuple[str, ...]) -> fields.Fields:
        asked.add((operation_id, path))
        return derived(operation_id, path)

    monkeypatch.setattr(fields, "_derived", record)
    for op in API.operations:
        if op.body is not None and op.body.media.endswith("json") and op.body.example is not None:
            _send(_fresh(), op, op.body.example)
    assert asked == set(CHECKED) - NOT_IN_EXAMPLES


# -- a spec change flows into the handlers ------------------------------------------------------


def _create_document(item: dict[str, Any]) -> httpx.Response:
    return _send(Simulator(token="t"), OPS["createDocuments"], [item])


def test_a_field_made_optional_is_no_longer_required(
    table: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = {"title": "KPI"}
    before = _create_document(item)
    assert before.status_code == 400
    assert before.json()["invalid_documents"][0]["errors"] == [
        {"document_hub_id": ["This field is required."]}
    ]
    table["components"]["schemas"]["DocumentIn"]["required"] = ["title"]
    use_table(table, tmp_path, monkeypatch)
    assert _create_document(item).status_code == 202


def test_a_changed_type_and_a_new_required_field_are_checked_in_alations_words(
    table: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = {"title": "KPI", "document_hub_id": 1, "description": "text"}
    assert _create_document(item).status_code == 202
    schema = table["components"]["schemas"]["DocumentIn"]
    schema["properties"]["description"] = {"type": "integer"}
    schema["properties"]["owner_note"] = {"type": "string", "minLength": 1}
    schema["required"] = [*schema["required"], "owner_note"]
    use_table(table, tmp_path, monkeypatch)
    answer = _create_document(item)
    assert answer.status_code == 400
    assert answer.json()["invalid_documents"][0]["errors"] == [
        {"owner_note": ["This field is required."], "description": ["A valid integer is required."]}
    ]
    blank = _create_document({**item, "description": 3, "owner_note": "  "})
    assert blank.json()["invalid_documents"][0]["errors"] == [
        {"owner_note": ["This field may not be blank."]}
    ]


def test_a_nullable_required_field_accepts_null_and_refuses_absence() -> None:
    sim = _fresh()
    op = OPS["createBiFolders"]
    assert op.body is not None
    item = dict(op.body.example[0])
    assert _send(sim, op, [{**item, "description_at_source": None}]).status_code == 202
    item.pop("description_at_source")
    answer = _send(sim, op, [item])
    assert answer.json()["errors"] == [{"description_at_source": ["This field is required."]}]
