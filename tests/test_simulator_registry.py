"""The simulator follows the spec: every spec operation has a handler, every handler names a spec
operation (or is declared simulator-only), and the schema-level checks come from the generated table."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from alation_workflows.testing import Simulator
from alation_workflows.testing.registry import EXTRAS, load_handlers
from alation_workflows.testing.routes import (
    match,
    missing_handlers,
    operation_table,
    routes,
    shadowed_extras,
    stale_unserved,
    unknown_handlers,
)
from alation_workflows.testing.validation import SHAPES, shape_for, validator

TOKEN = "test-token"
OPERATIONS = operation_table()["operations"]


def test_every_spec_operation_has_a_handler() -> None:
    assert missing_handlers() == []


def test_every_handler_names_a_spec_operation_or_is_declared_simulator_only() -> None:
    assert unknown_handlers() == []
    assert shadowed_extras() == [], "declared simulator-only, but the spec now has them: use @handles"


def test_methods_marked_alation_also_serves_are_not_in_the_spec() -> None:
    assert stale_unserved() == [], "the spec now has these operations: drop them from x-alation-also-serves"


def test_a_method_alation_serves_but_the_spec_lacks_is_501_and_one_alation_lacks_is_405(
    client: httpx.Client,
) -> None:
    unserved = operation_table()["unserved"]
    if not unserved:
        pytest.skip("the spec marks no path x-alation-also-serves any more")
    path, methods = next(iter(unserved.items()))
    concrete = path.replace("{column_id}", "7").replace("{ds_id}", "7")
    served = {e["method"] for e in OPERATIONS.values() if e["path"] == path}
    answer = client.request(methods[0], concrete)
    assert answer.status_code == 501 and "exists on Alation" in answer.json()["detail"], answer.text
    lacking = next(m for m in ("PUT", "PATCH", "POST", "DELETE", "GET") if m not in served | set(methods))
    refused = client.request(lacking, concrete, json=[])
    assert refused.status_code == 405
    assert refused.json() == {"detail": f'Method "{lacking}" not allowed.'}
    assert set(refused.headers["allow"].split(", ")) == served
    assert client.get("/integration/v2/no-such-path/").status_code == 404


def test_simulator_only_extras_share_no_route_with_the_spec() -> None:
    spec_routes = {(e["method"], e["path"]) for e in OPERATIONS.values()}
    for op_id, extra in EXTRAS.items():
        plain = extra.path.replace(":int", "")
        assert (extra.method, plain) not in spec_routes, f"{op_id} duplicates a spec route"


def test_routes_come_from_the_table() -> None:
    table = {(e["method"], e["path"]) for e in OPERATIONS.values()}
    served = {
        (r.method, r.path.replace(":int", ""))
        for r in routes()
        if r.spec is not None and r.operation_id in OPERATIONS
    }
    assert served == table
    for op_id, entry in OPERATIONS.items():
        concrete = entry["path"].replace("{", "").replace("}", "")
        for p in entry["params"]:
            if p["in"] == "path":
                concrete = concrete.replace(p["name"], "7" if p["schema"].get("type") == "integer" else "x")
        found = match(entry["method"], concrete)
        assert isinstance(found, tuple) and found[0].operation_id == op_id


def test_every_declared_400_answer_has_a_shape_that_fits_its_schema() -> None:
    for op_id, entry in OPERATIONS.items():
        invalid = entry["invalid"]
        if invalid is None:
            continue
        assert invalid["answer"] in SHAPES, f"{op_id}: no error shape for the spec's {invalid['answer']!r}"
        schema = entry["responses"]["400"]["application/json"]
        route = next(r for r in routes() if r.operation_id == op_id)
        paths: list[list[str | int]] = [[], [0, "title"], ["fields", 2, "key"], ["query parameter x"]]
        for path in paths:
            body = shape_for(route)(list(path), "bad value")
            errors = list(validator(schema).iter_errors(body))
            assert not errors, f"{op_id}: {body} does not fit its 400 schema: {errors[0].message}"


def test_unknown_handler_name_is_reported() -> None:
    registry = load_handlers()
    registry["createDocumentz"] = registry["createDocuments"]
    try:
        assert unknown_handlers() == ["createDocumentz"]
    finally:
        del registry["createDocumentz"]


# ---- the checks the table drives, over the in-process transport -----------------------------------


@pytest.fixture
def client() -> Any:
    sim = Simulator(token=TOKEN)
    with httpx.Client(transport=sim.transport(), base_url="http://localhost", headers={"TOKEN": TOKEN}) as c:
        yield c


def test_a_body_in_a_media_type_the_operation_does_not_accept_gets_415(client: httpx.Client) -> None:
    doc = json.dumps([{"title": "KPI", "document_hub_id": 1}])
    r = client.post("/integration/v2/document/", content=doc, headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    assert r.json() == {"detail": 'Unsupported media type "text/plain" in request.'}
    # JSONL bodies come labelled application/json (x-content-type) or as their format; nothing else.
    line = b'{"path": "/a"}'
    jsonl = client.post(
        "/api/v1/bulk_metadata/file_upload/1/", content=line, headers={"Content-Type": "text/csv"}
    )
    assert jsonl.status_code == 415 and "text/csv" in jsonl.json()["detail"]
    ok = client.post(
        "/integration/v2/document/", content=doc, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    assert ok.status_code == 202, ok.text


def test_a_missing_required_query_parameter_gets_400(client: httpx.Client) -> None:
    r = client.request("DELETE", "/integration/v2/dataflow/", json={"dataflow_ids": [1]})
    assert r.status_code == 400
    assert "keyField" in r.text and "required" in r.text


def test_a_query_value_outside_its_enum_gets_400(client: httpx.Client) -> None:
    key_field = next(p for p in OPERATIONS["deleteDataflows"]["params"] if p["name"] == "keyField")
    assert key_field["schema"] == {"$ref": "#/components/schemas/DataflowKeyField"}  # an enum, by reference
    r = client.request(
        "DELETE", "/integration/v2/dataflow/", params={"keyField": "NOT-A-VALUE"}, json={"dataflow_ids": [1]}
    )
    assert r.status_code == 400, r.text
    assert "NOT-A-VALUE" in r.text and "keyField" in r.text


def test_a_path_parameter_that_is_not_an_integer_is_not_found(client: httpx.Client) -> None:
    r = client.patch("/integration/v2/column/abc/children/", params={"ds_id": 1}, json=[{"key": "1.s.t.c"}])
    assert r.status_code == 404


def test_an_invalid_body_is_answered_in_the_operations_declared_400_shape(client: httpx.Client) -> None:
    r = client.post("/integration/v2/document/", json=[{"title": 5, "document_hub_id": 1}])
    assert r.status_code == 400
    body = r.json()
    assert body["job_id"] is None and body["invalid_documents"][0]["index"] == 0


def test_an_answer_outside_the_declared_responses_is_caught() -> None:
    sim = Simulator(token=TOKEN)
    sim.check_answers = True
    route = next(r for r in routes() if r.operation_id == "deleteDocuments")
    original = route.handler
    assert original is not None
    from alation_workflows.testing.wire import SimResponse

    object.__setattr__(route, "handler", lambda sim, request: SimResponse.json(200, {"deleted": "many"}))
    try:
        with httpx.Client(
            transport=sim.transport(), base_url="http://localhost", headers={"TOKEN": TOKEN}
        ) as c:
            with pytest.raises(AssertionError, match="deleteDocuments: 200 body"):
                c.request("DELETE", "/integration/v2/document/", json={"id": [1]})
    finally:
        object.__setattr__(route, "handler", original)


def test_every_json_or_jsonl_body_is_schema_checked() -> None:
    """Only bodies that are neither JSON nor JSON lines (multipart, forms) are left to handlers."""
    unchecked = {
        e["body"]["media"] for e in OPERATIONS.values() if e["body"] and e["body"]["format"] == "other"
    }
    assert unchecked <= {"multipart/form-data", "application/x-www-form-urlencoded"}, unchecked
    lines = [op for op, e in OPERATIONS.items() if e["body"] and e["body"]["format"] == "lines"]
    assert "postVirtualFileSystemMetadata" in lines


def test_an_invalid_jsonl_line_is_answered_in_the_declared_shape(client: httpx.Client) -> None:
    body = b'{"path": "/a"}\n{"path": 5}\n'
    r = client.post(
        "/api/v1/bulk_metadata/file_upload/1/", content=body, headers={"Content-Type": "application/x-ndjson"}
    )
    assert r.status_code == 400, r.text
    assert set(r.json()) == {"error"} and r.json()["error"].startswith("Line ")
