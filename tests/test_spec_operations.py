"""Every operation of the spec, driven by the spec's own examples through the generated SDK.

For each operation (and each of its 2XX responses) a request is built from the spec's example,
sent through the generated method to an httpx mock transport, and checked on the wire; the
spec's example response (and, for jobs, the job-details example) must parse into the typed
models and dump back unchanged. Declared error responses must raise with their body parsed.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import urllib.parse
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

import httpx
import pydantic
import pytest

from alation_workflows import AsyncJobHandle, JobHandle, ProblemDetailsError, Workflows, models
from alation_workflows._operations import OPERATIONS
from generator import ir
from generator.pipeline import build_api

ROOT = Path(__file__).resolve().parent.parent
API = build_api(ROOT)
MODELS = {m.name: m for m in API.models}
BASE = "https://alation.example.com"
TOKEN = "test-token"
STATUS_OP = OPERATIONS["getJobStatus"]


def _success_cases() -> list[Any]:
    return [pytest.param(op, r, id=f"{op.id}-{r.status}") for op in API.operations for r in op.responses]


def _error_cases() -> list[Any]:
    return [
        pytest.param(op, r, id=f"{op.id}-{r.status}")
        for op in API.operations
        for r in op.errors
        if r.type is not None and r.example is not None
    ]


# ---- helpers ------------------------------------------------------------------------------------


def _dump(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value


def _norm(value: Any) -> Any:
    """Decode JSON carried inside strings, so a JSON-in-string compares by content."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return _norm(json.loads(value))
        except ValueError:
            return value
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def _assert_typed(value: Any, where: str) -> None:
    """Nothing parsed into a fallback: no unknown field, no raw object, no undecoded JSON string."""
    if isinstance(value, pydantic.BaseModel):
        assert not value.model_extra, f"{where}: fields not in the schema: {sorted(value.model_extra)}"
        for name, info in type(value).model_fields.items():
            if info.annotation in (Any, Optional[Any]):
                continue  # free-form in the schema ({}): any value is the typed value
            _assert_typed(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, dict):
        raise AssertionError(f"{where}: parsed as a raw object, not a typed model: {value!r}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _assert_typed(item, f"{where}[{i}]")
    elif isinstance(value, str):
        assert value[:1] not in ("{", "["), f"{where}: JSON left undecoded in a string: {value!r}"


def _pointer(doc: Any, pointer: str) -> Any:
    for token in pointer.lstrip("/").split("/"):
        doc = doc[token]
    return doc


def _client(handler: Any) -> Workflows:
    return Workflows(
        server_url=BASE, token=TOKEN, client=httpx.Client(transport=httpx.MockTransport(handler))
    )


def _used_params(op: ir.Operation) -> list[ir.Param]:
    """Parameters with an example; of an exactly-one-of set only the first one."""
    used: list[ir.Param] = []
    for p in op.params:
        if p.example is None:
            assert not p.required, f"{op.id}: required parameter {p.wire} has no example"
            continue
        if p.name in op.exactly_one_of and any(u.name in op.exactly_one_of for u in used):
            continue
        used.append(p)
    return used


def _arguments(op: ir.Operation) -> dict[str, Any]:
    """Keyword arguments built from the spec's examples (through the runtime's own types)."""
    runtime = OPERATIONS[op.id]
    types = {p.name: p.type for p in runtime.params}
    kwargs: dict[str, Any] = {
        p.name: types[p.name].adapter.validate_python(p.example) for p in _used_params(op)
    }
    if op.body is not None:
        assert op.body.example is not None, f"{op.id}: request body has no example"
        kwargs["request"] = runtime.body.type.adapter.validate_python(op.body.example)  # type: ignore[union-attr]
    return kwargs


def _wire_value(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _check_request(op: ir.Operation, request: httpx.Request) -> None:
    assert request.method == op.method
    path = op.path
    query = {}
    for p in _used_params(op):
        if p.location == "path":
            path = path.replace("{" + p.wire + "}", quote(_wire_value(p.example), safe=""))
        elif p.location == "query":
            query[p.wire] = _wire_value(p.example)
    if op.paging is not None:
        # A listing always names its page size, so a short page can tell the last one.
        query.setdefault(op.paging.limit, str(op.paging.page_size))
    assert request.url.path == path
    assert dict(request.url.params) == query
    if op.secured:
        assert request.headers.get("TOKEN") == TOKEN
    else:
        assert "TOKEN" not in request.headers, f"{op.id} is security: [] but sent a TOKEN header"
    body = request.read()
    if op.body is None:
        assert body == b""
        return
    media = request.headers["content-type"]
    if op.body.media == "application/json":
        assert media == "application/json"
        assert json.loads(body) == op.body.example
    elif op.body.media == "application/x-ndjson":
        assert media == (op.body.content_type or "application/x-ndjson")
        lines = body.split(b"\n")
        assert [json.loads(line) for line in lines] == op.body.example
    elif op.body.media == "multipart/form-data":
        assert media.startswith("multipart/form-data; boundary=")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + media.encode() + b"\r\n\r\n" + body
        )
        parts = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        assert set(parts) == set(op.body.example)
        for name, expected in op.body.example.items():
            ctype = next((c for part, c, _ in op.body.encoding if part == name), "text/plain")
            assert parts[name].get_content_type() == ctype
            if isinstance(expected, bool):  # form fields carry booleans as "true"/"false"
                expected = "true" if expected else "false"
            assert parts[name].get_payload(decode=True) == expected.encode()
    elif op.body.media == "application/x-www-form-urlencoded":
        assert media == "application/x-www-form-urlencoded"
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}
        assert form == {k: str(v) for k, v in op.body.example.items()}
    else:  # pragma: no cover - the generator rejects other media types
        raise AssertionError(f"unexpected media {op.body.media}")


