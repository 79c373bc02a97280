"""Polling contracts (spec `x-job-polling`): verdicts, progress, message and ids come from the spec."""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from alation_workflows import Workflows, _operations
from alation_workflows._runtime.operation import JobLink, JobPolling, LazyType, Operation, Param, Response
from alation_workflows.jobs import JobHandle, JobRef, UnexpectedJobStatusError, wait_all
from alation_workflows.jobs.handle import AsyncJobHandle, classify
from generator.build import Builder
from generator.errors import SpecError
from generator.load import load_spec
from tests.jobs_fakes import FAST

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = yaml.safe_load((ROOT / "openapi/gen.yaml").read_text())

# A task family shaped like Alation's data-dictionary tasks: `state` says running, `status` the outcome.
TASK_STATUS = Operation(
    id="getTask",
    method="GET",
    path="/tasks/{task_id}",
    retry="idempotent",
    params=(Param("task_id", "task_id", "path", LazyType(lambda: str), True),),
    responses={"200": Response(LazyType(lambda: dict[str, Any]), "application/json")},
)
TASKS = JobPolling(
    "Task",
    TASK_STATUS,
    (
        ("successful", "/status", frozenset({"succeeded"})),
        ("partially_successful", "/status", frozenset({"partially_succeeded"})),
        ("failed", "/status", frozenset({"failed"})),
        ("running", "/state", frozenset({"queued", "processing"})),
    ),
    progress=("/progress/batches_completed", "/progress/total_batches"),
)
LINK = JobLink(TASKS, LazyType(lambda: dict[str, Any]), (("task_id", "/task/id"),))


def task_server(answers: dict[str, list[dict[str, Any]]]) -> httpx.MockTransport:
    """Answers each task's status script in order, repeating the last answer."""

    def handler(request: httpx.Request) -> httpx.Response:
        task_id = request.url.path.rsplit("/", 1)[-1]
        script = answers[task_id]
        return httpx.Response(200, json=script.pop(0) if len(script) > 1 else script[0])

    return httpx.MockTransport(handler)


def task(state: str, status: str | None, done: int = 0, total: int = 3) -> dict[str, Any]:
    return {"state": state, "status": status, "progress": {"batches_completed": done, "total_batches": total}}


def client(transport: httpx.MockTransport) -> Workflows:
    return Workflows(
        server_url="https://alation.test",
        token="t",
        poll_config=FAST,
        client=httpx.Client(transport=transport),
        async_client=httpx.AsyncClient(transport=transport),
    )


def test_a_task_family_is_polled_by_uuid_with_progress_from_its_own_fields() -> None:
    uid = "5b0c8c52-2a3e-4d0c-9f4e-0d5f2c1f3a11"
    script = [task("QUEUED", None), task("PROCESSING", None, 1), task("PROCESSING", None, 2)]
    transport = task_server({uid: [*script, task("COMPLETED", "SUCCEEDED", 3)]})
    events: list[Any] = []
    with client(transport) as wf:
        handle: JobHandle[dict[str, Any]] = JobHandle(wf, LINK, {"task": {"id": uid}})
        assert handle.ref == JobRef(task_id=uid) and handle.id == uid and handle.name is None
        details = handle.wait(progress=events.append)
    assert details["status"] == "SUCCEEDED" and handle.verdict == "successful" and handle.done
    polled = [e for e in events if e.kind == "polled"]
    assert [e.job_progress.done for e in polled] == [0, 1, 2]
    assert {e.job_progress.total for e in polled} == {3}
    assert polled[0].status == "QUEUED" and events[-1].status == "COMPLETED/SUCCEEDED"
    assert handle.progress is not None and handle.progress.done == 3


def test_partially_succeeded_is_terminal_and_returns_the_details() -> None:
    transport = task_server({"t1": [task("PROCESSING", None), task("COMPLETED", "PARTIALLY_SUCCEEDED", 3)]})
    with client(transport) as wf:
        handle: JobHandle[dict[str, Any]] = JobHandle(wf, LINK, {"task": {"id": "t1"}})
        assert handle.wait()["status"] == "PARTIALLY_SUCCEEDED"
        assert handle.verdict == "partially_successful" and handle.done


def test_a_value_the_contract_does_not_list_is_unknown_and_names_the_contract() -> None:
    transport = task_server({"t1": [task("COMPLETED", None)]})
    with client(transport) as wf:
        handle: JobHandle[dict[str, Any]] = JobHandle(wf, LINK, {"task": {"id": "t1"}})
        with pytest.raises(UnexpectedJobStatusError, match=r"'COMPLETED'.*\(Task\)") as err:
            handle.wait()
    assert err.value.handle is handle


