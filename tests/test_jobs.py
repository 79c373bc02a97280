"""Jobs overlay over a scripted fake Alation (httpx.MockTransport): wait, statuses, timeouts, resume."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from alation_workflows import PollConfig, RetryConfig, models
from alation_workflows.jobs import (
    AsyncJobHandle,
    JobFailedError,
    JobHandle,
    JobRef,
    JobTimeoutError,
    UnexpectedJobStatusError,
)
from alation_workflows.jobs.waiting import Schedule
from alation_workflows.utils import BackoffStrategy
from tests.jobs_fakes import FAST, FakeAlation, created

DOCS = [
    models.DocumentIn(title="KPI", document_hub_id=1),
    models.DocumentIn(title="Churn", document_hub_id=1),
]


def details(status: str, result: Any = None, msg: str = "") -> dict[str, Any]:
    return {"status": status, "msg": msg, "result": result}


def test_wait_returns_typed_details_and_detects_a_short_job_fast() -> None:
    fake = FakeAlation(script=lambda body: (3, created(body)))
    with fake.client(poll_config=None) as wf:  # the generated defaults (openapi/gen.yaml)
        handle = wf.documents.create_documents(request=DOCS)
        t0 = time.monotonic()
        done = handle.wait()
        elapsed = time.monotonic() - t0
    assert isinstance(done, models.JobDetailsDocumentPost)
    assert isinstance(done.result, models.DocumentPostResult)
    assert [t.title for t in done.result.created_terms] == ["KPI", "Churn"]
    assert handle.polls == 4 and handle.done and handle.details is done
    assert elapsed < 1.0, f"a job done after 3 polls took {elapsed:.2f}s to detect"


def test_schedule_starts_fast_and_backs_off_to_the_cap() -> None:
    fake = FakeAlation()
    with fake.client() as wf:
        handle = JobHandle.resume(wf, 1, operation="createDocuments")
    cfg = PollConfig(
        initial_interval=0.1, multiplier=2.0, max_interval=1.0, timeout=60, jitter=0.0, lag_ratio=0
    )
    schedule = Schedule(cfg, handle)
    now = time.monotonic()
    assert [round(schedule.next_delay(now), 6) for _ in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    jittery = Schedule(
        PollConfig(initial_interval=1.0, multiplier=1.0, max_interval=1.0, jitter=0.2, lag_ratio=0), handle
    )
    delays = [jittery.next_delay(now) for _ in range(200)]
    assert all(0.8 <= d <= 1.0 for d in delays) and len(set(delays)) > 1


def test_waits_are_capped_by_a_tenth_of_the_job_age() -> None:
    fake = FakeAlation()
    with fake.client() as wf:
        handle = JobHandle.resume(wf, 1, operation="createDocuments")
    cfg = PollConfig(initial_interval=0.1, multiplier=100.0, max_interval=4.0, jitter=0.0, lag_ratio=0.1)
    schedule = Schedule(cfg, handle)
    # Young job: the initial_interval floor; 20 s old: 10 % = 2 s; 100 s old: the 4 s max_interval.
    assert schedule.next_delay(handle.created) == pytest.approx(0.1)
    assert schedule.next_delay(handle.created + 20) == pytest.approx(2.0)
    assert schedule.next_delay(handle.created + 100) == pytest.approx(4.0)


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), -1.0])
def test_wait_rejects_timeouts_that_could_never_fire(timeout: float) -> None:
    fake = FakeAlation()
    with fake.client() as wf:
        handle = JobHandle.resume(wf, fake.add_job(1, details("successful")))
        with pytest.raises(ValueError, match="timeout"):
            handle.wait(timeout=timeout)
    with pytest.raises(ValueError, match="finite"):
        PollConfig(timeout=float("inf"))


def test_long_job_is_polled_with_backoff_not_hammered() -> None:
    fake = FakeAlation()
    job = fake.add_job(10_000, details("successful"))
    cfg = PollConfig(initial_interval=0.01, multiplier=2.0, max_interval=0.08, timeout=0.5, jitter=0.0)
    with fake.client(poll_config=cfg) as wf:
        handle = JobHandle.resume(wf, job)
        with pytest.raises(JobTimeoutError):
            handle.wait()
    # 0.01+0.02+0.04+0.08*k ≈ 0.5 s  =>  about 10 polls; a fixed 10 ms interval would make ~50.
    assert 3 <= handle.polls <= 12, handle.polls


def test_failed_job_raises_with_typed_details_or_returns_them() -> None:
    fake = FakeAlation(script=lambda body: (1, details("failed", {"error": "boom"}, "Job failed")))
    with fake.client() as wf:
        handle = wf.documents.create_documents(request=DOCS)
        with pytest.raises(JobFailedError) as caught:
            handle.wait()
        assert caught.value.handle is handle
        assert isinstance(caught.value.details, models.JobDetailsDocumentPost)
        assert caught.value.details.result == {"error": "boom"}  # kept, not dropped
        assert "Job failed" in str(caught.value)
        again = wf.documents.create_documents(request=DOCS).wait(raise_on_failure=False)
        assert again.status == models.JobState.FAILED


@pytest.mark.parametrize("status", ["partially_successful", "", "CANCELLED"])
def test_unknown_status_ends_the_wait_with_a_typed_error(status: str) -> None:
    fake = FakeAlation(script=lambda body: (1, details(status, ["something"])))
    with fake.client() as wf:
        handle = wf.documents.create_documents(request=DOCS)
        t0 = time.monotonic()
        with pytest.raises(UnexpectedJobStatusError) as caught:
            handle.wait(timeout=30)
        assert time.monotonic() - t0 < 1  # not a hang until the timeout
        assert caught.value.handle is handle
        assert caught.value.details.status == status  # the value as sent
        returned = wf.documents.create_documents(request=DOCS).wait(raise_on_failure=False)
        assert returned.status == status and returned.result == ["something"]


def test_queue_like_statuses_keep_polling() -> None:
    fake = FakeAlation()
    job = fake.add_job(0, details("successful"))
    answers = iter(["queued", "NA", "in_progress"])
    real = fake.handler

    def handler(request: Any) -> Any:
        status = next(answers, None)
        if status is not None and request.url.path.endswith("/job/"):
            import httpx

            return httpx.Response(200, json=details(status))
        return real(request)

    fake.handler = handler  # type: ignore[method-assign]
    with fake.client() as wf:
        handle = JobHandle.resume(wf, job)
        assert handle.wait().status == "successful"
        assert handle.polls == 4


def test_timeout_carries_the_handle_and_wait_resumes() -> None:
    fake = FakeAlation()
    job = fake.add_job(12, details("successful", {"created_term_count": 0, "created_terms": []}))
    cfg = PollConfig(initial_interval=0.005, multiplier=2.0, max_interval=0.01, timeout=10, jitter=0.0)
    with fake.client(poll_config=cfg) as wf:
        handle = JobHandle.resume(wf, job, operation="createDocuments")
        with pytest.raises(JobTimeoutError) as caught:
            handle.wait(timeout=0.02)
        assert caught.value.handle is handle
        assert caught.value.details.status == "running"
        assert "wait() again" in str(caught.value)
        polls = handle.polls
        assert handle.interval == 0.01  # resumed waits continue at the backed-off interval
        done = caught.value.handle.wait()
        assert isinstance(done, models.JobDetailsDocumentPost)
        assert handle.polls > polls


def test_timeout_zero_checks_once() -> None:
    fake = FakeAlation()
    job = fake.add_job(5, details("successful"))
    with fake.client() as wf:
        handle = JobHandle.resume(wf, job)
        with pytest.raises(JobTimeoutError):
            handle.wait(timeout=0)
        assert handle.polls == 1
        with pytest.raises(ValueError, match="timeout"):
            handle.wait(timeout=-1)


def test_client_poll_config_and_per_call_poll_override() -> None:
    fake = FakeAlation()
    job = fake.add_job(10_000, details("successful"))
    slow = PollConfig(
        initial_interval=0.2,
        multiplier=1.0,
        max_interval=0.2,
        timeout=0.05,
        jitter=0.0,
        requests_per_second=0,
    )
    with fake.client(poll_config=slow) as wf:
        t0 = time.monotonic()
        with pytest.raises(JobTimeoutError):
            JobHandle.resume(wf, job).wait()  # client's timeout 0.05 s applies
        assert time.monotonic() - t0 < 0.5
        quick = PollConfig(
            initial_interval=0.001, multiplier=1.0, max_interval=0.001, timeout=0.05, jitter=0.0
        )
        handle = JobHandle.resume(wf, job)
        with pytest.raises(JobTimeoutError):
            handle.wait(poll=quick)
        assert handle.polls > 3  # the per-call schedule was used: the client's 0.2 s allows 1


def test_status_errors_are_retried_by_the_runtime() -> None:
    fake = FakeAlation(status_faults=[503, 502])
    job = fake.add_job(0, details("successful"))
    retry = RetryConfig(backoff=BackoffStrategy(initial_interval=1, max_interval=2, max_elapsed_time=2000))
    with fake.client(retry_config=retry) as wf:
        assert JobHandle.resume(wf, job).wait().status == "successful"
    assert len(fake.requests) == 3


def test_status_http_error_propagates_from_a_single_wait() -> None:
    from alation_workflows.errors import ProblemDetailsError

    fake = FakeAlation()
    with fake.client() as wf:
        handle = JobHandle.resume(wf, 424242)
        with pytest.raises(ProblemDetailsError) as caught:
            handle.wait()
    assert caught.value.status_code == 404


# -- follow-up (legacy) jobs of custom field values --------------------------------------------

LEGACY = "Legacy(Rosemeta) write job_id (can be tracked using jobs API): {}"


def cfv_result(legacy_id: int) -> list[str]:
    return [
        "Start bulk upsert public annotation field values... " + LEGACY.format(legacy_id),
        "Error count: 0. Errors: [] " + LEGACY.format(legacy_id),
        "Finished bulk upsert. Updated objects: 2, created objects: 0 " + LEGACY.format(legacy_id),
    ]


def test_followup_job_named_in_the_result_is_awaited_too() -> None:
    fake = FakeAlation()
    legacy = fake.add_job(3, details("successful", ["Finished legacy write"]), job_id=7637)
    first = fake.add_job(1, details("successful", cfv_result(legacy)))
    with fake.client() as wf:
        handle = JobHandle.resume(wf, first)
        done = handle.wait()
        assert done.result == cfv_result(legacy)
        [follow] = handle.followups
        assert follow.id == 7637 and follow.parent is handle
        assert isinstance(follow.details, models.JobDetails)
        assert follow.details.result == ["Finished legacy write"]
        assert fake.jobs[legacy].polls == 4  # polled to the end, not just once
        # follow=False leaves the second job alone
        other = JobHandle.resume(wf, fake.add_job(0, details("successful", cfv_result(9999))))
        assert other.wait(follow=False).status == "successful"
        assert 9999 not in fake.jobs


def test_failed_followup_raises_with_its_own_handle() -> None:
    fake = FakeAlation()
    legacy = fake.add_job(0, details("failed", None, "legacy write failed"), job_id=55)
    first = fake.add_job(0, details("successful", cfv_result(legacy)))
    with fake.client() as wf:
        handle = JobHandle.resume(wf, first)
        with pytest.raises(JobFailedError) as caught:
            handle.wait()
        assert caught.value.handle.id == 55 and caught.value.handle.parent is handle
        assert handle.details is not None and handle.details.status == "successful"


def test_followup_timeout_carries_the_first_handle_and_resume_skips_the_finished_job() -> None:
    fake = FakeAlation()
    legacy = fake.add_job(8, details("successful", ["ok"]), job_id=77)
    first = fake.add_job(0, details("successful", cfv_result(legacy)))
    with fake.client() as wf:
        handle = JobHandle.resume(wf, first)
        with pytest.raises(JobTimeoutError) as caught:
            handle.wait(timeout=0.01)
        assert caught.value.handle is handle
        assert "follow-up job id=77" in str(caught.value)
        assert handle.polls == 1
        state = json.loads(json.dumps(handle.to_dict()))
        assert state["followups"] == [77]
        # a new process: rebuild from the persisted state and finish the wait
        again = JobHandle.resume(wf, state)
        assert again.wait().result == cfv_result(legacy)
        assert again.followups[0].details is not None and again.followups[0].details.result == ["ok"]


# -- persistence ---------------------------------------------------------------------------------


def test_to_dict_resume_round_trip_keeps_the_details_type() -> None:
    fake = FakeAlation(script=lambda body: (2, created(body)))
    with fake.client() as wf:
        handle = wf.documents.create_documents(request=DOCS)
        state = json.loads(json.dumps(handle.to_dict()))
        assert state["operation"] == "createDocuments" and state["job"] == {"id": handle.id}
        resumed = JobHandle.resume(wf, state)
        assert isinstance(resumed.wait(), models.JobDetailsDocumentPost)
        by_type = JobHandle.resume(wf, handle.id, details_type=models.JobDetailsDocumentPost)
        assert isinstance(by_type.wait(), models.JobDetailsDocumentPost)
        generic = JobHandle.resume(wf, JobRef(id=handle.id))
        assert type(generic.wait()) is models.JobDetails


def test_resume_with_the_succeeded_type_polls_a_running_job_and_narrows_at_the_end() -> None:
    # `details_type` is what wait() returns; running answers (result null) still parse.
    fake = FakeAlation(script=lambda body: (3, created(body)))
    with fake.client() as wf:
        handle = wf.documents.create_documents(request=DOCS)
        for state in (handle.to_dict(), handle.id):
            resumed = JobHandle.resume(wf, state, details_type=models.JobDetailsDocumentPostSucceeded)
            done = resumed.wait()
            assert type(done) is models.JobDetailsDocumentPostSucceeded
            assert done.result.created_term_count == len(DOCS)


def test_resume_rejects_bad_state() -> None:
    with FakeAlation().client() as wf:
        with pytest.raises(ValueError, match="not a job operation"):
            JobHandle.resume(wf, 1, operation="getJobStatus")
        with pytest.raises(ValueError, match="format"):
            JobHandle.resume(wf, {"format": "other", "job": {"id": 1}})
        with pytest.raises(ValueError, match="no 'job'"):
            JobHandle.resume(wf, {"operation": "createDocuments"})
        with pytest.raises(TypeError):
            JobHandle.resume(wf, 1.5)  # type: ignore[call-overload]  # a float id is refused
        with pytest.raises(ValueError, match="exactly one"):
            JobRef()


def test_handle_by_name_polls_by_name() -> None:
    fake = FakeAlation()
    with fake.client() as wf:
        handle = JobHandle.resume(wf, "MetadataExtraction#1_2017")
        assert handle.name == "MetadataExtraction#1_2017" and handle.id is None
        assert handle.to_dict()["job"] == {"name": "MetadataExtraction#1_2017"}


# -- async twin ----------------------------------------------------------------------------------


async def test_async_wait_timeout_resume_and_followups() -> None:
    fake = FakeAlation(script=lambda body: (2, created(body)))
    async with fake.client() as wf:
        handle = await wf.documents.create_documents_async(request=DOCS)
        assert isinstance(handle, AsyncJobHandle)
        done = await handle.wait()
        assert isinstance(done, models.JobDetailsDocumentPost) and handle.polls == 3

        slow = AsyncJobHandle.resume(wf, fake.add_job(6, details("successful")))
        with pytest.raises(JobTimeoutError) as caught:
            await slow.wait(timeout=0.005)
        assert caught.value.handle is slow
        assert (await slow.wait()).status == "successful"

        legacy = fake.add_job(2, details("successful", ["legacy ok"]), job_id=4321)
        first = AsyncJobHandle.resume(wf, fake.add_job(0, details("successful", cfv_result(legacy))))
        await first.wait()
        assert first.followups[0].details is not None
        assert first.followups[0].details.result == ["legacy ok"]

        failing = AsyncJobHandle.resume(wf, fake.add_job(0, details("weird")))
        with pytest.raises(UnexpectedJobStatusError):
            await failing.wait()


def test_poll_config_validates() -> None:
    with pytest.raises(ValueError):
        PollConfig(initial_interval=0)
    with pytest.raises(ValueError):
        PollConfig(jitter=1.0)
    assert FAST.jitter == 0.0