# ---- tests --------------------------------------------------------------------------------------


def test_every_spec_operation_is_generated() -> None:
    import yaml

    spec = yaml.safe_load((ROOT / "openapi/alation-workflows.yaml").read_text())
    wire_ops = [
        op
        for item in spec["paths"].values()
        for m, op in item.items()
        if m in ("get", "post", "put", "patch", "delete")
    ]
    expected = {v["operationId"] for op in wire_ops for v in op.get("x-variants", [op])}
    assert {op.id for op in API.operations} == expected
    assert set(OPERATIONS) == expected
    wf = Workflows(server_url=BASE, token=TOKEN)
    for op in API.operations:
        assert callable(getattr(getattr(wf, op.group), op.name))
        assert callable(getattr(getattr(wf, op.group), op.name + "_async"))


@pytest.mark.parametrize(("op", "response"), _success_cases())
def test_operation_round_trip(op: ir.Operation, response: ir.Response) -> None:
    is_handle = op.job is not None and response.status in op.job.handle_statuses
    details_example = MODELS[op.job.details.name].example if op.job else None
    if is_handle:
        assert details_example is not None, f"{op.job.details.name} has no example"  # type: ignore[union-attr]
    if response.type is not None:
        assert response.example is not None, f"{op.id} {response.status}: response has no example"
    seen: list[httpx.Request] = []
    status_op = next((o for o in API.operations if op.job and o.name == op.job.status_operation), STATUS_OP)
    status_path = re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(status_op.path)) + "$")

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) > 1:
            assert status_path.match(request.url.path), request.url.path
            return httpx.Response(200, json=details_example)
        if response.type is None:
            return httpx.Response(int(response.status))
        return httpx.Response(int(response.status), json=response.example)

    with _client(handler) as wf:
        result = getattr(getattr(wf, op.group), op.name)(**_arguments(op))
        if op.paging is not None:
            result = list(result)  # a lazy iterator: one page (the example carries no next link)
        _check_request(op, seen[0])
        if not is_handle:
            assert not isinstance(result, JobHandle)
            if response.type is None:
                assert result is None
                return
            _assert_typed(result, f"{op.id} response")
            assert _norm(_dump(result)) == _norm(response.example)
            return
        assert isinstance(result, JobHandle)
        assert _dump(result.submitted) == response.example
        _assert_typed(result.submitted, f"{op.id} handle")
        details = result.wait(timeout=5)
    # The status request asks for the id or name the spec's link points at.
    param, pointer = op.job.sources[0]  # type: ignore[union-attr]
    value = str(_pointer(response.example, pointer))
    where = next(p for p in status_op.params if p.name == param)
    if where.location == "path":
        assert seen[1].url.path == status_op.path.replace("{" + where.wire + "}", value)
    else:
        assert dict(seen[1].url.params) == {param: value}
    assert seen[1].headers.get("TOKEN") == TOKEN
    assert type(details).__name__ == op.job.result.name  # type: ignore[union-attr]
    _assert_typed(details, f"{op.id} job details")
    assert _norm(_dump(details)) == _norm(details_example)


