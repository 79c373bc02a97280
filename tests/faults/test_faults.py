"""Fault injection over real loopback HTTP: every fault ends in recovery or a typed error.

Typed errors must carry the raw response (when there was one) and, for jobs, the handle; a
submission is never sent twice and no job the client was told about is lost.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from alation_workflows import Workflows, models
from alation_workflows.errors import (
    APIError,
    JobError,
    JobFailedError,
    JobTimeoutError,
    NetworkError,
    ProblemDetailsError,
    ResponseValidationError,
    SubmitUncertainError,
    WorkflowsError,
)
from alation_workflows.testing import Simulator
from alation_workflows.utils import BackoffStrategy, PollConfig, RetryConfig

from .conftest import Tally

JOB = "/api/v1/bulk_metadata/job/"
DOCS = "/integration/v2/document/"
RETRY = RetryConfig(backoff=BackoffStrategy(initial_interval=10, max_interval=50), max_attempts=4)
POLL = PollConfig(initial_interval=0.02, multiplier=1.5, max_interval=0.1, timeout=5)
TIMEOUT_MS = 250  # the "delay" faults below sleep 0.6 s: beyond it


class Served:
    def __init__(self, sim: Simulator, url: str) -> None:
        self.sim, self.url = sim, url

    def client(self, token: Any = None) -> Workflows:
        return Workflows(
            server_url=self.url, token=token or self.sim.token, timeout_ms=TIMEOUT_MS, retry_config=RETRY
        )


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    sim = Simulator(token="fault-token")
    with sim.serve() as url:
        yield Served(sim, url)


@pytest.fixture
def server(served: Served) -> Iterator[Served]:
    served.sim.faults.clear()
    served.sim.set_job_duration(0.0)
    yield served
    served.sim.faults.clear()


def _date(seconds: float) -> str:
    return email.utils.formatdate(time.time() + seconds, usegmt=True)


def _check_typed(err: BaseException) -> str:
    """A typed SDK error with what the caller needs to act on it; returns its class name."""
    assert isinstance(err, WorkflowsError), f"untyped error {err!r}"
    if isinstance(err, APIError):
        assert err.raw_response is not None and err.attempts >= 1
        assert err.body == err.raw_response.text  # the raw body, as sent
    elif isinstance(err, NetworkError):
        assert err.attempts >= 1 and err.cause is not None  # there was no response to carry
    elif isinstance(err, JobError):
        assert err.handle is not None
    return type(err).__name__


def _tally(tally: Tally, err: BaseException | None) -> None:
    tally.tried += 1
    if err is None:
        tally.recovered += 1
    else:
        tally.typed_errors += 1
        tally.errors[_check_typed(err)] += 1


# -- faults on a plain idempotent GET ------------------------------------------------------------

GET_FAULTS: list[tuple[str, dict[str, Any], int | None, bool]] = [
    # (kind, params, times, recovers)
    ("status", {"status": 503}, 2, True),
    ("status", {"status": 500}, 3, True),
    ("status", {"status": 502}, 1, True),
    ("status", {"status": 504}, 1, True),
    ("status", {"status": 408}, 1, True),
    ("status", {"status": 429, "retry_after": "0.2"}, 1, True),
    ("status", {"status": 503, "retry_after": "http-date"}, 1, True),
    ("status", {"status": 503}, None, False),  # a burst longer than the attempt cap
    ("status", {"status": 429, "retry_after": "3600"}, 1, False),  # asks for more than the cap
    ("drop", {}, 2, True),
    ("drop", {}, None, False),
    ("delay", {"seconds": 0.6}, 1, True),
    ("truncated", {}, 1, True),
    ("malformed_json", {}, 1, False),
    ("wrong_content_type", {}, 1, False),
    ("wrong_content_type", {"content_type": "text/plain", "body": '{"status": "running"}'}, 1, True),
]


@pytest.mark.parametrize(("kind", "params", "times", "recovers"), GET_FAULTS)
def test_get_fault(
    server: Served, fault_tally: Tally, kind: str, params: dict[str, Any], times: int | None, recovers: bool
) -> None:
    sim = server.sim
    with server.client() as wf:
        job = wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
        if params.get("retry_after") == "http-date":
            params = {**params, "retry_after": _date(1)}
        sim.faults.inject(kind, path=JOB, times=times, **params)
        before = len(sim.requests)
        err: BaseException | None = None
        t0 = time.monotonic()
        try:
            details = wf.job_status.get_job_status(id=job.id)
            assert details.status in ("successful", "running")
        except Exception as exc:
            err = exc
        elapsed = time.monotonic() - t0
    sent = len(sim.requests) - before
    _tally(fault_tally, err)
    assert (err is None) == recovers, f"{kind} {params}: {err!r}"
    assert sent <= RETRY.max_attempts
    assert elapsed < 5
    if err is not None and isinstance(err, (APIError, NetworkError)):
        assert err.attempts == sent  # the error says how many attempts were made
        assert f"after {sent} attempt" in str(err)
    if isinstance(err, APIError) and kind != "status":
        assert err.body and err.body in str(err) or len(err.body) > 500


async def test_get_faults_async(server: Served, fault_tally: Tally) -> None:
    sim = server.sim
    wf = server.client()
    job = await wf.documents.create_documents_async(
        request=[models.DocumentIn(title="KPI", document_hub_id=1)]
    )
    cases: list[tuple[str, dict[str, Any], int]] = [
        ("status", {"status": 503}, 2),
        ("drop", {}, 1),
        ("delay", {"seconds": 0.6}, 1),
    ]
    for kind, params, times in cases:
        sim.faults.inject(kind, path=JOB, times=times, **params)
        details = await wf.job_status.get_job_status_async(id=job.id)
        assert details.status == "successful"
        _tally(fault_tally, None)
    await wf.aclose()


# -- faults on a job-submitting POST -------------------------------------------------------------

SUBMIT_FAULTS: list[tuple[str, dict[str, Any], int | None, bool]] = [
    ("status", {"status": 429}, 2, True),  # throttled: provably not processed, retried
    ("status", {"status": 429, "retry_after": "0.2"}, 1, True),
    ("status", {"status": 429, "retry_after": "http-date"}, 1, True),
    ("status", {"status": 503}, 1, False),  # may come after processing: never retried
    ("status", {"status": 503, "after": True}, 1, False),  # the job was created, then 503
    ("status", {"status": 503, "retry_after": "0.1", "after": True}, 1, False),
    ("status", {"status": 500}, 1, False),  # may follow processing: never retried
    ("status", {"status": 500, "after": True}, 1, False),  # the job was created, then 500
    ("status", {"status": 502}, 1, False),
    ("status", {"status": 504, "after": True}, 1, False),
    ("status", {"status": 503}, None, False),
    ("drop", {}, 1, False),
    ("drop", {"after": True}, 1, False),
    ("delay", {"seconds": 0.6}, 1, False),  # read timeout after the body was sent
    ("truncated", {}, 1, False),
    ("malformed_json", {}, 1, False),
    ("malformed_json", {"after": False}, 1, False),
    ("wrong_content_type", {}, 1, False),
]


def _flagged(err: BaseException | None) -> bool:
    """The error tells the caller the request may have been carried out."""
    if isinstance(err, SubmitUncertainError):
        return "may have accepted" in str(err)
    if isinstance(err, NetworkError):
        return err.maybe_processed and "may have accepted" in str(err)
    if isinstance(err, ResponseValidationError):
        return 200 <= err.status_code < 300 and "job may be running" in str(err)
    return isinstance(err, APIError) and err.status_code >= 500


@pytest.mark.parametrize(("kind", "params", "times", "recovers"), SUBMIT_FAULTS)
def test_submit_fault(
    server: Served, fault_tally: Tally, kind: str, params: dict[str, Any], times: int | None, recovers: bool
) -> None:
    sim = server.sim
    if params.get("retry_after") == "http-date":
        params = {**params, "retry_after": _date(1)}
    sim.faults.inject(kind, path=DOCS, method="POST", times=times, **params)
    jobs_before, submitted_before = set(sim.jobs.by_id), sim.submissions["createDocuments"]
    handle = None
    err: BaseException | None = None
    wf = server.client()
    try:
        handle = wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
    except Exception as exc:
        err = exc
    created = set(sim.jobs.by_id) - jobs_before
    submitted = sim.submissions["createDocuments"] - submitted_before
    _tally(fault_tally, err)
    fault_tally.duplicate_submissions += max(0, submitted - 1)
    assert (err is None) == recovers, f"{kind} {params}: {err!r}"
    assert submitted <= 1 and len(created) <= 1, "a submission was carried out twice"
    if handle is not None:
        assert created == {handle.id}
        assert handle.wait(timeout=5, poll=POLL).status == "successful"
    elif created:
        # The job exists but the fault destroyed the answer naming it: the error must say so.
        (job_id,) = created
        named = isinstance(err, APIError) and _job_id_in(err.body) == job_id
        if named:
            fault_tally.lost_handles += 1  # the SDK had the id and dropped it
        elif _flagged(err):
            fault_tally.ambiguous += 1
        else:
            fault_tally.lost_handles += 1
            pytest.fail(
                f"job {job_id} was created but {err!r} does not say the request may have been processed"
            )
    wf.close()
    if isinstance(err, (APIError, NetworkError)):
        assert err.attempts == 1 or not created
    if err is not None:
        # Every failure a submit can end in here may have been carried out: typed as uncertain.
        assert isinstance(err, SubmitUncertainError) and err.operation == "createDocuments", repr(err)


def _job_id_in(body: str) -> int | None:
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value.get("job_id") if isinstance(value, dict) else None


async def test_submit_read_timeout_async_is_not_retried(server: Served, fault_tally: Tally) -> None:
    sim = server.sim
    sim.faults.inject("delay", path=DOCS, method="POST", times=1, seconds=0.6)
    before = sim.submissions["createDocuments"]
    wf = server.client()
    with pytest.raises(NetworkError) as info:
        await wf.documents.create_documents_async(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
    await wf.aclose()
    submitted = sim.submissions["createDocuments"] - before
    _tally(fault_tally, info.value)
    fault_tally.duplicate_submissions += max(0, submitted - 1)
    fault_tally.ambiguous += 1
    assert info.value.attempts == 1 and info.value.maybe_processed
    assert submitted == 1


# -- faults while waiting for a job --------------------------------------------------------------

WAIT_FAULTS: list[tuple[str, dict[str, Any], int | None, bool]] = [
    ("status", {"status": 503}, 3, True),
    ("status", {"status": 429, "retry_after": "0.1"}, 2, True),
    ("drop", {}, 2, True),
    ("delay", {"seconds": 0.6}, 1, True),
    ("truncated", {}, 1, True),
    ("malformed_json", {}, 1, False),
    ("wrong_content_type", {}, 1, False),
    ("status", {"status": 503}, None, False),
]


@pytest.mark.parametrize(("kind", "params", "times", "recovers"), WAIT_FAULTS)
def test_fault_while_waiting(
    server: Served, fault_tally: Tally, kind: str, params: dict[str, Any], times: int | None, recovers: bool
) -> None:
    sim = server.sim
    sim.set_job_duration(0.15)
    with server.client() as wf:
        handle = wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
        sim.faults.inject(kind, path=JOB, times=times, **params)
        err: BaseException | None = None
        try:
            assert handle.wait(timeout=5, poll=POLL).status == "successful"
        except Exception as exc:
            err = exc
        _tally(fault_tally, err)
        assert (err is None) == recovers, f"{kind} {params}: {err!r}"
        if err is not None:
            # The handle survives the error: once the fault is gone, the same wait picks the job up again.
            kept = getattr(err, "handle", handle)
            assert kept is handle and handle.id in sim.jobs.by_id
            sim.faults.clear()
            assert handle.wait(timeout=5, poll=POLL).status == "successful"


def test_job_that_never_finishes(server: Served, fault_tally: Tally) -> None:
    sim = server.sim
    sim.faults.inject("never_finish", path=DOCS, times=1)
    with server.client() as wf:
        handle = wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
        t0 = time.monotonic()
        with pytest.raises(JobTimeoutError) as info:
            handle.wait(timeout=0.4, poll=POLL)
        assert time.monotonic() - t0 < 2
        assert info.value.handle is handle and info.value.handle.id == handle.id
        assert str(handle.id) in str(info.value)
        assert handle.status().status == "running"  # still reachable through the handle
    _tally(fault_tally, info.value)


def test_job_that_fails(server: Served, fault_tally: Tally) -> None:
    server.sim.faults.inject("fail_job", path=DOCS, times=1)
    with server.client() as wf:
        handle = wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
        with pytest.raises(JobFailedError) as info:
            handle.wait(timeout=5, poll=POLL)
    assert info.value.handle is handle and info.value.details.status == "failed"
    _tally(fault_tally, info.value)


# -- the token expires while a job is being waited for -------------------------------------------


@pytest.fixture
def fresh() -> Iterator[Served]:
    """A server of its own: expiring tokens must not break the other scenarios."""
    sim = Simulator(token="fixed-token", job_duration=0.15)
    with sim.serve() as url:
        yield Served(sim, url)


def test_token_expiring_mid_wait_is_renewed(fresh: Served, fault_tally: Tally) -> None:
    sim = fresh.sim
    issued: list[str] = []

    def token() -> str:
        # A token source (a vault, a refresh flow) that hands out a new token once the old one is dead.
        if not issued or not sim.tokens.valid(issued[-1]):
            issued.append(sim.issue_access_token())
        return issued[-1]

    with fresh.client(token) as wf:
        handle = wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
        sim.faults.inject("expire_tokens", path=JOB, times=1)
        assert handle.wait(timeout=5, poll=POLL).status == "successful"
    assert len(issued) == 2
    assert [r.status for r in sim.requests].count(401) == 1
    _tally(fault_tally, None)


def test_static_token_expiring_mid_wait_is_a_typed_error(fresh: Served, fault_tally: Tally) -> None:
    sim = fresh.sim
    with fresh.client() as wf:
        handle = wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
        sim.faults.inject("expire_tokens", path=JOB, times=1)
        with pytest.raises(ProblemDetailsError) as info:
            handle.wait(timeout=5, poll=POLL)
    assert info.value.status_code == 401 and info.value.attempts == 1
    assert "fixed-token" not in str(info.value)
    # The handle still names the job: a client with a new token can pick it up.
    with fresh.client(sim.issue_access_token()) as wf2:
        details = wf2.job_status.get_job_status(id=handle.id)
    assert details.status in ("running", "successful")
    _tally(fault_tally, info.value)


def test_token_expiring_mid_wait_with_refresh_token_auth(fresh: Served, fault_tally: Tally) -> None:
    from alation_workflows.auth import RefreshTokenAuth

    sim = fresh.sim
    auth = RefreshTokenAuth(sim.issue_refresh_token(user_id=1), 1)
    with fresh.client(auth) as wf:
        handle = wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
        renewals = auth.renewals
        sim.faults.inject("expire_tokens", path=JOB, times=1)
        assert handle.wait(timeout=5, poll=POLL).status == "successful"
    assert auth.renewals == renewals + 1
    assert sim.submissions["createDocuments"] == 1
    _tally(fault_tally, None)
