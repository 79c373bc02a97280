"""Bad input is refused before the network; odd responses are kept or raise a typed error; timeouts are always set."""

from __future__ import annotations

import math
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pydantic
import pytest

from alation_workflows import Workflows, models
from alation_workflows.errors import APIError, NetworkError, ProblemDetailsError, ResponseValidationError
from alation_workflows.utils import RetryConfig

NO_RETRY = RetryConfig(strategy="none")


class Recorder:
    def __init__(self, response: httpx.Response | None = None) -> None:
        self.response = response or httpx.Response(200, json={"status": "successful"})
        self.calls: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        return self.response


def sdk(recorder: Recorder, client: httpx.Client | None = None, **kw: object) -> Workflows:
    client = client or httpx.Client(transport=httpx.MockTransport(recorder))
    return Workflows(server_url="https://alation.test", token="t0ken-value", client=client, **kw)  # type: ignore[arg-type]


# -- invalid input never reaches the network -----------------------------------------------------


def test_invalid_parameter_names_the_parameter_and_sends_nothing() -> None:
    rec = Recorder()
    with pytest.raises(pydantic.ValidationError) as info:
        sdk(rec).job_status.get_job_status(id="12x")  # type: ignore[arg-type]
    assert info.value.errors()[0]["loc"] == ("id",)
    assert "get_job_status()" in str(info.value) and "\nid\n" in str(info.value)
    assert rec.calls == []


def test_exactly_one_of_is_checked_before_sending() -> None:
    rec = Recorder()
    with pytest.raises(ValueError, match="exactly one of id, name"):
        sdk(rec).job_status.get_job_status(id=1, name="a#b")
    with pytest.raises(ValueError, match="neither"):
        sdk(rec).job_status.get_job_status()
    assert rec.calls == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([{"title": "x", "document_hub_id": "not-a-number"}], "document_hub_id"),
        ([{"document_hub_id": 1}], "title"),
        ([{"title": "x", "document_hub_id": 1, "surprise": True}], "surprise"),
    ],
)
def test_invalid_request_model_names_the_field_and_sends_nothing(body: list[object], field: str) -> None:
    rec = Recorder(httpx.Response(202, json={"job_id": 1}))
    with pytest.raises(pydantic.ValidationError) as info:
        sdk(rec).documents.create_documents(request=body)  # type: ignore[arg-type]
    assert field in str(info.value)
    assert any(field in map(str, e["loc"]) for e in info.value.errors())
    assert rec.calls == []


def test_model_constructor_rejects_bad_field_before_any_call() -> None:
    with pytest.raises(pydantic.ValidationError, match="document_hub_id"):
        models.DocumentIn(title="x", document_hub_id="nope")  # pyright: ignore[reportArgumentType]


def test_empty_and_oversized_batches_are_refused_before_sending() -> None:
    rec = Recorder(httpx.Response(202, json={"job_id": 1}))
    with pytest.raises(pydantic.ValidationError):
        sdk(rec).documents.create_documents(request=[])
    doc = models.DocumentIn(title="x", document_hub_id=1)
    with pytest.raises(pydantic.ValidationError):
        sdk(rec).documents.create_documents(request=[doc] * 1001)
    assert rec.calls == []


# -- lenient parsing of what the server sends ----------------------------------------------------


def test_unknown_fields_and_enum_values_are_kept() -> None:
    body = {"status": "queued", "msg": "m", "result": {"x": 1}, "new_field": [1, 2]}
    details = sdk(Recorder(httpx.Response(200, json=body))).job_status.get_job_status(id=1)
    assert details.status == "queued" and not isinstance(details.status, models.JobState)
    assert details.model_extra == {"new_field": [1, 2]}
    assert details.to_wire() == body


def test_known_enum_value_is_typed() -> None:
    details = sdk(Recorder()).job_status.get_job_status(id=1)
    assert details.status is models.JobState.SUCCESSFUL


@pytest.mark.parametrize(
    ("content", "ctype"),
    [
        (b'{"status": "runn', "application/json"),  # truncated
        (b"{status: running}", "application/json"),  # malformed
        (b'{"msg": "no status"}', "application/json"),  # does not fit the schema
        (b"", "application/json"),  # empty
        (b"<html>Login required</html>", "text/html"),  # not JSON at all
    ],
)
def test_malformed_bodies_raise_typed_error_with_body_text(content: bytes, ctype: str) -> None:
    rec = Recorder(httpx.Response(200, content=content, headers={"content-type": ctype}))
    with pytest.raises(ResponseValidationError) as info:
        sdk(rec).job_status.get_job_status(id=1)
    err = info.value
    assert err.body == content.decode()
    assert content.decode() in str(err)
    assert err.raw_response.content == content
    assert isinstance(err.cause, Exception)
    if ctype != "application/json":
        assert "text/html" in str(err)


