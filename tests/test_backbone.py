"""End-to-end slice on job status and documents, over httpx mock transports."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from alation_workflows import Workflows, models
from alation_workflows.errors import (
    APIError,
    NetworkError,
    ProblemDetailsError,
    ResponseValidationError,
    UnexpectedJobResultError,
)
from alation_workflows.jobs import JobHandle
from alation_workflows.utils import BackoffStrategy, RetryConfig

FAST = RetryConfig(backoff=BackoffStrategy(initial_interval=1, max_interval=5, max_elapsed_time=5_000))
JOB_NAME = "MetadataExtraction#1_2017-10-05-19-36-45-431906-00-00-4ea1dc02"


class Recorder:
    """A mock Alation answering from a queue of responses and recording every request."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.queue = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        item = self.queue.pop(0) if len(self.queue) > 1 else self.queue[0]
        if isinstance(item, Exception):
            raise item
        return item


def client(rec: Recorder, **kw: object) -> Workflows:
    return Workflows(
        server_url="https://alation.example.com",
        token="s3cret-token",
        client=httpx.Client(transport=httpx.MockTransport(rec)),
        retry_config=kw.pop("retry_config", FAST),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def job(status: str, result: object) -> httpx.Response:
    return httpx.Response(
        200, json={"status": status, "msg": "Job finished in 0.2 seconds", "result": result}
    )


def test_job_status_by_id_wire_form_and_typed_result() -> None:
    rec = Recorder(
        job("successful", {"created_term_count": 1, "created_terms": [{"id": 1325, "title": "K"}]})
    )
    with client(rec) as wf:
        details = wf.job_status.get_job_status(id=27809)
    req = rec.requests[0]
    assert req.method == "GET"
    assert str(req.url) == "https://alation.example.com/api/v1/bulk_metadata/job/?id=27809"
    assert req.headers["TOKEN"] == "s3cret-token"
    assert isinstance(details, models.JobDetails)
    assert details.status == models.JobState.SUCCESSFUL
    assert details.result == {"created_term_count": 1, "created_terms": [{"id": 1325, "title": "K"}]}


def test_job_status_by_name_is_percent_encoded() -> None:
    rec = Recorder(job("running", None))
    with client(rec) as wf:
        details = wf.job_status.get_job_status(name=JOB_NAME)
    assert rec.requests[0].url.raw_path.decode() == (
        "/api/v1/bulk_metadata/job/?name=MetadataExtraction%231_2017-10-05-19-36-45-431906-00-00-4ea1dc02"
    )
    assert details.status == "running"


def test_unknown_status_is_kept_as_string() -> None:
    rec = Recorder(job("cancelled_by_admin", None))
    with client(rec) as wf:
        details = wf.job_status.get_job_status(id=1)
    assert details.status == "cancelled_by_admin"
    assert not isinstance(details.status, models.JobState)


@pytest.mark.parametrize("kwargs", [{}, {"id": 1, "name": "x"}])
def test_exactly_one_of_id_or_name(kwargs: dict[str, object]) -> None:
    rec = Recorder(job("running", None))
    with client(rec) as wf, pytest.raises(ValueError, match="exactly one of id, name"):
        wf.job_status.get_job_status(**kwargs)  # type: ignore[arg-type]
    assert rec.requests == []


def test_create_documents_returns_typed_handle_and_sends_json_list() -> None:
    rec = Recorder(
        httpx.Response(202, json={"job_id": 27809}),
        job("successful", {"created_term_count": 1, "created_terms": [{"id": 77, "title": "KPI"}]}),
    )
    with client(rec) as wf:
        handle = wf.documents.create_documents(
            request=[models.DocumentIn(title="KPI", document_hub_id=1, description="<p>x</p>")]
        )
        assert isinstance(handle, JobHandle)
        assert handle.id == 27809
        assert isinstance(handle.submitted, models.JobIdHandle)
        done = handle.wait(timeout=5)
    submit = rec.requests[0]
    assert (submit.method, submit.url.path) == ("POST", "/integration/v2/document/")
    assert submit.headers["content-type"] == "application/json"
    assert json.loads(submit.content) == [{"title": "KPI", "document_hub_id": 1, "description": "<p>x</p>"}]
    assert isinstance(done, models.JobDetailsDocumentPost)
    assert isinstance(done.result, models.DocumentPostResult)
    assert done.result.created_terms[0].id == 77
    assert rec.requests[1].url.params["id"] == "27809"


def test_update_documents_sends_put_without_hub_id() -> None:
    rec = Recorder(
        httpx.Response(202, json={"job_id": 5}),
        job("successful", {"updated_term_count": 1, "updated_terms": [{"id": 12}]}),
    )
    with client(rec) as wf:
        done = wf.documents.update_documents(request=[{"id": 12, "title": "New"}]).wait(timeout=5)
    assert rec.requests[0].method == "PUT"
    assert json.loads(rec.requests[0].content) == [{"id": 12, "title": "New"}]
    assert isinstance(done.result, models.DocumentPutResult)
    assert done.result.updated_terms[0].id == 12


def test_error_payload_inside_a_successful_result_is_raised_and_kept() -> None:
    # A "successful" job whose result is not the documented success shape: never a typed lie.
    rec = Recorder(
        httpx.Response(202, json={"job_id": 5}),
        job("successful", {"error": "unexpected"}),
        httpx.Response(202, json={"job_id": 6}),
        job("successful", {"error": "unexpected"}),
    )
    with client(rec) as wf:
        handle = wf.documents.create_documents(request=[models.DocumentIn(title="A", document_hub_id=1)])
        with pytest.raises(UnexpectedJobResultError, match="JobDetailsDocumentPostSucceeded") as err:
            handle.wait()
        assert err.value.details.result == {"error": "unexpected"}  # kept as sent
        assert err.value.handle is handle and "result" in err.value.problem
        again = wf.documents.create_documents(request=[models.DocumentIn(title="B", document_hub_id=1)])
        loose = again.wait(raise_on_failure=False)
    assert type(loose) is models.JobDetailsDocumentPost and loose.result == {"error": "unexpected"}


def test_a_successful_result_is_narrowed_keeping_what_was_sent() -> None:
    sent = {"created_term_count": 1, "created_terms": [{"id": 7, "title": "A"}], "note": "extra"}
    rec = Recorder(httpx.Response(202, json={"job_id": 5}), job("successful", sent))
    with client(rec) as wf:
        done = wf.documents.create_documents(request=[models.DocumentIn(title="A", document_hub_id=1)]).wait()
    assert type(done) is models.JobDetailsDocumentPostSucceeded
    assert done.result.created_terms[0].id == 7
    assert done.to_wire()["result"] == sent  # unknown keys and set fields survive the narrowing


def test_invalid_request_is_rejected_before_sending() -> None:
    rec = Recorder(httpx.Response(202, json={"job_id": 1}))
    with client(rec) as wf, pytest.raises(Exception, match="document_hub_id"):
        wf.documents.create_documents(request=[{"title": "no hub"}])  # type: ignore[list-item]
    with client(rec) as wf, pytest.raises(Exception, match="unexpected_field|Extra inputs"):
        wf.documents.create_documents(request=[{"title": "a", "document_hub_id": 1, "unexpected_field": 1}])  # type: ignore[list-item]
    assert rec.requests == []


def test_400_invalid_documents_raises_problem_details_with_typed_body() -> None:
    body = {
        "job_id": None,
        "invalid_documents": [
            {
                "index": 0,
                "errors": [{"title": ["This field is required."]}],
                "document": {"document_hub_id": 1},
            }
        ],
    }
    rec = Recorder(httpx.Response(400, json=body))
    with client(rec) as wf, pytest.raises(ProblemDetailsError) as info:
        wf.documents.create_documents(request=[models.DocumentIn(title="A", document_hub_id=1)])
    err = info.value
    assert err.status_code == 400
    assert isinstance(err.data, models.InvalidDocumentsError)
    assert err.data.invalid_documents[0].errors == [{"title": ["This field is required."]}]
    assert err.raw_response.status_code == 400 and json.loads(err.body) == body
    assert len(rec.requests) == 1  # a 400 is never retried


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (401, {"detail": "Authentication failed"}),
        (403, {"detail": "No.", "code": "403000"}),
        (404, {"detail": "Not found.", "code": "404000"}),
    ],
)
def test_json_errors_raise_problem_details(status: int, body: dict[str, str]) -> None:
    rec = Recorder(httpx.Response(status, json=body))
    with client(rec) as wf, pytest.raises(ProblemDetailsError) as info:
        wf.job_status.get_job_status(id=1)
    assert isinstance(info.value.data, models.ProblemDetails)
    assert info.value.data.detail == body["detail"]
    assert body["detail"] in str(info.value)