@pytest.mark.parametrize(("op", "response"), _error_cases())
def test_error_bodies_are_parsed(op: ir.Operation, response: ir.Response) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(int(response.status), json=response.example)

    with _client(handler) as wf, pytest.raises(ProblemDetailsError) as caught:
        result = getattr(getattr(wf, op.group), op.name)(**_arguments(op))
        if op.paging is not None:
            list(result)  # a listing is lazy: the request goes out on iteration
    err = caught.value
    assert err.status_code == int(response.status)
    if isinstance(response.example, dict):
        # Typed, not the raw fallback, and nothing the server sent lost.
        assert isinstance(err.data, pydantic.BaseModel), f"{op.id} {response.status}: error body left raw"
    assert _dump(err.data) == response.example


def test_unknown_error_shape_is_kept_raw() -> None:
    body = {"unexpected": ["shape"], "detail": 7}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json=[body])

    with _client(handler) as wf, pytest.raises(ProblemDetailsError) as caught:
        wf.documents.create_documents(request=[models.DocumentIn(title="x", document_hub_id=1)])
    assert caught.value.data == [body]


def test_hybrid_domain_membership_returns_result_or_handle() -> None:
    request = models.DomainMembershipRequest(id=179, oid=[21, 23], otype="glossary_v3")
    answers = iter(
        [
            httpx.Response(201, json={"id": 179, "oid": [21, 23], "otype": "glossary_v3", "exclude": False}),
            httpx.Response(202, json={"job_id": 55}),
            httpx.Response(200, json={"status": "successful", "msg": "done", "result": None}),
        ]
    )
    with _client(lambda request: next(answers)) as wf:
        sync = wf.domains.assign_domain_membership(request=request)
        assert isinstance(sync, models.DomainMembership) and sync.oid == [21, 23]
        job = wf.domains.assign_domain_membership(request=request)
        assert isinstance(job, JobHandle) and job.id == 55
        done = job.wait(timeout=5)
        assert isinstance(done, models.JobDetailsDomainMembership) and done.result is None


async def test_async_twin_submits_and_waits() -> None:
    details = MODELS["JobDetailsBusinessPolicy"].example
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "GET":
            return httpx.Response(200, json=details)
        return httpx.Response(202, json={"task": {"id": 23739, "type": "BUSINESS_POLICY_BULK_CREATE"}})

    async with Workflows(
        server_url=BASE, token=TOKEN, async_client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
    ) as wf:
        job = await wf.business_policies.create_business_policies_async(
            request=[models.BusinessPolicyIn(title="PII retention", policy_group_ids=[1])]
        )
        assert isinstance(job, AsyncJobHandle) and job.id == 23739
        done = await job.wait(timeout=5)
    assert isinstance(done, models.JobDetailsBusinessPolicy)
    assert done.result == details["result"]
    assert dict(seen[1].url.params) == {"id": "23739"}


def test_json_in_string_results_accept_decoded_objects_and_keep_garbage() -> None:
    decoded = {"number_received": 1, "updated_objects": 1, "error_objects": [], "error": None}
    parsed = models.JobDetailsVirtualDatasourcePost.model_validate(
        {"status": "successful", "result": decoded}
    )
    assert isinstance(parsed.result, models.VirtualDatasourceResult)
    messages = [{"msg": "Finished", "data": {"field_ids": [1]}}]
    cf = models.JobDetailsCustomFieldPost.model_validate({"status": "successful", "result": messages})
    assert isinstance(cf.result, list) and isinstance(cf.result[0], models.CustomFieldJobMessage)
    assert cf.result[0].data is not None and cf.result[0].data.field_ids == [1]
    # A Python-repr string (older VFS versions) and a non-JSON string are kept, not dropped.
    vfs = models.JobDetailsVirtualFileSystemPost.model_validate(
        {"status": "successful", "result": "['Uploaded 3 directories and files.']"}
    )
    assert vfs.result == "['Uploaded 3 directories and files.']"
    vds = models.JobDetailsVirtualDatasourcePost.model_validate(
        {"status": "successful", "result": "not json"}
    )
    assert vds.result == "not json"


def test_request_bodies_reject_unknown_fields_and_wrong_shapes() -> None:
    with pytest.raises(pydantic.ValidationError):
        models.DocumentIn(title="x", document_hub_id=1, hub=2)  # type: ignore[call-arg]
    # policy_group_ids is a list on create but an add/remove/replace object on update.
    with pytest.raises(pydantic.ValidationError):
        models.BusinessPolicyUpdate(id=1, policy_group_ids=[1, 2])  # pyright: ignore[reportArgumentType]
    assert models.BusinessPolicyIn(title="t", policy_group_ids=[1]).policy_group_ids == [1]
    # A table line must not carry view fields.
    with pytest.raises(pydantic.ValidationError):
        models.VdsTable(key="1.s.t", table_type="TABLE", view_sql="select 1")  # type: ignore[call-arg]
