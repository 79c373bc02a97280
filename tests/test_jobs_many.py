"""Many jobs: wait_all (sync round-robin, async tasks), submit_batches, progress reporting."""

from __future__ import annotations

import time
from typing import Any

import pytest

from alation_workflows import models
from alation_workflows._runtime.operation import operation_of
from alation_workflows.errors import NoDetailsError, ProblemDetailsError
from alation_workflows.jobs import (
    AsyncJobHandle,
    JobFailedError,
    JobHandle,
    JobTimeoutError,
    ProgressEvent,
    UnexpectedJobStatusError,
    submit_batches,
    submit_batches_async,
    wait_all,
    wait_all_async,
)
from alation_workflows.jobs import progress as progress_mod
from tests.jobs_fakes import FakeAlation, created


def details(status: str, result: Any = None) -> dict[str, Any]:
    return {"status": status, "msg": "", "result": result}


def mixed_jobs(fake: FakeAlation) -> list[int]:
    return [
        fake.add_job(2, details("successful", {"created_term_count": 0, "created_terms": []})),
        fake.add_job(1, details("failed", {"error": "x"})),
        fake.add_job(0, details("mystery")),
        424242,  # unknown to the server: 404 on the status request
        fake.add_job(10_000, details("successful")),  # never finishes within the timeout
        fake.add_job(
            5, details("successful", {"created_term_count": 1, "created_terms": [{"id": 1, "title": "t"}]})
        ),
    ]


def check_mixed(outcomes: list[Any], handles: list[Any]) -> None:
    assert [o.handle for o in outcomes] == handles  # order kept, nothing lost
    ok, failed, unknown, missing, slow, ok2 = outcomes
    assert ok.ok and isinstance(ok.details, models.JobDetailsDocumentPost)
    assert isinstance(failed.error, JobFailedError) and failed.error.handle is handles[1]
    assert isinstance(unknown.error, UnexpectedJobStatusError)
    assert isinstance(missing.error, ProblemDetailsError) and missing.error.status_code == 404
    assert isinstance(slow.error, JobTimeoutError) and slow.error.handle is handles[4]
    assert ok2.unwrap().result.created_terms[0].id == 1
    with pytest.raises(JobFailedError):
        failed.unwrap()


@pytest.mark.parametrize("concurrency", [1, 4])
def test_wait_all_keeps_every_outcome(concurrency: int) -> None:
    fake = FakeAlation()
    ids = mixed_jobs(fake)
    events: list[ProgressEvent] = []
    with fake.client() as wf:
        handles = [JobHandle.resume(wf, i, operation="createDocuments") for i in ids]
        t0 = time.monotonic()
        outcomes = wait_all(handles, concurrency=concurrency, timeout=0.8, progress=events.append)
        elapsed = time.monotonic() - t0
    check_mixed(outcomes, handles)
    assert 0.8 <= elapsed < 2.0
    final = [e for e in events if e.kind in ("finished", "failed")]
    assert len(final) == 6 and final[-1].done == 6 and all(e.total == 6 for e in events)
    assert sum(e.kind == "failed" for e in final) == 4


def test_wait_all_polls_round_robin_on_each_schedule() -> None:
    fake = FakeAlation()
    quick = [fake.add_job(1, details("successful")) for _ in range(20)]
    slow = fake.add_job(30, details("successful"))
    with fake.client() as wf:
        handles = [JobHandle.resume(wf, i) for i in [*quick, slow]]
        outcomes = wait_all(handles)
    assert all(o.ok for o in outcomes)
    # each quick job: 1 running answer + the final one; the slow one on its own backoff schedule
    assert [h.polls for h in handles[:-1]] == [2] * 20
    assert handles[-1].polls == 31
    assert wait_all([]) == []


def test_wait_all_follows_followups() -> None:
    fake = FakeAlation()
    legacy = fake.add_job(2, details("successful", ["legacy"]), job_id=900)
    first = fake.add_job(0, details("successful", [f"x (can be tracked using jobs API): {legacy}"]))
    with fake.client() as wf:
        [outcome] = wait_all([JobHandle.resume(wf, first)])
    assert outcome.ok
    followup = outcome.handle.followups[0]
    assert followup.details is not None and followup.details.result == ["legacy"]