def test_undeclared_error_raises_api_error_with_raw_body() -> None:
    rec = Recorder(httpx.Response(418, text="<html>teapot</html>", headers={"content-type": "text/html"}))
    with client(rec) as wf, pytest.raises(APIError) as info:
        wf.job_status.get_job_status(id=1)
    assert type(info.value) is APIError
    assert info.value.status_code == 418 and "teapot" in info.value.body


def test_retries_503_honouring_retry_after_then_succeeds() -> None:
    rec = Recorder(
        httpx.Response(503, headers={"Retry-After": "0"}),
        httpx.Response(503, headers={"Retry-After": "0"}),
        job("running", None),
    )
    with client(rec) as wf:
        details = wf.job_status.get_job_status(id=3)
    assert details.status == "running"
    assert len(rec.requests) == 3


def test_retry_gives_up_after_max_attempts_and_says_so() -> None:
    rec = Recorder(httpx.Response(503, text="busy"))
    cfg = RetryConfig(backoff=BackoffStrategy(initial_interval=1, max_interval=2), max_attempts=3)
    with client(rec, retry_config=cfg) as wf, pytest.raises(APIError) as info:
        wf.job_status.get_job_status(id=3)
    assert len(rec.requests) == 3
    assert info.value.attempts == 3 and "after 3 attempts" in str(info.value)