def test_wait_all_and_async_wait_serve_every_family_with_the_same_code() -> None:
    transport = task_server(
        {"a": [task("PROCESSING", None), task("COMPLETED", "SUCCEEDED")], "b": [task("COMPLETED", "FAILED")]}
    )
    with client(transport) as wf:
        handles: list[JobHandle[dict[str, Any]]] = [JobHandle(wf, LINK, {"task": {"id": i}}) for i in "ab"]
        ok, failed = wait_all(handles)
        assert ok.ok and failed.error is not None and failed.handle.verdict == "failed"

        async def go() -> Any:
            h: AsyncJobHandle[dict[str, Any]] = AsyncJobHandle(wf, LINK, {"task": {"id": "a"}})
            return await h.wait()

        assert asyncio.run(go())["status"] == "SUCCEEDED"


def test_statuses_compare_case_insensitively_and_first_terminal_rule_wins() -> None:
    assert classify(TASKS, task("processing", "succeeded")) == "successful"
    assert classify(TASKS, task("Queued", None)) == "running"
    bulk = _operations.POLLINGS["BulkMetadataJob"]
    assert classify(bulk, {"status": "Running"}) == "running"
    assert classify(bulk, {"status": ""}) == "unknown"


def test_to_dict_keeps_the_status_parameter_and_resume_finds_the_contract_by_it() -> None:
    with client(task_server({})) as wf:
        handle: JobHandle[Any] = JobHandle(wf, LINK, {"task": {"id": "t9"}})
        assert handle.to_dict()["job"] == {"task_id": "t9"}
        assert JobHandle.resume(wf, {"job": {"id": 7}}).polling is _operations.POLLINGS["BulkMetadataJob"]
        with pytest.raises(ValueError, match="no status operation of this SDK takes 'nope'"):
            JobHandle.resume(wf, {"job": {"nope": 1}})
    with pytest.raises(ValueError, match="exactly one"):
        JobRef(id=1, task_id="x")


def _broken(mutate: Any) -> list[tuple[str, str]]:
    spec = copy.deepcopy(load_spec(ROOT / "openapi/alation-workflows.yaml"))
    mutate(spec)
    with pytest.raises(SpecError) as err:
        Builder(spec, SETTINGS, "spec.yaml").build()
    return err.value.problems


POLL = "/components/x-job-polling/BulkMetadataJob"


@pytest.mark.parametrize(
    ("mutate", "pointer", "message"),
    [
        (
            lambda s: s["components"]["x-job-polling"]["BulkMetadataJob"]["status"].pop("running"),
            f"{POLL}/status",
            "'running'",
        ),
        (
            lambda s: s["components"]["x-job-polling"]["BulkMetadataJob"]["status"]["failed"].update(
                field="/nope"
            ),
            f"{POLL}/status/failed/field",
            "JSON pointer to a property",
        ),
        (
            lambda s: s["components"]["x-job-polling"]["BulkMetadataJob"].update(progress={"done": "/msg"}),
            f"{POLL}/progress/total",
            "JSON pointer",
        ),
        (
            lambda s: s["paths"]["/integration/v2/document/"]["post"]["x-job"].pop("polling"),
            "/paths/~1integration~1v2~1document~1/post/x-job/polling",
            "must $ref a contract",
        ),
        (
            # The succeeded model must extend the details model (wait() returns a narrower type).
            lambda s: s["paths"]["/integration/v2/document/"]["post"]["x-job"].update(
                succeeded={"$ref": "#/components/schemas/JobDetailsDocumentPutSucceeded"}
            ),
            "/paths/~1integration~1v2~1document~1/post/x-job/succeeded",
            "allOf starts with {$ref: #/components/schemas/JobDetailsDocumentPost}",
        ),
        (
            lambda s: s["paths"]["/integration/v2/document/"]["post"]["x-job"].update(success={}),
            "/paths/~1integration~1v2~1document~1/post/x-job/success",
            "unknown x-job key 'success'",
        ),
        (
            lambda s: s["components"]["responses"]["JobIdAccepted"]["links"]["jobStatus"].update(
                parameters={"job": "$response.body#/job_id"}
            ),
            "/responses/202/links/jobStatus/parameters/job",
            "not a parameter of the status operation",
        ),
    ],
)
def test_the_generator_refuses_a_broken_polling_contract(mutate: Any, pointer: str, message: str) -> None:
    problems = _broken(mutate)
    assert any(p.endswith(pointer) and message in m for p, m in problems), problems
