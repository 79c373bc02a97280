"""The simulator's job results follow the spec: with `check_answers` on, a status answer about a job
must fit that job's operation's `x-job.succeeded` schema when the job succeeded, and its
`x-job.details` schema otherwise. Batch limits come from the spec's `x-batch-limit`, so a changed
copy of the operation table changes the simulator's verdict.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from alation_workflows import JobHandle, Workflows
from alation_workflows.testing import Simulator, fields, routes, simulator, validation
from alation_workflows.testing.jobs import JobFailure
from alation_workflows.testing.pytest_plugin import ServedSimulator
from alation_workflows.testing.validation import AnswerMismatch
from alation_workflows.testing.wire import SimResponse
from tests.operation_tables import use_table
from tests.test_simulator_spec_conformance import _seed
from tests.test_spec_operations import API, _arguments

JOB_OPERATIONS = [pytest.param(op, id=op.id) for op in API.operations if op.job is not None]
# Hybrid operations the simulator answers on their synchronous branch only (no job to check).
SYNC_ONLY = {"deleteDomains"}
# A createDocuments result with a count that is not an integer.
WRONG_SHAPE: dict[str, Any] = {"created_term_count": "two", "created_terms": []}


def _status(sim: Simulator, job_id: int) -> httpx.Response:
    with httpx.Client(transport=sim.transport(), base_url="http://localhost") as client:
        return client.get("/api/v1/bulk_metadata/job/", params={"id": str(job_id)}, headers={"TOKEN": "t"})


def _job(sim: Simulator, result: Any, *, fail: bool = False) -> int:
    def work() -> Any:
        if fail:
            raise JobFailure(result)
        return result

    return sim.jobs.submit("createDocuments", work).id


def test_a_successful_job_with_a_result_of_the_wrong_shape_is_a_mismatch() -> None:
    sim = Simulator(token="t")
    sim.check_answers = True
    with pytest.raises(AnswerMismatch) as raised:
        _status(sim, _job(sim, WRONG_SHAPE))
    message = str(raised.value)
    assert "getJobStatus" in message and "createDocuments" in message, message
    assert "JobDetailsDocumentPostSucceeded" in message and "'/result/created_term_count'" in message, message


def test_without_check_answers_the_wrong_shape_is_answered_as_is() -> None:
    sim = Simulator(token="t")
    sim.check_answers = False
    answer = _status(sim, _job(sim, WRONG_SHAPE))
    assert answer.status_code == 200 and answer.json()["result"] == WRONG_SHAPE


def test_a_failed_or_running_job_is_held_to_the_details_schema_only() -> None:
    sim = Simulator(token="t")
    sim.check_answers = True
    assert _status(sim, _job(sim, WRONG_SHAPE, fail=True)).json()["status"] == "failed"
    sim.set_job_duration(3600)
    assert _status(sim, _job(sim, WRONG_SHAPE)).json()["status"] == "running"


def test_a_wrong_shape_for_one_operation_is_the_right_shape_for_another() -> None:
    """The schema applied is the reported job's operation's, not a fixed one."""
    sim = Simulator(token="t")
    sim.check_answers = True
    created = {"created_term_count": 1, "created_terms": [{"id": 1, "title": "KPI"}]}
    assert _status(sim, _job(sim, created)).status_code == 200
    updated = sim.jobs.submit("updateDocuments", lambda: created).id
    with pytest.raises(AnswerMismatch, match="JobDetailsDocumentPutSucceeded"):
        _status(sim, updated)


SUCCEEDED = sorted(
    op_id
    for op_id, entry in routes.operation_table()["operations"].items()
    if entry["job"] is not None and entry["job"]["succeeded"] is not None
)


@pytest.mark.parametrize("op_id", SUCCEEDED)
def test_every_succeeded_schema_refuses_a_result_of_another_type(op_id: str) -> None:
    """No operation's `x-job.succeeded` lets a bare number through as its result."""
    sim = Simulator(token="t")
    sim.check_answers = True
    job = sim.jobs.submit(op_id, lambda: 12345)
    with pytest.raises(AnswerMismatch, match="at '/result"):
        _status(sim, job.id)


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str | None]]:
    """Every job-answer check the simulator makes: (status operation, job operation, problem)."""
    calls: list[tuple[str, str, str | None]] = []
    check = validation.check_job_answer

    def record(route: routes.Route, job_operation: str, answer: SimResponse) -> str | None:
        problem = check(route, job_operation, answer)
        calls.append((route.operation_id, job_operation, problem))
        return problem

    monkeypatch.setattr(simulator, "check_job_answer", record)
    return calls