async def test_wait_all_async_keeps_every_outcome() -> None:
    fake = FakeAlation()
    ids = mixed_jobs(fake)
    async with fake.client() as wf:
        handles = [AsyncJobHandle.resume(wf, i, operation="createDocuments") for i in ids]
        outcomes = await wait_all_async(handles, concurrency=2, timeout=0.8)
    check_mixed(outcomes, handles)
    with pytest.raises(ValueError):
        await wait_all_async(handles, concurrency=0)


# -- batches ---------------------------------------------------------------------------------


def docs(n: int) -> list[models.DocumentIn]:
    return [models.DocumentIn(title=f"doc {i}", document_hub_id=1) for i in range(n)]


def test_batches_use_the_spec_limit_and_keep_every_result() -> None:
    fake = FakeAlation(script=lambda body: (1, created(body)))
    events: list[ProgressEvent] = []
    with fake.client() as wf:
        op = operation_of(wf.documents.create_documents)
        assert op is not None and op.id == "createDocuments"
        outcomes = submit_batches(wf.documents.create_documents, docs(2500), progress=events.append)
    assert [(o.index, o.start, o.stop) for o in outcomes] == [(0, 0, 1000), (1, 1000, 2000), (2, 2000, 2500)]
    assert all(o.ok and o.handle is not None for o in outcomes)
    titles = [t.title for o in outcomes for t in o.unwrap().result.created_terms]
    assert titles == [f"doc {i}" for i in range(2500)]
    assert [e.batch for e in events if e.kind == "submitted"] == [0, 1, 2]
    assert sorted(e.batch for e in events if e.kind == "finished") == [0, 1, 2]  # type: ignore[type-var]


def test_a_failing_batch_does_not_lose_the_others() -> None:
    def script(body: list[Any]) -> tuple[int, dict[str, Any]]:
        return (
            (1, details("failed", {"error": "bad"})) if body[0]["title"] == "doc 20" else (1, created(body))
        )

    fake = FakeAlation(script=script, submit_errors={2: 400})
    with fake.client() as wf:
        outcomes = submit_batches(wf.documents.create_documents, docs(35), batch_size=10, concurrency=2)
    assert [o.ok for o in outcomes] == [True, False, False, True]
    assert isinstance(outcomes[1].error, ProblemDetailsError) and outcomes[1].handle is None
    assert (outcomes[1].start, outcomes[1].stop) == (10, 20)  # what to resubmit
    assert isinstance(outcomes[2].error, JobFailedError) and outcomes[2].handle is not None
    assert outcomes[3].unwrap().result.created_term_count == 5


def test_concurrency_bounds_the_jobs_in_flight() -> None:
    fake = FakeAlation(script=lambda body: (3, created(body)))
    in_flight: list[int] = []
    with fake.client() as wf:

        def counting(**kwargs: Any) -> Any:
            in_flight.append(sum(1 for j in fake.jobs.values() if j.polls <= j.running_polls))
            return wf.documents.create_documents(**kwargs)

        outcomes = submit_batches(counting, docs(10), batch_size=1, concurrency=3)
    assert all(o.ok for o in outcomes)
    assert max(in_flight) <= 2 and in_flight[:3] == [0, 1, 2]


def test_operation_of_finds_the_spec_operation_of_sync_and_async_methods() -> None:
    with FakeAlation().client() as wf:
        cfv = wf.custom_field_values
        found = [
            operation_of(m) for m in (cfv.update_custom_field_values, cfv.update_custom_field_values_async)
        ]
        assert [(op.id, op.batch_limit) for op in found if op] == [("updateCustomFieldValues", 10000)] * 2
        assert operation_of(wf.documents.create_documents_async) is operation_of(
            wf.documents.create_documents
        )
        assert operation_of(print) is None


