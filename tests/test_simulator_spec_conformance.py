"""Every spec operation, sent by the generated SDK with the spec's own examples to the simulator over
loopback HTTP: the submit succeeds, the job (if any) finishes, and the result parses into the typed
models with nothing left in a fallback (the simulator answers in the shapes the spec declares)."""

from __future__ import annotations

import json
from typing import Any, Optional

import pydantic
import pytest

from alation_workflows import JobHandle, Workflows
from alation_workflows.testing import Simulator
from tests.test_spec_operations import API, _arguments

OPERATIONS = [pytest.param(op, id=op.id) for op in API.operations if op.id != "getJobStatus"]


def _seed(sim: Simulator) -> None:
    """The objects the spec's examples refer to by id or key."""
    state = sim.state
    for template_id in (22, 31, 40):
        state.templates[template_id] = {"id": template_id, "title": f"Template {template_id}"}
    for glossary_id in (2, 5):
        state.glossaries[glossary_id] = {"id": glossary_id, "title": f"Glossary {glossary_id}"}
    for folder_id in (3, 7):
        state.folders[folder_id] = {"id": folder_id, "title": "Finance", "document_hub_id": 1}
    state.documents[12] = {"id": 12, "title": "Revenue KPI", "document_hub_id": 1}
    state.terms[1325] = {"id": 1325, "title": "Net Revenue"}
    state.custom_fields[10323] = {"id": 10323, "field_type": "RICH_TEXT", "name_singular": "Area"}
    state.custom_fields[10324] = {
        "id": 10324,
        "field_type": "MULTI_PICKER",
        "name_singular": "Tier",
        "options": ["Gold", "Certified", "Bronze"],
    }
    state.custom_fields[10325] = {"id": 10325, "field_type": "OBJECT_SET", "name_singular": "Owner"}
    state.custom_fields[10326] = {
        "id": 10326,
        "field_type": "PICKER",
        "name_singular": "State",
        "options": ["Approved"],
    }
    for ds_id in (9, 9999):
        state.add_datasource(id=ds_id)
    state.schemas["9.sales"] = {"id": 17, "key": "9.sales", "ds_id": 9}
    state.tables["9.sales.orders"] = {"id": 501, "key": "9.sales.orders", "ds_id": 9}
    state.tables["9.sales.customers"] = {"id": 502, "key": "9.sales.customers", "ds_id": 9}
    state.columns["9.sales.orders.amount"] = {"id": 5120, "key": "9.sales.orders.amount", "ds_id": 9}
    state.columns["9.sales.customers.address"] = {"id": 5121, "key": "9.sales.customers.address", "ds_id": 9}
    state.add_table("9.sales.order_lines", id=42)
    state.schemas["9.finance"] = {"id": 9, "key": "9.finance", "ds_id": 9}
    state.columns["7.sales.orders.amount"] = {"id": 5122, "key": "7.sales.orders.amount", "ds_id": 7}
    state.add_file_system(id=4)
    for key in ("dq.row_count", "dq.is_fresh", "dq.null_ratio"):
        state.dq_fields[key] = {"field_key": key, "name": key, "type": "STRING"}
    state.bi_servers[11] = {"id": 11, "uri": "https://tableau.example.com", "title": "Tableau"}
    state.add_domain(id=179)
    state.dd_tasks["5b0c8c52-2a3e-4d0c-9f4e-0d5f2c1f3a11"] = {  # a finished data dictionary task
        "id": "5b0c8c52-2a3e-4d0c-9f4e-0d5f2c1f3a11",
        "created": 0.0,
        "duration": 0.0,
        "total": 2,
        "failures": [(1, "9.sales.nope")],
        "ts_created": "2025-01-15T09:05:41.923720Z",
        "dd_resource": {"id": 17, "oid": 17, "otype": "schema", "user_id": 1},
    }
    sim.oauth_clients["svc-etl"] = "s3cr3t-example"
    sim.issue_refresh_token(user_id=1, value="rt-3f2a9c0e7b")
    sim.issue_access_token(user_id=1, value="at-91b7d2e4f0")


FREE_FORM = (Any, Optional[Any], list[Any], Optional[list[Any]])


def _assert_typed(value: Any, where: str) -> None:
    """Nothing fell into a fallback: no unknown field, no raw object or undecoded JSON where the
    schema has a type (items of free-form `{}` lists, e.g. RDBMS `errors`, may be anything)."""
    if isinstance(value, pydantic.BaseModel):
        assert not value.model_extra, f"{where}: fields not in the schema: {sorted(value.model_extra)}"
        for name, info in type(value).model_fields.items():
            if info.annotation not in FREE_FORM:
                _assert_typed(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, dict):
        raise AssertionError(f"{where}: parsed as a raw object, not a typed model: {value!r}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _assert_typed(item, f"{where}[{i}]")
    elif isinstance(value, str) and value[:1] in "{[":
        try:
            json.loads(value)
        except ValueError:
            return
        raise AssertionError(f"{where}: JSON left undecoded in a string: {value[:80]!r}")


@pytest.mark.parametrize("op", OPERATIONS)
def test_spec_operation_against_simulator(op: Any, workflows: Workflows, alation_server: Any) -> None:
    _seed(alation_server.sim)
    result = getattr(getattr(workflows, op.group), op.name)(**_arguments(op))
    if op.paging is not None:
        result = list(result)  # a listing is lazy: its requests go out on iteration
    if isinstance(result, JobHandle):
        handle, result = result, result.wait(timeout=5)
        assert handle.verdict == "successful", result
        if handle.polling.message is not None:
            assert (handle.message() or "").startswith("Job finished in ")
    _assert_typed(result, op.id)
    # A write is counted as a submission; a read (a GET, or a listing even as a POST) is not.
    reads = op.method == "GET" or op.paging is not None
    assert (alation_server.sim.submissions.total() >= 1) is not reads
