"""Simulator fault injection, observed with raw httpx over loopback HTTP and through the in-process transport."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
import pytest

from alation_workflows.testing import Simulator

JOB = "/api/v1/bulk_metadata/job/"
DOCS = "/integration/v2/document/"
TOKEN = "test-token"
DOC = [{"title": "T", "document_hub_id": 1}]


@pytest.fixture(params=["loopback", "in-process"])
def env(
    request: pytest.FixtureRequest, alation_simulator: Simulator
) -> Iterator[tuple[httpx.Client, Simulator]]:
    sim = alation_simulator
    if request.param == "loopback":
        served = request.getfixturevalue("alation_server")
        with httpx.Client(base_url=served.url, headers={"TOKEN": TOKEN}, timeout=2) as client:
            yield client, sim
    else:
        transport = sim.transport()
        with httpx.Client(
            transport=transport, base_url="http://sim", headers={"TOKEN": TOKEN}, timeout=2
        ) as client:
            yield client, sim


def test_status_503_with_retry_after_seconds_is_not_processed(env) -> None:
    client, sim = env
    sim.faults.inject("status", path=DOCS, status=503, retry_after=2)
    r = client.post(DOCS, json=DOC)
    assert r.status_code == 503 and r.headers["retry-after"] == "2"
    assert r.json() == {"detail": "Service Unavailable"}
    assert sim.submissions[DOCS] == 0 and sim.state.documents == {}
    assert client.post(DOCS, json=DOC).status_code == 202  # times=1: the next one goes through
    assert sim.submissions["createDocuments"] == 1


def test_429_with_http_date_and_custom_body(env) -> None:
    client, sim = env
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    sim.faults.inject("status", status=429, retry_after=when, body="slow down")
    r = client.get(JOB, params={"id": 1})
    assert r.status_code == 429 and r.text == "slow down"
    assert parsedate_to_datetime(r.headers["retry-after"]) == when


def test_status_after_processing_counts_the_submission(env) -> None:
    client, sim = env
    sim.faults.inject("status", path=DOCS, status=500, after=True)
    assert client.post(DOCS, json=DOC).status_code == 500
    assert sim.submissions["POST /integration/v2/document/"] == 1
    assert len(sim.jobs.by_id) == 1  # the job exists although the client saw a 500


def test_method_and_path_matching_and_times_countdown(env) -> None:
    client, sim = env
    sim.faults.inject("status", path="/integration/", method="POST", times=2, status=502)
    assert client.get(JOB, params={"id": 1}).status_code == 404  # GET and other path untouched
    assert [client.post(DOCS, json=DOC).status_code for _ in range(3)] == [502, 502, 202]
    assert [kind for kind, _, _ in sim.faults.history] == ["status", "status"]
    sim.faults.inject("status", times=None, status=500)
    sim.faults.clear()
    assert client.post(DOCS, json=DOC).status_code == 202


def test_drop_before_processing(env) -> None:
    client, sim = env
    sim.faults.inject("drop", path=DOCS)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post(DOCS, json=DOC)
    assert sim.submissions[DOCS] == 0
    assert (
        sim.requests[-1].fault == "drop"
        and sim.requests[-1].status is None
        and not sim.requests[-1].processed
    )
    assert client.post(DOCS, json=DOC).status_code == 202


def test_drop_after_processing_leaves_a_job(env) -> None:
    client, sim = env
    sim.faults.inject("drop", path=DOCS, after=True)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post(DOCS, json=DOC)
    assert sim.submissions[DOCS] == 1 and sim.requests[-1].processed


def test_delay_within_and_beyond_the_read_timeout(env) -> None:
    client, sim = env
    sim.faults.inject("delay", path=JOB, seconds=0.15)
    started = time.monotonic()
    assert client.get(JOB, params={"id": 1}).status_code == 404
    assert time.monotonic() - started >= 0.15
    sim.faults.inject("delay", path=DOCS, seconds=1.0)
    with pytest.raises(httpx.ReadTimeout):
        client.post(DOCS, json=DOC, timeout=httpx.Timeout(2, read=0.2))
    assert sim.submissions[DOCS] == 1  # the server processed it: a retry would duplicate


def test_malformed_json(env) -> None:
    client, sim = env
    job_id = client.post(DOCS, json=DOC).json()["job_id"]
    sim.faults.inject("malformed_json", path=JOB)
    r = client.get(JOB, params={"id": job_id})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        r.json()


def test_wrong_content_type(env) -> None:
    client, sim = env
    sim.faults.inject("wrong_content_type", path=JOB)
    r = client.get(JOB, params={"id": 1})
    assert r.headers["content-type"].startswith("text/html") and r.text.startswith("<html>")


def test_truncated_body(env) -> None:
    client, sim = env
    job_id = client.post(DOCS, json=DOC).json()["job_id"]
    sim.faults.inject("truncated", path=JOB)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(JOB, params={"id": job_id})
    assert client.get(JOB, params={"id": job_id}).json()["status"] == "successful"


def test_never_finish_and_fail_job(env) -> None:
    client, sim = env
    sim.faults.inject("never_finish", path=DOCS)
    stuck = client.post(DOCS, json=DOC).json()["job_id"]
    normal = client.post(DOCS, json=DOC).json()["job_id"]
    assert client.get(JOB, params={"id": stuck}).json() == {"status": "running", "msg": "", "result": None}
    assert client.get(JOB, params={"id": normal}).json()["status"] == "successful"
    sim.faults.inject("fail_job", path=DOCS, result={"detail": "boom"})
    failed = client.get(JOB, params={"id": client.post(DOCS, json=DOC).json()["job_id"]}).json()
    assert failed["status"] == "failed" and failed["result"] == {"detail": "boom"}
    assert len(sim.state.documents) == 1  # only the normal job did its work


def test_expire_tokens_mid_wait(env) -> None:
    client, sim = env
    job_id = client.post(DOCS, json=DOC).json()["job_id"]
    sim.faults.inject("expire_tokens", path=JOB)
    r = client.get(JOB, params={"id": job_id})
    assert (r.status_code, r.json()) == (401, {"detail": "Authentication failed"})
    refresh = sim.issue_refresh_token(user_id=1)
    created = client.post(
        "/integration/v1/createAPIAccessToken/", json={"refresh_token": refresh, "user_id": 1}
    )
    fresh = created.json()["api_access_token"]
    assert client.get(JOB, params={"id": job_id}, headers={"TOKEN": fresh}).json()["status"] == "successful"


def test_bad_fault_arguments_are_named() -> None:
    sim = Simulator()
    with pytest.raises(ValueError, match="unknown fault kind 'explode'"):
        sim.faults.inject("explode")
    with pytest.raises(TypeError, match="seconds"):
        sim.faults.inject("drop", seconds=1)
    with pytest.raises(ValueError, match="times"):
        sim.faults.inject("drop", times=0)


async def test_faults_through_the_async_in_process_transport() -> None:
    sim = Simulator(token=TOKEN)
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url="http://sim", headers={"TOKEN": TOKEN}
    ) as client:
        sim.faults.inject("drop")
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get(JOB, params={"id": 1})
        sim.faults.inject("truncated", path=DOCS)
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(DOCS, json=DOC)
        sim.faults.inject("delay", seconds=1.0)
        with pytest.raises(httpx.ReadTimeout):
            await client.get(JOB, params={"id": 1}, timeout=httpx.Timeout(2, read=0.1))
        assert (await client.get(JOB, params={"id": 27801})).json()["status"] == "successful"