@pytest.mark.parametrize("op", JOB_OPERATIONS)
def test_every_job_operations_example_fits_its_job_schemas(
    op: Any, workflows: Workflows, alation_server: ServedSimulator, checked: list[tuple[str, str, str | None]]
) -> None:
    sim = alation_server.sim
    assert sim.check_answers
    _seed(sim)
    sim.domain_sync_limit = 0  # a hybrid operation (domain membership) answers with a job, too
    handle = getattr(getattr(workflows, op.group), op.name)(**_arguments(op))
    if op.id in SYNC_ONLY:
        assert not isinstance(handle, JobHandle) and not checked
        return
    assert isinstance(handle, JobHandle)
    handle.wait(timeout=5)
    assert handle.verdict == "successful"
    wire_id = routes.resolve_operation(op.id)
    assert checked and all(job == wire_id and problem is None for _, job, problem in checked), checked


# -- batch limits come from the spec -------------------------------------------------------------


def _post(path: str, body: Any) -> httpx.Response:
    sim = Simulator(token="t")
    with httpx.Client(transport=sim.transport(), base_url="http://localhost") as client:
        return client.post(
            path,
            content=json.dumps(body).encode(),
            headers={"TOKEN": "t", "content-type": "application/json"},
        )


def _documents(count: int) -> httpx.Response:
    return _post(
        "/integration/v2/document/", [{"title": f"KPI {n}", "document_hub_id": 1} for n in range(count)]
    )


def _set_limit(table: dict[str, Any], operation_id: str, limit: int) -> None:
    """The spec states a limit twice (`x-batch-limit` and the list's `maxItems`); a changed spec changes both."""
    entry = table["operations"][operation_id]
    entry["batch_limits"][""] = limit
    entry["body"]["schema"]["maxItems"] = limit


def test_a_lowered_batch_limit_refuses_what_the_spec_allowed(
    table: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _documents(3).status_code == 202
    _set_limit(table, "createDocuments", 2)
    use_table(table, tmp_path, monkeypatch)
    refused = _documents(3)
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Too many objects in one request: 3; the maximum is 2."
    assert _documents(2).status_code == 202


def test_a_raised_batch_limit_accepts_what_the_spec_refused(
    table: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _documents(1001).status_code == 400
    _set_limit(table, "createDocuments", 2000)
    use_table(table, tmp_path, monkeypatch)
    assert _documents(1001).status_code == 202


def test_an_object_bodys_list_limit_comes_from_the_spec(
    table: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Data quality limits each of its lists (`fields`, `values`) by name."""
    body = {"fields": [{"field_key": f"dq.k{n}", "name": "k", "type": "STRING"} for n in range(3)]}
    assert _post("/integration/v1/data_quality/", body).status_code == 202
    table["operations"]["postDataQuality"]["batch_limits"]["fields"] = 2
    table["components"]["schemas"]["DataQualityFieldsRequest"]["properties"]["fields"]["maxItems"] = 2
    use_table(table, tmp_path, monkeypatch)
    refused = _post("/integration/v1/data_quality/", body)
    assert refused.status_code == 400
    assert refused.json() == {"Entry": -1, "Message": 'At most 2 entries per "fields" list, got 3'}


def test_the_limits_read_are_the_specs() -> None:
    """Per operation, and per list of an object body; none where the spec states none."""
    assert fields.batch_limit("createDocuments") == 1000
    assert fields.batch_limit("createColumns") == 10000
    assert fields.batch_limit("postDataQuality", "values") == 1000
    assert fields.batch_limit("createDataflows", "dataflow_objects") is None  # Alation: no server batching