def test_json_under_a_wrong_content_type_is_still_parsed() -> None:
    # For a submission this body carries the only copy of the job id: dropping it would lose the job.
    rec = Recorder(httpx.Response(202, content=b'{"job_id": 42}', headers={"content-type": "text/plain"}))
    handle = sdk(rec).documents.create_documents(request=[models.DocumentIn(title="x", document_hub_id=1)])
    assert handle.id == 42


def test_error_bodies_are_typed_and_kept() -> None:
    rec = Recorder(httpx.Response(404, json={"detail": "Job not found", "code": "404000"}))
    with pytest.raises(ProblemDetailsError) as info:
        sdk(rec).job_status.get_job_status(id=1)
    assert info.value.data.detail == "Job not found"
    assert "Job not found" in str(info.value)
    rec = Recorder(httpx.Response(404, content=b"{broken", headers={"content-type": "application/json"}))
    with pytest.raises(APIError) as info2:
        sdk(rec).job_status.get_job_status(id=1)
    assert "{broken" in str(info2.value) and not isinstance(info2.value, ProblemDetailsError)


# -- timeouts ------------------------------------------------------------------------------------


def test_every_request_carries_a_timeout_even_on_a_user_client_without_one() -> None:
    rec = Recorder()
    client = httpx.Client(transport=httpx.MockTransport(rec), timeout=None)
    wf = sdk(rec, client)
    wf.job_status.get_job_status(id=1)
    wf.job_status.get_job_status(id=1, timeout_ms=1234)
    first, second = (r.extensions["timeout"] for r in rec.calls)
    assert set(first.values()) == {30.0}
    assert set(second.values()) == {1.234}


async def test_async_requests_carry_the_timeout_too() -> None:
    rec = Recorder()
    client = httpx.AsyncClient(transport=httpx.MockTransport(rec), timeout=None)
    wf = Workflows(server_url="https://alation.test", token="t", async_client=client, timeout_ms=500)
    await wf.job_status.get_job_status_async(id=1)
    assert set(rec.calls[0].extensions["timeout"].values()) == {0.5}


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf])
def test_timeouts_that_mean_never_or_forever_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="timeout_ms"):
        Workflows(server_url="https://alation.test", timeout_ms=bad)  # type: ignore[arg-type]
    rec = Recorder()
    with pytest.raises(ValueError, match="timeout_ms"):
        sdk(rec).job_status.get_job_status(id=1, timeout_ms=bad)  # type: ignore[arg-type]
    assert rec.calls == []


def test_owned_clients_have_a_default_timeout() -> None:
    wf = Workflows(server_url="https://alation.test", timeout_ms=2500)
    assert wf.http_client.timeout.read == 2.5
    assert wf.async_http_client.timeout.connect == 2.5
    wf.close()


@pytest.fixture
def silent_server() -> Iterator[tuple[str, list[int]]]:
    """A loopback TCP server that accepts connections, reads, and never answers."""
    sock = socket.create_server(("127.0.0.1", 0))
    accepted: list[int] = []
    stop = threading.Event()
    conns: list[socket.socket] = []

    def serve() -> None:
        sock.settimeout(0.05)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            conns.append(conn)
            accepted.append(1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", accepted
    stop.set()
    thread.join(2)
    for c in conns:
        c.close()
    sock.close()


def test_a_server_that_never_answers_ends_in_network_error_within_the_timeout(
    silent_server: tuple[str, list[int]],
) -> None:
    url, accepted = silent_server
    retry = RetryConfig(max_attempts=2)
    with Workflows(server_url=url, token="t", timeout_ms=200, retry_config=retry) as wf:
        t0 = time.monotonic()
        with pytest.raises(NetworkError) as info:
            wf.job_status.get_job_status(id=1)
        elapsed = time.monotonic() - t0
    assert isinstance(info.value.cause, httpx.ReadTimeout)
    assert info.value.attempts == 2 and len(accepted) >= 1
    assert elapsed < 2.0
