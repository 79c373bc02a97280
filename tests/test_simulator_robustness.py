"""Simulator robustness: inputs fuzzing found to crash it, and spec violations it must refuse (loopback HTTP)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from alation_workflows.testing import Simulator
from alation_workflows.testing.pytest_plugin import ServedSimulator

JOB = "/api/v1/bulk_metadata/job/"
DOCS = "/integration/v2/document/"
POLICIES = "/integration/v1/business_policies/"
DUP_USERS = "/integration/v1/remove_dup_users_accts/"


@pytest.fixture
def client(alation_server: ServedSimulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=alation_server.url, headers={"TOKEN": alation_server.token}, timeout=2) as c:
        yield c


def _job(client: httpx.Client, job_id: int) -> dict:
    r = client.get(JOB, params={"id": job_id})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_crashing_job_fails_alone_and_the_simulator_keeps_serving(
    client: httpx.Client, alation_server: ServedSimulator
) -> None:
    sim = alation_server.sim
    sim.set_job_duration(0.05)
    r = client.post(DOCS, json=[{"title": "T", "document_hub_id": 1}])
    assert r.status_code == 202, r.text
    crashing = sim.jobs.by_id[r.json()["job_id"]]

    def work() -> None:
        raise KeyError("boom")

    crashing.work = work
    # A second job queued behind the crashing one still finishes.
    later = client.post(DOCS, json=[{"title": "U", "document_hub_id": 1}]).json()["job_id"]
    deadline = 50

    def status_of(job_id: int) -> str:
        job = sim.job(id=job_id)  # asking settles the jobs whose time is up
        assert job is not None
        return job.status

    while status_of(later) == "running" and deadline:  # bounded: jobs finish after 0.05 s
        deadline -= 1
        client.get(JOB, params={"id": later})
        time.sleep(0.01)
    failed = _job(client, crashing.id)
    assert failed["status"] == "failed"
    assert "KeyError" in failed["msg"] and "boom" in failed["msg"]
    assert "KeyError" in failed["result"]
    assert _job(client, later)["status"] == "successful"
    assert client.post(DOCS, json=[{"title": "V", "document_hub_id": 1}]).status_code == 202


def test_object_items_in_policy_group_ids_are_a_400_at_submit(client: httpx.Client) -> None:
    created = client.post(POLICIES, json=[{"title": "P"}])
    assert created.status_code == 202
    r = client.put(POLICIES, json=[{"id": 101, "policy_group_ids": {"add": [1, {"x": 1}]}}])
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["code"] == "400000" and "policy_group_ids/add/1" in body["detail"]
    assert "is not of type 'integer'" in body["detail"] and body["errors"]
    # Nothing was queued, and the simulator still answers.
    assert client.get(JOB, params={"id": 1}).status_code in (200, 400, 404)
    assert client.post(POLICIES, json=[{"title": "Q"}]).status_code == 202


def test_empty_title_on_policy_update_is_a_400(client: httpx.Client, alation_server: ServedSimulator) -> None:
    r = client.put(POLICIES, json=[{"id": 101, "title": ""}])
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "400000" and "title" in r.json()["detail"]
    assert alation_server.sim.submissions.total() == 0 and alation_server.sim.jobs.by_id == {}


def test_a_csv_file_with_a_lone_cr_is_a_400(client: httpx.Client) -> None:
    files = {"csv_file": ("dups.csv", b'SN,Username,email,Action,Group\r1,"a\rb",x,SUSPEND,1\n', "text/csv")}
    r = client.post(DUP_USERS, files=files)
    assert r.status_code in (200, 400), r.text  # quoted CR is legal CSV
    lone = {"csv_file": ("dups.csv", b'SN,Username\n"x"\ry,1\n', "text/csv")}
    r = client.post(DUP_USERS, files=lone)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "400000" and "not a valid CSV" in r.json()["detail"]


def test_a_short_csv_row_does_not_crash(client: httpx.Client) -> None:
    files = {"csv_file": ("dups.csv", b"SN,Username,email,Action,Group\n1,admin\n", "text/csv")}
    r = client.post(DUP_USERS, files=files)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        # endpoint-family error shapes for a violation the handler itself lets through
        (POLICIES, [{"title": "P", "description": 5}], {"code": "400000"}),
        ("/integration/v2/bi/server/", [{"uri": "u", "title": "t", "description": 5}], {"code": "400002"}),
        ("/integration/v2/schema/?ds_id=1", [{"key": "1.s", "title": 5}], {"code": "400010"}),
    ],
)
def test_spec_violations_get_the_endpoints_400_shape(
    client: httpx.Client, alation_server: ServedSimulator, path: str, body: object, expected: dict
) -> None:
    r = client.post(path, json=body)
    assert r.status_code == 400, r.text
    assert expected.items() <= r.json().items() and r.json()["detail"]
    assert alation_server.sim.submissions.total() == 0


def test_a_rejected_request_leaves_no_trace_from_the_handlers_dry_run(
    alation_server: ServedSimulator,
) -> None:
    sim: Simulator = alation_server.sim
    sim.faults.inject("fail_job", path=POLICIES, times=1)
    with httpx.Client(base_url=alation_server.url, headers={"TOKEN": alation_server.token}, timeout=2) as c:
        assert c.post(POLICIES, json=[{"title": ""}]).status_code == 400
        ok = c.post(POLICIES, json=[{"title": "P"}])
        # The job fault was not used up by the rejected request's dry run.
        assert _job(c, ok.json()["task"]["id"])["status"] == "failed"
    assert sim.state.policies == {} and len(sim.jobs.by_id) == 1


# -- the simulator as a CI server: bounded bodies, hostile nesting, no stalled event loop -------------


def test_a_body_over_the_limit_gets_413_and_the_server_keeps_serving(
    client: httpx.Client, alation_server: ServedSimulator
) -> None:
    alation_server.sim.max_body_bytes = 10_000
    big = [{"title": "x" * 100, "document_hub_id": 1}] * 200  # ~25 kB
    declared = client.post(DOCS, json=big)
    assert declared.status_code == 413, declared.text
    assert "10000 bytes" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server counts while reading
        for _ in range(30):
            yield b" " * 1000

    streamed = client.post(DOCS, content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert alation_server.sim.submissions.total() == 0
    small = client.post(DOCS, json=[{"title": "T", "document_hub_id": 1}])
    assert small.status_code == 202, small.text


def test_a_large_upload_within_the_limit_is_accepted(client: httpx.Client) -> None:
    items = [{"title": f"Doc {i}", "document_hub_id": 1, "description": "d" * 400} for i in range(1000)]
    r = client.post(DOCS, json=items)  # ~0.5 MB, the batch limit of the endpoint
    assert r.status_code == 202, r.text


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'[{"title": "T", "document_hub_id": 1, "custom_fields": ' + b"[" * 50_000 + b"]" * 50_000 + b"}]",
        b'{"a": ' * 20_000 + b"1" + b"}" * 20_000,
    ],
    ids=["arrays", "inside-an-item", "objects"],
)
def test_deeply_nested_json_is_a_400_not_a_crash(client: httpx.Client, body: bytes) -> None:
    r = client.post(DOCS, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert "nesting too deep" in r.text or "JSON parse error" in r.text
    assert client.get(JOB, params={"id": 1}).status_code in (200, 404)  # still serving


def test_a_slow_upload_check_does_not_hold_up_other_clients(
    client: httpx.Client, alation_server: ServedSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While one upload is being parsed and validated, another client's request is answered.

    The upload's check blocks until the other request has been answered (bounded wait): were the
    check run on the event loop or under the simulator lock, the other request could not finish.
    """
    import threading

    from alation_workflows.testing import simulator, validation

    other_answered, in_check = threading.Event(), threading.Event()
    waited: list[bool] = []
    real_check = validation.check_body  # what the simulator calls as simulator.check_body

    def slow_check(route: object, request: object) -> object:
        if getattr(request, "path", "") == DOCS:
            in_check.set()
            waited.append(other_answered.wait(timeout=10))
        return real_check(route, request)  # type: ignore[arg-type]

    monkeypatch.setattr(simulator, "check_body", slow_check)
    results: list[int] = []

    def upload() -> None:
        with httpx.Client(
            base_url=alation_server.url, headers={"TOKEN": alation_server.token}, timeout=15
        ) as c:
            results.append(c.post(DOCS, json=[{"title": "T", "document_hub_id": 1}]).status_code)

    thread = threading.Thread(target=upload)
    thread.start()
    try:
        assert in_check.wait(timeout=10), "the upload never reached its check"
        r = client.get(JOB, params={"name": "no-such-job"})
        assert r.status_code in (200, 400, 404), r.text
        other_answered.set()
    finally:
        other_answered.set()
        thread.join(timeout=15)
    assert waited == [True], "the upload's check never saw the other request answered"
    assert results == [202]