def test_submit_is_not_retried_on_500_but_is_on_429() -> None:
    rec = Recorder(httpx.Response(500, text="boom"))
    with client(rec) as wf, pytest.raises(APIError):
        wf.documents.create_documents(request=[models.DocumentIn(title="A", document_hub_id=1)])
    assert len(rec.requests) == 1
    rec = Recorder(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(202, json={"job_id": 9}))
    with client(rec) as wf:
        assert (
            wf.documents.create_documents(request=[models.DocumentIn(title="A", document_hub_id=1)]).id == 9
        )
    assert len(rec.requests) == 2


def test_submit_not_retried_after_read_timeout_but_get_is() -> None:
    rec = Recorder(httpx.ReadTimeout("slow"))
    with client(rec) as wf, pytest.raises(NetworkError) as info:
        wf.documents.create_documents(request=[models.DocumentIn(title="A", document_hub_id=1)])
    assert len(rec.requests) == 1 and info.value.attempts == 1
    rec = Recorder(httpx.ReadTimeout("slow"), job("running", None))
    with client(rec) as wf:
        wf.job_status.get_job_status(id=1)
    assert len(rec.requests) == 2


def test_malformed_json_raises_typed_error_with_body() -> None:
    rec = Recorder(
        httpx.Response(200, content=b'{"status": "succ', headers={"content-type": "application/json"})
    )
    with (
        client(rec, retry_config=RetryConfig(strategy="none")) as wf,
        pytest.raises(ResponseValidationError) as info,
    ):
        wf.job_status.get_job_status(id=1)
    assert '{"status": "succ' in info.value.body


def test_per_call_overrides_server_url_headers_timeout() -> None:
    rec = Recorder(job("running", None))
    with client(rec) as wf:
        wf.job_status.get_job_status(
            id=1, server_url="https://other.example.com/", http_headers={"X-Trace": "t1"}, timeout_ms=1234
        )
    req = rec.requests[0]
    assert req.url.host == "other.example.com" and req.headers["X-Trace"] == "t1"
    assert req.extensions["timeout"]["read"] == pytest.approx(1.234)