def test_batch_arguments_are_checked() -> None:
    with FakeAlation().client() as wf:
        with pytest.raises(ValueError, match="exceeds the server limit of 1000"):
            submit_batches(wf.documents.create_documents, docs(3), batch_size=1001)
        with pytest.raises(ValueError, match="batch_size"):
            submit_batches(wf.documents.create_documents, docs(3), batch_size=0)
        with pytest.raises(ValueError, match="pass batch_size"):
            submit_batches(lambda **kw: wf.documents.create_documents(**kw), docs(3))
        with pytest.raises(ValueError, match="does not start a job"):
            submit_batches(wf.job_status.get_job_status, [1])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="sequence"):
            submit_batches(wf.documents.create_documents, "abc")
        assert submit_batches(wf.documents.create_documents, []) == []


async def test_sync_and_async_are_not_mixed() -> None:
    with FakeAlation().client() as wf:
        with pytest.raises(TypeError, match="use wait_all_async"):
            wait_all([AsyncJobHandle.resume(wf, 1)])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="use wait_all\\(\\)"):
            await wait_all_async([JobHandle.resume(wf, 1)])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="use submit_batches_async"):
            submit_batches(wf.documents.create_documents_async, docs(1))  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="use submit_batches\\(\\)"):
            await submit_batches_async(wf.documents.create_documents, docs(1))  # type: ignore[arg-type]


def test_wait_false_only_submits() -> None:
    fake = FakeAlation(script=lambda body: (5, created(body)))
    with fake.client() as wf:
        outcomes = submit_batches(wf.documents.create_documents, docs(5), batch_size=2, wait=False)
        assert all(o.handle is not None and not o.has_details for o in outcomes)
        assert all(j.polls == 0 for j in fake.jobs.values())
        with pytest.raises(NoDetailsError, match="wait=False"):
            outcomes[0].unwrap()
        later = wait_all([o.handle for o in outcomes if isinstance(o.handle, JobHandle)])
    assert [o.unwrap().result.created_term_count for o in later] == [2, 2, 1]


async def test_batches_async_with_a_failing_batch() -> None:
    fake = FakeAlation(script=lambda body: (2, created(body)), submit_errors={1: 403})
    events: list[ProgressEvent] = []
    async with fake.client() as wf:
        outcomes = await submit_batches_async(
            wf.documents.create_documents_async,
            docs(25),
            batch_size=10,
            concurrency=2,
            progress=events.append,
        )
    assert [o.ok for o in outcomes] == [False, True, True]
    assert isinstance(outcomes[0].error, ProblemDetailsError) and outcomes[0].error.status_code == 403
    assert [t.title for t in outcomes[2].unwrap().result.created_terms][-1] == "doc 24"
    assert events[-1].done == 3 and sum(e.kind == "failed" for e in events) == 1


# -- progress --------------------------------------------------------------------------------


def test_progress_bar_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    assert type(progress_mod.reporter(None)).__name__ == "_Nothing"
    assert type(progress_mod.reporter("auto")).__name__ == "_Nothing"  # stderr is not a terminal here
    monkeypatch.setattr(progress_mod, "_on_terminal", lambda: True)
    bar = progress_mod.reporter("auto")
    assert type(bar).__name__ == "_RichBar"  # rich is installed in the dev environment
    bar(progress_mod.ProgressEvent("finished", None, 1, 1, 0.1))
    bar.close()
    monkeypatch.setattr(progress_mod, "_installed", lambda name: False)
    assert type(progress_mod.reporter("auto")).__name__ == "_TextLine"  # on a terminal, without a bar library
    with pytest.raises(ImportError, match="rich"):
        progress_mod.reporter(True)
    with pytest.raises(ImportError, match="tqdm"):
        progress_mod.reporter("tqdm")
    with pytest.raises(TypeError, match="progress must be"):
        progress_mod.reporter("fancy")  # type: ignore[arg-type]


def test_wait_with_a_bar_runs() -> None:
    fake = FakeAlation(script=lambda body: (2, created(body)))
    with fake.client() as wf:
        outcomes = submit_batches(wf.documents.create_documents, docs(3), batch_size=1, progress="rich")
    assert all(o.ok for o in outcomes)
