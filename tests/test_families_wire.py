"""Wire tests of the lineage V2 handle (id or name) and domain delete (synchronous or a job)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from alation_workflows import JobHandle, Workflows, models
from alation_workflows.errors import JobRefError
from tests.jobs_fakes import FAST

NAME = "LineageV2#9_2024-06-20-13-23-02-698215-00-00-4ea1dc02"
FINISHED = {"status": "successful", "msg": "Job finished in 0.1 seconds at …", "result": None}


def client(answer: dict[str, tuple[int, Any]], seen: list[httpx.Request]) -> Workflows:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status, body = answer[f"{request.method} {request.url.path}"]
        return httpx.Response(status, json=body)

    return Workflows(
        server_url="https://alation.test",
        token="t",
        poll_config=FAST,
        client=httpx.Client(transport=httpx.MockTransport(handler)),
    )


def payload() -> models.DataflowPayload:
    return models.DataflowPayload.model_validate(
        {"dataflow_objects": [{"external_id": "api/df1"}], "paths": [[[{"otype": "table", "key": "1.a.b"}]]]}
    )


def test_lineage_handle_by_name_is_polled_by_name() -> None:
    seen: list[httpx.Request] = []
    answers = {
        "POST /integration/v2/lineage/": (202, {"job_name": NAME}),
        "GET /api/v1/bulk_metadata/job/": (200, FINISHED),
    }
    with client(answers, seen) as wf:
        job = wf.lineage.create_lineage(request=payload())
        assert isinstance(job, JobHandle) and job.name == NAME and job.ref.id is None
        with pytest.raises(JobRefError, match="known by its name, not by id"):
            job.id  # noqa: B018  (typed int: a job known by name has none)
        assert isinstance(job.wait(), models.JobDetailsLineage)
    assert dict(seen[1].url.params) == {"name": NAME}
    assert "%23" in str(seen[1].url)  # '#' is sent URL-encoded


def test_lineage_handle_by_id_wins_when_both_are_sent() -> None:
    seen: list[httpx.Request] = []
    answers = {
        "POST /integration/v2/lineage/": (202, {"job_id": 27810, "job_name": NAME}),
        "GET /api/v1/bulk_metadata/job/": (200, FINISHED),
    }
    with client(answers, seen) as wf:
        wf.lineage.create_lineage(request=payload()).wait()
    assert dict(seen[1].url.params) == {"id": "27810"}


def test_domain_delete_answers_synchronously_or_as_a_job() -> None:
    seen: list[httpx.Request] = []
    sync = {"DELETE /integration/v2/domain/": (200, {"deleted_domain_count": 1, "deleted_domain_ids": [7]})}
    with client(sync, seen) as wf:
        res = wf.domains.delete_domains(request=models.DeleteDomainsRequest(id=[7]))
    assert isinstance(res, models.DeleteDomainsResult) and res.deleted_domain_ids == [7]
    assert json.loads(seen[0].content) == {"id": [7]}
    job = {
        "DELETE /integration/v2/domain/": (202, {"job_id": 5}),
        "GET /api/v1/bulk_metadata/job/": (200, FINISHED),
    }
    with client(job, seen) as wf:
        handle = wf.domains.delete_domains(request=models.DeleteDomainsRequest(id=[7]))
        assert isinstance(handle, JobHandle) and handle.id == 5
        assert isinstance(handle.wait(), models.JobDetailsDomainDelete)


def test_jsonl_is_sent_as_application_json_and_an_empty_vds_upload_removes_everything(
    alation_server: Any,
) -> None:
    sim = alation_server.sim
    sim.state.add_datasource(id=9999)
    with Workflows(server_url=alation_server.url, token=alation_server.token, poll_config=FAST) as wf:
        lines = [models.VdsSchema(key="9999.sales")]
        wf.virtual_data_sources.post_virtual_data_source_metadata(request=lines, ds_id=9999).wait()
        assert "9999.sales" in sim.state.schemas
        seen: list[httpx.Request] = []
        wf.http_client.event_hooks["request"] = [seen.append]
        job = wf.virtual_data_sources.post_virtual_data_source_metadata(
            request=[], ds_id=9999, remove_not_seen=True
        )
        job.wait()
    assert seen[0].headers["content-type"] == "application/json" and seen[0].content == b""
    assert "9999.sales" not in sim.state.schemas