def test_token_redacted_in_debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    rec = Recorder(job("running", None))
    with caplog.at_level(logging.DEBUG, logger="alation_workflows"), client(rec) as wf:
        wf.job_status.get_job_status(id=1)
    text = caplog.text
    assert "GET https://alation.example.com/api/v1/bulk_metadata/job/?id=1" in text
    assert "[REDACTED]" in text and "s3cret-token" not in text


def test_callable_token_is_asked_per_request() -> None:
    tokens = iter(["t1", "t2"])
    rec = Recorder(job("running", None))
    wf = Workflows(
        server_url="https://a.example.com",
        token=lambda: next(tokens),
        client=httpx.Client(transport=httpx.MockTransport(rec)),
    )
    wf.job_status.get_job_status(id=1)
    wf.job_status.get_job_status(id=1)
    assert [r.headers["TOKEN"] for r in rec.requests] == ["t1", "t2"]


async def test_async_twins_share_behaviour() -> None:
    rec = Recorder(
        httpx.Response(202, json={"job_id": 4}),
        job("running", None),
        job("successful", {"created_term_count": 0, "created_terms": []}),
    )
    async with Workflows(
        server_url="https://alation.example.com",
        token="tok",
        async_client=httpx.AsyncClient(transport=httpx.MockTransport(rec)),
    ) as wf:
        handle = await wf.documents.create_documents_async(
            request=[models.DocumentIn(title="A", document_hub_id=1)]
        )
        done = await handle.wait(timeout=5)
        details = await wf.job_status.get_job_status_async(name=JOB_NAME)
    assert isinstance(done, models.JobDetailsDocumentPost) and done.result.created_term_count == 0
    assert handle.polls == 2
    assert "%23" in rec.requests[-1].url.raw_path.decode() and details.status == "successful"


def test_client_closes_only_clients_it_owns() -> None:
    user_client = httpx.Client(transport=httpx.MockTransport(Recorder(job("running", None))))
    with Workflows(server_url="https://a.example.com", token="t", client=user_client) as wf:
        wf.job_status.get_job_status(id=1)
    assert not user_client.is_closed
    wf2 = Workflows(server_url="https://a.example.com", token="t")
    owned = wf2.http_client
    wf2.close()
    assert owned.is_closed


@pytest.mark.parametrize("url", ["", "alation.example.com", "ftp://x"])
def test_bad_server_url_is_a_clear_error(url: str) -> None:
    with pytest.raises(ValueError, match="server_url"):
        Workflows(server_url=url, token="t")


def test_groups_load_lazily_and_import_is_cheap() -> None:
    import subprocess
    import sys

    code = (
        "import sys, alation_workflows as a; "
        "print(sorted(m for m in sys.modules if m.startswith('alation_workflows.models.')));"
        "wf = a.Workflows(server_url='https://x.example.com', token='t');"
        "print('alation_workflows.documents' in sys.modules); wf.documents; print('alation_workflows.documents' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": "src"}
    ).stdout
    assert out.splitlines() == ["[]", "False", "True"]


def test_enum_query_parameter_accepts_plain_string() -> None:
    rec = Recorder(httpx.Response(202, json={"job_id": 3}))
    with client(rec) as wf:
        wf.dataflows.delete_dataflows(request=["ext-1"], key_field="external_id")  # type: ignore[arg-type]
        with pytest.raises(Exception, match="key_field|id"):
            wf.dataflows.delete_dataflows(request=["ext-1"], key_field="nonsense")  # type: ignore[arg-type]
    assert rec.requests[0].url.params["keyField"] == "external_id"
    assert len(rec.requests) == 1


def test_error_while_waiting_names_the_handle_to_resume() -> None:
    rec = Recorder(httpx.Response(202, json={"job_id": 41}), httpx.Response(500, text="down"))
    with client(rec, retry_config=RetryConfig(strategy="none")) as wf:
        handle = wf.documents.create_documents(request=[models.DocumentIn(title="A", document_hub_id=1)])
        with pytest.raises(APIError) as info:
            handle.wait(timeout=5)
    assert info.value.handle is handle and info.value.handle.id == 41