def _json_body_routes() -> list[tuple[str, str, str, dict[str, str]]]:
    """(operation, method, path, required query) of every served operation that takes a JSON body."""
    from alation_workflows.testing.routes import operation_table

    table = operation_table()
    schemas = table["components"]["schemas"]
    routes = []
    for name, entry in table["operations"].items():
        if (entry.get("body") or {}).get("format") != "json":
            continue
        path, query = entry["path"], {}
        for p in entry["params"]:
            schema = p.get("schema", {})
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema
            value = str(schema["enum"][0]) if "enum" in schema else "1"
            if p["in"] == "path":
                path = path.replace("{" + p["name"] + "}", value)
            elif p["in"] == "query" and p.get("required"):
                query[p["name"]] = value
        routes.append((name, entry["method"], path, query))
    return routes


@pytest.mark.parametrize(("operation", "method", "path", "query"), _json_body_routes(), ids=lambda v: str(v))
def test_a_body_that_is_not_json_gets_a_declared_answer_everywhere(
    client: httpx.Client,
    alation_server: ServedSimulator,
    operation: str,
    method: str,
    path: str,
    query: dict[str, str],
) -> None:
    # check_answers is on in this suite: an answer the spec does not declare would be a 500 here
    r = client.request(
        method, path, params=query, content=b"\x00", headers={"Content-Type": "application/json"}
    )
    assert r.status_code in (400, 401, 404), f"{operation}: {r.status_code} {r.text}"
    if r.status_code == 400:
        assert "JSON parse error" in r.text or "required" in r.text, f"{operation}: {r.text}"
    assert alation_server.sim.submissions.total() == 0
