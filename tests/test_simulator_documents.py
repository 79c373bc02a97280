"""Simulator: documents, folders, terms and the job-status endpoint, over loopback HTTP and in-process."""

from __future__ import annotations

import httpx
import pytest

from alation_workflows import models
from alation_workflows.testing import Simulator

JOB = "/api/v1/bulk_metadata/job/"


@pytest.fixture
def http(alation_server):
    with httpx.Client(
        base_url=alation_server.url, headers={"TOKEN": alation_server.token}, timeout=5
    ) as client:
        yield client


def _wait(client: httpx.Client, **query) -> dict:
    body = client.get(JOB, params=query).json()
    assert body["status"] == "successful", body
    assert body["msg"].startswith("Job finished in ")
    return body["result"]


def test_create_documents_job_result_and_state(http, alation_server):
    r = http.post(
        "/integration/v2/document/",
        json=[{"title": "KPI 1", "document_hub_id": 1}, {"title": "KPI 2", "document_hub_id": 1}],
    )
    assert r.status_code == 202
    assert set(r.json()) == {"job_id"} and isinstance(r.json()["job_id"], int)
    result = _wait(http, id=r.json()["job_id"])
    assert result["created_term_count"] == 2
    ids = [t["id"] for t in result["created_terms"]]
    assert [t["title"] for t in result["created_terms"]] == ["KPI 1", "KPI 2"]
    docs = alation_server.sim.state.documents
    assert [docs[i]["title"] for i in ids] == ["KPI 1", "KPI 2"]


def test_sdk_create_documents_wait_returns_stored_ids(workflows, alation_server):
    handle = workflows.documents.create_documents(
        request=[
            models.DocumentIn(title="Revenue", document_hub_id=1),
            models.DocumentIn(title="Cost", document_hub_id=1),
        ]
    )
    done = handle.wait()
    assert isinstance(done, models.JobDetailsDocumentPost)
    assert isinstance(done.result, models.DocumentPostResult)
    stored = alation_server.sim.state.documents
    assert {item.id: item.title for item in done.result.created_terms} == {
        i: stored[i]["title"] for i in stored
    }


def test_in_process_transport_sync_and_async():
    sim = Simulator(token="t")
    with httpx.Client(transport=sim.transport(), base_url="http://alation.test", headers={"TOKEN": "t"}) as c:
        job = c.post("/integration/v2/document/", json=[{"title": "A", "document_hub_id": 1}]).json()[
            "job_id"
        ]
        assert c.get(JOB, params={"id": job}).json()["result"]["created_terms"][0]["title"] == "A"


async def test_in_process_transport_async():
    sim = Simulator(token="t")
    transport = sim.transport()
    async with httpx.AsyncClient(
        transport=transport, base_url="http://alation.test", headers={"TOKEN": "t"}
    ) as c:
        r = await c.post("/integration/v2/document/", json=[{"title": "A", "document_hub_id": 1}])
        assert r.status_code == 202
        body = (await c.get(JOB, params={"id": r.json()["job_id"]})).json()
        assert body["status"] == "successful"
    assert [d["title"] for d in sim.state.documents.values()] == ["A"]


def test_serve_context_manager_starts_and_stops_a_real_server():
    sim = Simulator(token="t")
    with sim.serve() as url:
        assert url.startswith("http://127.0.0.1:")
        r = httpx.post(
            f"{url}/integration/v2/document/",
            json=[{"title": "A", "document_hub_id": 1}],
            headers={"TOKEN": "t"},
            timeout=5,
        )
        assert r.status_code == 202
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}{JOB}", params={"id": 1}, timeout=2)


async def test_sdk_over_in_process_transport_sync_and_async():
    from alation_workflows import Workflows

    sim = Simulator(token="t")
    transport = sim.transport()
    async_client = httpx.AsyncClient(transport=transport)
    with Workflows(
        server_url="http://localhost",
        token="t",
        client=httpx.Client(transport=transport),
        async_client=async_client,
    ) as wf:
        done = wf.documents.create_documents(
            request=[models.DocumentIn(title="Sync", document_hub_id=1)]
        ).wait()
        handle = await wf.documents.create_documents_async(
            request=[models.DocumentIn(title="Async", document_hub_id=1)]
        )
        done_async = await handle.wait()
    await async_client.aclose()
    titles = {d["id"]: d["title"] for d in sim.state.documents.values()}
    assert titles[done.result.created_terms[0].id] == "Sync"
    assert titles[done_async.result.created_terms[0].id] == "Async"
