"""Jobs overlay against the simulator over real loopback HTTP (the `alation_server` fixture)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from alation_workflows import PollConfig, Workflows, models
from alation_workflows.auth import RefreshTokenAuth
from alation_workflows.jobs import (
    AsyncJobHandle,
    JobFailedError,
    JobHandle,
    JobTimeoutError,
    UnexpectedJobStatusError,
    submit_batches,
    submit_batches_async,
    wait_all,
    wait_all_async,
)
from alation_workflows.testing import Simulator
from alation_workflows.testing.pytest_plugin import ServedSimulator

JOB_PATH = "/api/v1/bulk_metadata/job/"
QUICK = PollConfig(initial_interval=0.01, multiplier=1.5, max_interval=0.05, timeout=10.0, jitter=0.1)


@pytest.fixture
def wf(alation_server: ServedSimulator) -> Iterator[Workflows]:
    with Workflows(
        server_url=alation_server.url, token=alation_server.token, timeout_ms=5000, poll_config=QUICK
    ) as client:
        yield client


def docs(n: int, hub: int = 1) -> list[models.DocumentIn]:
    return [models.DocumentIn(title=f"doc {i}", document_hub_id=hub) for i in range(n)]


def test_submit_wait_typed_result_and_state(wf: Workflows, alation_server: ServedSimulator) -> None:
    alation_server.sim.set_job_duration(0.1)
    handle = wf.documents.create_documents(request=docs(3))
    done = handle.wait()
    assert isinstance(done, models.JobDetailsDocumentPost)
    assert isinstance(done.result, models.DocumentPostResult)
    assert done.result.created_term_count == 3
    assert [t.title for t in done.result.created_terms] == ["doc 0", "doc 1", "doc 2"]
    assert handle.polls >= 2  # it really was running for a while
    assert handle.problems == []


async def test_submit_wait_async(alation_server: ServedSimulator) -> None:
    async with Workflows(server_url=alation_server.url, token=alation_server.token, poll_config=QUICK) as wf:
        handle = await wf.documents.create_documents_async(request=docs(2))
        assert isinstance(handle, AsyncJobHandle)
        done = await handle.wait()
    assert isinstance(done, models.JobDetailsDocumentPost) and done.result.created_term_count == 2


def test_timeout_then_resume_from_persisted_state(wf: Workflows, alation_server: ServedSimulator) -> None:
    alation_server.sim.set_job_duration(0.4)
    handle = wf.documents.create_documents(request=docs(1))
    with pytest.raises(JobTimeoutError) as caught:
        handle.wait(timeout=0.05)
    assert caught.value.handle is handle
    state = json.dumps(handle.to_dict())  # e.g. written to disk before a restart
    resumed = JobHandle.resume(wf, json.loads(state))
    done = resumed.wait()
    assert isinstance(done, models.JobDetailsDocumentPost) and done.result is not None
    assert done.result.created_term_count == 1


def test_never_finishing_job_times_out(wf: Workflows, alation_server: ServedSimulator) -> None:
    alation_server.sim.faults.inject("never_finish", path="/integration/v2/document/")
    handle = wf.documents.create_documents(request=docs(1))
    with pytest.raises(JobTimeoutError):
        handle.wait(timeout=0.2)
    assert handle.verdict == "running"


def test_failed_job(wf: Workflows, alation_server: ServedSimulator) -> None:
    alation_server.sim.faults.inject("fail_job", path="/integration/v2/document/", result="disk full")
    handle = wf.documents.create_documents(request=docs(1))
    with pytest.raises(JobFailedError) as caught:
        handle.wait()
    assert caught.value.handle is handle
    assert isinstance(caught.value.details, models.JobDetailsDocumentPost)
    assert caught.value.details.status == models.JobState.FAILED
    assert "disk full" in json.dumps(caught.value.details.to_wire())


def test_unknown_status_and_status_retries(wf: Workflows, alation_server: ServedSimulator) -> None:
    sim = alation_server.sim
    handle = wf.documents.create_documents(request=docs(1))
    sim.faults.inject("status", path=JOB_PATH, status=503, times=1)  # retried by the runtime
    sim.faults.inject(
        "status",
        path=JOB_PATH,
        status=200,
        body={"status": "partially_successful", "msg": "", "result": None},
    )
    with pytest.raises(UnexpectedJobStatusError) as caught:
        handle.wait(timeout=5)
    assert caught.value.details.status == "partially_successful"
    assert handle.wait().status == "successful"  # a later wait polls again


def test_wait_all_over_http(wf: Workflows, alation_server: ServedSimulator) -> None:
    sim = alation_server.sim
    sim.set_job_duration(0.05)
    handles = [wf.documents.create_documents(request=docs(2)) for _ in range(4)]
    sim.faults.inject("never_finish", path="/integration/v2/document/")
    handles.append(wf.documents.create_documents(request=docs(1)))
    outcomes = wait_all(handles, timeout=1.0)
    assert [o.ok for o in outcomes] == [True, True, True, True, False]
    assert isinstance(outcomes[-1].error, JobTimeoutError) and outcomes[-1].error.handle is handles[-1]
    assert sum(o.unwrap().result.created_term_count for o in outcomes[:4]) == 8


async def test_wait_all_async_over_http(alation_server: ServedSimulator) -> None:
    alation_server.sim.set_job_duration(0.05)
    async with Workflows(server_url=alation_server.url, token=alation_server.token, poll_config=QUICK) as wf:
        handles = [await wf.documents.create_documents_async(request=docs(1)) for _ in range(5)]
        outcomes = await wait_all_async(handles, concurrency=2)
    assert all(o.ok for o in outcomes)


def test_batches_with_one_failing_batch(wf: Workflows, alation_server: ServedSimulator) -> None:
    sim = alation_server.sim
    bad = [models.DocumentIn(title=f"doc {i}", document_hub_id=1) for i in range(2500)]
    sim.faults.inject("status", path="/integration/v2/document/", method="POST", status=400, times=1,
                      body={"detail": "rejected batch", "code": "400000"})  # fmt: skip
    outcomes = submit_batches(wf.documents.create_documents, bad, concurrency=2)
    assert [(o.start, o.stop) for o in outcomes] == [(0, 1000), (1000, 2000), (2000, 2500)]
    assert [o.ok for o in outcomes] == [False, True, True]
    assert outcomes[0].handle is None and outcomes[0].error is not None
    assert [o.unwrap().result.created_term_count for o in outcomes[1:]] == [1000, 500]
    assert sim.submissions["createDocuments"] == 2


async def test_batches_async_over_http(alation_server: ServedSimulator) -> None:
    async with Workflows(server_url=alation_server.url, token=alation_server.token, poll_config=QUICK) as wf:
        outcomes = await submit_batches_async(wf.documents.create_documents_async, docs(25), batch_size=10)
    assert [o.unwrap().result.created_term_count for o in outcomes] == [10, 10, 5]


def needs_token_endpoint(server: ServedSimulator) -> None:
    import httpx

    probe = httpx.post(
        server.url + "/integration/v1/createAPIAccessToken/", json={"refresh_token": "x", "user_id": 1}
    )
    if probe.status_code == 501:
        pytest.skip("the simulator does not implement createAPIAccessToken yet")


def test_refresh_token_renewal_after_401_mid_wait(alation_server: ServedSimulator) -> None:
    needs_token_endpoint(alation_server)
    sim = alation_server.sim
    sim.set_job_duration(0.3)
    auth = RefreshTokenAuth(sim.issue_refresh_token(user_id=1), user_id=1)
    with Workflows(server_url=alation_server.url, token=auth, poll_config=QUICK) as wf:
        handle = wf.documents.create_documents(request=docs(2))
        first = auth.renewals
        sim.faults.inject("expire_tokens", path=JOB_PATH)  # every access token dies mid-wait
        done = handle.wait()
    assert done.result.created_term_count == 2
    assert auth.renewals == first + 1
    statuses = [r.status for r in sim.requests if r.path == JOB_PATH]
    assert 401 in statuses and statuses[-1] == 200


def test_invalid_refresh_token_is_a_typed_error(alation_server: ServedSimulator) -> None:
    from alation_workflows.auth import RefreshTokenError

    needs_token_endpoint(alation_server)
    with Workflows(server_url=alation_server.url, token=RefreshTokenAuth("nope", user_id=1)) as wf:
        with pytest.raises(RefreshTokenError) as caught:
            wf.documents.create_documents(request=docs(1))
    assert caught.value.status_code == 401 and caught.value.code == "401000"


@pytest.fixture
def cloud_native() -> Iterator[tuple[str, Simulator]]:
    sim = Simulator(token="test-token", job_duration=0.05, cfv_legacy_job=True)
    with sim.serve() as url:
        yield url, sim


def test_custom_field_values_follow_the_legacy_job(cloud_native: tuple[str, Simulator]) -> None:
    url, sim = cloud_native
    sim.state.add_table("1.sales.orders", id=7)  # values are refused for objects that do not exist
    with Workflows(server_url=url, token="test-token", poll_config=QUICK) as wf:
        fields = wf.custom_fields.create_custom_fields(
            request=[models.CustomFieldIn(field_type=models.CustomFieldType.RICH_TEXT, name_singular="Note")]
        ).wait()
        [field_id] = [i for m in fields.result or [] if m.data for i in m.data.field_ids or []]
        handle = wf.custom_field_values.update_custom_field_values(
            request=[models.CustomFieldValueUpdate(field_id=field_id, otype="table", oid=7, value="<p>x</p>")]
        )
        done = handle.wait()
    assert isinstance(done, models.JobDetailsCustomFieldValue)
    [legacy] = handle.followups
    assert legacy.id is not None and legacy.id != handle.id and legacy.parent is handle
    assert legacy.details is not None and legacy.details.status == "successful"
    assert legacy.details.result is not None
    assert any("Updated objects: 0, created objects: 1" in line for line in legacy.details.result)
    assert sim.state.custom_field_values[("table", "7", field_id)] == "<p>x</p>"


def test_short_lived_access_tokens_are_renewed_ahead_during_a_long_wait() -> None:
    sim = Simulator(token=None, job_duration=0.6, access_token_lifetime=0.2)
    with sim.serve() as url:
        auth = RefreshTokenAuth(sim.issue_refresh_token(user_id=3), user_id=3)
        with Workflows(server_url=url, token=auth, poll_config=QUICK) as wf:
            done = wf.documents.create_documents(request=docs(1)).wait()
    assert done.result.created_term_count == 1
    assert auth.renewals >= 3  # a token lives 0.2 s; the wait took 0.6 s


def test_batches_split_the_list_inside_an_object_body(wf: Workflows, alation_server: ServedSimulator) -> None:
    # Data quality takes {"fields": [...]}: batching splits the list and wraps each part again.
    fields = [{"field_key": f"dq.k{i}", "name": f"K {i}", "type": "NUMERIC"} for i in range(2300)]
    outcomes = submit_batches(wf.data_quality.post_data_quality_fields, fields, concurrency=2)
    assert [(o.start, o.stop) for o in outcomes] == [(0, 1000), (1000, 2000), (2000, 2300)]
    assert [o.unwrap().result.fields.created.count for o in outcomes] == [1000, 1000, 300]  # type: ignore[union-attr]
    bodies = [json.loads(r.body) for r in alation_server.sim.requests if r.method == "POST"]
    assert [len(b["fields"]) for b in bodies] == [1000, 1000, 300]
