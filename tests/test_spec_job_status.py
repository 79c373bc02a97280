"""Job status on the wire: names are URL-encoded (`#` -> `%23`) and the status enum is open."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from alation_workflows import JobHandle, Workflows, models
from alation_workflows.errors import JobRefError

BASE = "https://alation.example.com"
NAME = "MetadataExtraction#9999_2024-06-20-13-23-02-698215-00-00-4ea1dc02"


def _client(handler: Any) -> Workflows:
    return Workflows(server_url=BASE, token="t", client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_job_name_is_sent_as_percent_23() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"status": "running", "msg": None, "result": None})

    with _client(handler) as wf:
        wf.job_status.get_job_status(name=NAME)
    raw = seen[0].url.raw_path.decode()
    assert "name=MetadataExtraction%239999_2024" in raw
    assert "#" not in raw
    assert seen[0].url.params["name"] == NAME


def test_name_handle_polls_by_encoded_name() -> None:
    seen: list[httpx.Request] = []
    result = '{"number_received": 1, "updated_objects": 1, "error_objects": [], "error": null}'

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx.Response(200, json={"job_name": NAME})
        return httpx.Response(200, json={"status": "successful", "msg": "", "result": result})

    with _client(handler) as wf:
        job = wf.virtual_data_sources.post_virtual_data_source_metadata(
            ds_id=9999, request=[models.VdsSchema(key="9999.sales")]
        )
        assert isinstance(job, JobHandle) and job.name == NAME and job.ref.id is None
        with pytest.raises(JobRefError, match="known by its name, not by id"):
            job.id  # noqa: B018  (typed int: a job known by name has none)
        done = job.wait(timeout=5)
    assert b"name=MetadataExtraction%239999" in seen[1].url.raw_path
    assert isinstance(done.result, models.VirtualDatasourceResult)
    assert done.result.updated_objects == 1


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("running", models.JobState.RUNNING),
        ("successful", models.JobState.SUCCESSFUL),
        ("failed", models.JobState.FAILED),
        ("partially_successful", "partially_successful"),
        ("QUEUED", "QUEUED"),
    ],
)
def test_status_is_an_open_enum(wire: str, expected: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"status": wire, "msg": "", "result": {"anything": [1]}})

    with _client(handler) as wf:
        status = wf.job_status.get_job_status(id=1)
    assert status.status == expected
    assert type(status.status) is type(expected)
    assert status.result == {"anything": [1]}
    assert status.to_wire()["status"] == wire


@pytest.mark.parametrize("kwargs", [{}, {"id": 1, "name": "a#b"}])
def test_exactly_one_of_id_or_name(kwargs: dict[str, Any]) -> None:
    with (
        _client(lambda request: httpx.Response(500)) as wf,
        pytest.raises(ValueError, match="exactly one of"),
    ):
        wf.job_status.get_job_status(**kwargs)
