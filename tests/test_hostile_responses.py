"""Hostile or broken answers end in typed errors: huge bodies, deep JSON, bad Retry-After, boolean ids;
and what the SDK sends cannot be split by a reader (NDJSON line separators)."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest

from alation_workflows import Workflows, models
from alation_workflows._runtime import retries
from alation_workflows.errors import (
    APIError,
    ResponseTooLargeError,
    ResponseValidationError,
    SubmitUncertainError,
)
from alation_workflows.jobs import JobHandle, JobRef
from alation_workflows.utils import BackoffStrategy, RetryConfig

TOKEN = "hostile-test-token"


def _sdk(handler: Callable[[httpx.Request], httpx.Response], **kw: object) -> Workflows:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Workflows(server_url="https://alation.test", token=TOKEN, client=client, **kw)  # type: ignore[arg-type]


class _Stream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that arrives over the wire in chunks (httpx reads a plain `content=` eagerly)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __iter__(self) -> Iterator[bytes]:
        for i in range(0, len(self.data), 4096):
            yield self.data[i : i + 4096]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for i in range(0, len(self.data), 4096):
            yield self.data[i : i + 4096]


GZIP_JSON = {"content-encoding": "gzip", "content-type": "application/json"}


def _gzip_bomb(size: int) -> bytes:
    return gzip.compress(b'{"status": "running", "msg": "' + b" " * size + b'"}', compresslevel=9)


def test_a_decompressed_body_past_the_cap_is_refused_while_reading() -> None:
    bomb = _gzip_bomb(20_000_000)  # 20 MB of JSON in about 20 kB on the wire
    assert len(bomb) < 100_000
    seen: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(1)
        return httpx.Response(200, stream=_Stream(bomb), headers=GZIP_JSON)

    wf = _sdk(handler, max_response_bytes=1_000_000)
    with pytest.raises(ResponseTooLargeError, match="max_response_bytes=1000000") as info:
        wf.job_status.get_job_status(id=1)
    assert info.value.status_code == 200 and info.value.body == ""
    assert len(seen) == 1  # not retried: the same answer would come again


def test_a_declared_oversized_body_is_refused_before_reading() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 5000, headers={"content-type": "application/json"})

    with pytest.raises(ResponseTooLargeError):
        _sdk(handler, max_response_bytes=4096).job_status.get_job_status(id=1)


def test_bodies_under_the_cap_are_read_as_usual() -> None:
    body = json.dumps({"status": "running", "msg": "x" * 1000, "result": None}).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content=gzip.compress(body),
            headers={"content-encoding": "gzip", "content-type": "application/json"},
        )

    assert _sdk(handler, max_response_bytes=len(body)).job_status.get_job_status(id=1).status == "running"


async def test_the_cap_holds_for_the_async_client_and_submits_are_uncertain() -> None:
    bomb = _gzip_bomb(5_000_000)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(202, stream=_Stream(bomb), headers=GZIP_JSON)

    wf = Workflows(
        server_url="https://alation.test",
        token=TOKEN,
        async_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        max_response_bytes=100_000,
    )
    with pytest.raises(SubmitUncertainError) as info:
        await wf.documents.create_documents_async(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
    assert isinstance(info.value, APIError)  # the uncertain twin of the APIError it also is
    assert info.value.status_code == 202  # accepted: the job may exist
    assert "max_response_bytes=100000" in str(info.value)
    await wf.aclose()


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10"])
def test_max_response_bytes_must_be_a_positive_int(bad: object) -> None:
    with pytest.raises(ValueError, match="max_response_bytes"):
        Workflows(server_url="https://alation.test", token=TOKEN, max_response_bytes=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [200, 400])
def test_deeply_nested_json_is_a_response_validation_error(status: int) -> None:
    deep = b'{"status": "running", "result": ' + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"}"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=deep, headers={"content-type": "application/json"})

    wf = _sdk(handler, retry_config=RetryConfig(strategy="none"), max_response_bytes=10_000_000)
    with pytest.raises(ResponseValidationError) as info:
        wf.job_status.get_job_status(id=1)
    assert info.value.status_code == status


@pytest.mark.parametrize("value", ["0", "-5", "Mon, 01 Jan 2001 00:00:00 GMT"])
def test_retry_after_zero_negative_or_past_falls_back_to_the_backoff(value: str) -> None:
    config = RetryConfig(backoff=BackoffStrategy(initial_interval=400, max_interval=400))
    response = httpx.Response(429, headers={"Retry-After": value})
    for attempt in (1, 2, 3):
        delay = retries.next_delay(config, attempt, response)
        assert delay is not None and 0.2 <= delay <= 0.4  # the normal backoff, never a zero-delay loop
    assert retries.next_delay(config, 1, httpx.Response(429, headers={"Retry-After": "2"})) == 2.0


def test_a_boolean_job_id_is_not_a_job() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(202, json={"job_id": True})

    with pytest.raises(SubmitUncertainError, match="boolean") as info:
        _sdk(handler).documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
    assert isinstance(info.value, ResponseValidationError)


def test_a_boolean_is_refused_where_an_id_belongs() -> None:
    def never(request: httpx.Request) -> httpx.Response:  # pragma: no cover - must not be reached
        raise AssertionError("sent")

    wf = _sdk(never)
    with pytest.raises(TypeError, match="no boolean"):
        wf.job_status.get_job_status(id=True)
    with pytest.raises(TypeError, match="integer"):
        JobRef(id=True)
    with pytest.raises(TypeError):
        JobHandle.resume(wf, True)  # a bool is an int to the checker: refused at run time


def test_ndjson_bodies_escape_unicode_line_separators() -> None:
    sent: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(202, json={"job_name": "QueryLogUpload_1"})

    text = "select 1 -- a\u2028b\u2029c\x85d"
    entries = [
        models.QueryLogEntry(
            user_name="u",
            session_id="s",
            default_databases="db",
            text=text,
            start_time="2024-01-01 00:00:00.000",
        )
        for _ in range(2)
    ]
    try:
        _sdk(handler).query_logs.push_query_logs(request=entries, ds_id=1)
    except Exception:  # the answer's shape does not matter here, only what was sent
        pass
    body = sent[0]
    for raw in ("\u2028", "\u2029", "\x85"):
        assert raw.encode() not in body
    lines = body.decode().splitlines()  # splits on U+2028/2029/0085 too: must find exactly two records
    assert len(lines) == 2
    assert [json.loads(line)["text"] for line in lines] == [text, text]
