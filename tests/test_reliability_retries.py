"""Retries: which failures are retried for which operation, how long we wait, and when we stop."""

from __future__ import annotations

import email.utils
import time
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest

from alation_workflows import Workflows, models
from alation_workflows._runtime import retries
from alation_workflows.errors import (
    APIError,
    NetworkError,
    ResponseValidationError,
    SubmitUncertainError,
    SubmitUncertainNetworkError,
)
from alation_workflows.utils import BackoffStrategy, RetryConfig

TOKEN = "retry-test-token"
JOB_PATH = "/api/v1/bulk_metadata/job/"
DOC_PATH = "/integration/v2/document/"
FAST = RetryConfig(backoff=BackoffStrategy(initial_interval=1, max_interval=2), max_attempts=4)
DONE = {"status": "successful", "msg": "Job finished", "result": []}


class Script:
    """A mock server that plays a list of outcomes in order (then repeats the last one)."""

    def __init__(self, *outcomes: httpx.Response | Exception | Callable[[], httpx.Response]) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[httpx.Request] = []
        self.closed = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        outcome = self.outcomes[min(len(self.calls), len(self.outcomes)) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        response = outcome() if callable(outcome) else outcome
        # A fresh stream per call so we can count closes.
        return httpx.Response(
            response.status_code, headers=response.headers, stream=_Stream(response.content, self)
        )


class _Stream(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, data: bytes, script: Script) -> None:
        self.data, self.script = data, script

    def __iter__(self) -> Iterator[bytes]:
        yield self.data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.data

    def close(self) -> None:
        self.script.closed += 1

    async def aclose(self) -> None:
        self.script.closed += 1


def status(code: int, *, body: object = None, **headers: str) -> httpx.Response:
    if body is None:
        return httpx.Response(code, headers=headers, text=f"fault {code}")
    return httpx.Response(code, headers=headers, json=body)


def ok() -> httpx.Response:
    return httpx.Response(200, json=DONE)


def accepted() -> httpx.Response:
    return httpx.Response(202, json={"job_id": 7})


def sdk(script: Script, retry: RetryConfig = FAST, **kw: object) -> Workflows:
    client = httpx.Client(transport=httpx.MockTransport(script))
    return Workflows(server_url="https://alation.test", token=TOKEN, client=client, retry_config=retry, **kw)  # type: ignore[arg-type]


def async_sdk(script: Script, retry: RetryConfig = FAST) -> Workflows:
    client = httpx.AsyncClient(transport=httpx.MockTransport(script))
    return Workflows(server_url="https://alation.test", token=TOKEN, async_client=client, retry_config=retry)


def create(wf: Workflows) -> object:
    return wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])


# -- idempotent calls ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", [408, 429, 500, 502, 503, 504])
def test_get_retries_transient_statuses_then_succeeds(code: int) -> None:
    script = Script(status(code), status(code), ok)
    details = sdk(script).job_status.get_job_status(id=1)
    assert details.status == "successful"
    assert len(script.calls) == 3
    assert script.closed == 3  # both failed responses and the final one were closed


@pytest.mark.parametrize("code", [400, 401, 403, 404, 409, 501])
def test_get_does_not_retry_permanent_statuses(code: int) -> None:
    script = Script(status(code), ok)
    with pytest.raises(APIError) as info:
        sdk(script).job_status.get_job_status(id=1)
    assert len(script.calls) == 1
    assert info.value.status_code == code and info.value.attempts == 1
    assert "after 1 attempt" in str(info.value)


def test_get_gives_up_at_attempt_cap_and_says_how_many_attempts() -> None:
    script = Script(status(503))
    with pytest.raises(APIError) as info:
        sdk(script).job_status.get_job_status(id=1)
    assert len(script.calls) == FAST.max_attempts == info.value.attempts
    assert f"after {FAST.max_attempts} attempts" in str(info.value)
    assert "fault 503" in str(info.value)  # the body is in the message
    assert info.value.raw_response.status_code == 503


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.ReadTimeout("read timed out"),
        httpx.ReadError("connection reset by peer"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
    ids=lambda e: type(e).__name__,
)
def test_get_retries_transport_errors(exc: Exception) -> None:
    script = Script(exc, exc, ok)
    assert sdk(script).job_status.get_job_status(id=1).status == "successful"
    assert len(script.calls) == 3


def test_transport_error_exhausted_is_network_error_with_attempts() -> None:
    script = Script(httpx.ReadError("connection reset by peer"))
    with pytest.raises(NetworkError) as info:
        sdk(script).job_status.get_job_status(id=1)
    assert info.value.attempts == len(script.calls) == FAST.max_attempts
    assert f"after {FAST.max_attempts} attempts" in str(info.value)
    assert isinstance(info.value.cause, httpx.ReadError)


def test_non_transport_request_error_is_network_error_not_retried() -> None:
    script = Script(httpx.DecodingError("bad gzip"))
    with pytest.raises(NetworkError) as info:
        sdk(script).job_status.get_job_status(id=1)
    assert info.value.attempts == len(script.calls) == 1


def test_retry_connection_errors_false_disables_transport_retries() -> None:
    script = Script(httpx.ConnectError("refused"), ok)
    retry = RetryConfig(backoff=FAST.backoff, retry_connection_errors=False)
    with pytest.raises(NetworkError):
        sdk(script, retry).job_status.get_job_status(id=1)
    assert len(script.calls) == 1


def test_strategy_none_sends_once() -> None:
    script = Script(status(503), ok)
    with pytest.raises(APIError):
        sdk(script).job_status.get_job_status(id=1, retries=RetryConfig(strategy="none"))
    assert len(script.calls) == 1


def test_per_call_retry_config_overrides_client_default() -> None:
    script = Script(status(503))
    with pytest.raises(APIError) as info:
        sdk(script).job_status.get_job_status(id=1, retries=RetryConfig(backoff=FAST.backoff, max_attempts=2))
    assert info.value.attempts == len(script.calls) == 2


def test_elapsed_time_cap_stops_before_attempt_cap() -> None:
    script = Script(status(503))
    retry = RetryConfig(
        backoff=BackoffStrategy(initial_interval=40, max_interval=40, max_elapsed_time=100), max_attempts=50
    )
    t0 = time.monotonic()
    with pytest.raises(APIError) as info:
        sdk(script, retry).job_status.get_job_status(id=1)
    assert time.monotonic() - t0 < 0.5
    assert 2 <= info.value.attempts < 10


# -- job-submitting calls ------------------------------------------------------------------------


@pytest.mark.parametrize("code", [429])
def test_submit_retries_only_not_processed_statuses(code: int) -> None:
    script = Script(status(code), accepted)
    handle = create(sdk(script))
    assert handle.id == 7  # type: ignore[attr-defined]
    assert len(script.calls) == 2
    assert script.calls[0].content == script.calls[1].content  # the same body, sent again


@pytest.mark.parametrize("code", [408, 500, 502, 503, 504])
def test_submit_never_retries_statuses_that_may_follow_processing(code: int) -> None:
    # A 503 may come from a proxy or worker after the job was created: retrying it made a second job.
    script = Script(status(code), accepted)
    with pytest.raises(SubmitUncertainError) as info:
        create(sdk(script))
    assert len(script.calls) == 1 and info.value.attempts == 1  # type: ignore[attr-defined]
    err = info.value
    assert isinstance(err, APIError) and err.status_code == code  # still the APIError it was
    assert err.operation == "createDocuments" and err.method == "POST"
    assert err.url == "https://alation.test" + DOC_PATH
    assert "may have accepted" in str(err) and f"fault {code}" in str(err)


@pytest.mark.parametrize("code", [400, 401, 403, 404, 409, 413])
def test_submit_rejections_are_not_uncertain(code: int) -> None:
    script = Script(status(code, body={"detail": "no"}))
    with pytest.raises(APIError) as info:
        create(sdk(script))
    assert not isinstance(info.value, SubmitUncertainError)
    assert len(script.calls) == 1


def test_an_unreadable_accepted_submit_is_uncertain() -> None:
    script = Script(httpx.Response(202, json={"unexpected": True}))
    with pytest.raises(SubmitUncertainError) as info:
        create(sdk(script))
    assert isinstance(info.value, ResponseValidationError) and info.value.status_code == 202


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("read timed out"),
        httpx.ReadError("connection reset"),
        httpx.WriteError("broken pipe"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
    ids=lambda e: type(e).__name__,
)
def test_submit_never_retries_after_the_body_may_have_been_sent(exc: Exception) -> None:
    script = Script(exc, accepted)
    with pytest.raises(SubmitUncertainNetworkError) as info:
        create(sdk(script))
    assert len(script.calls) == 1 and info.value.attempts == 1
    assert info.value.maybe_processed and "may have accepted" in str(info.value)
    assert isinstance(info.value, NetworkError) and info.value.operation == "createDocuments"


def test_connect_failure_is_flagged_as_not_processed() -> None:
    script = Script(httpx.ConnectError("refused"))
    with pytest.raises(NetworkError) as info:
        create(sdk(script))
    assert info.value.attempts == FAST.max_attempts and not info.value.maybe_processed


@pytest.mark.parametrize(
    "exc", [httpx.ConnectError("refused"), httpx.ConnectTimeout("timed out")], ids=lambda e: type(e).__name__
)
def test_submit_retries_when_the_connection_never_opened(exc: Exception) -> None:
    script = Script(exc, accepted)
    assert create(sdk(script)).id == 7  # type: ignore[attr-defined]
    assert len(script.calls) == 2


async def test_async_twin_follows_the_same_rules() -> None:
    script = Script(status(503), httpx.ReadTimeout("slow"), ok)
    details = await async_sdk(script).job_status.get_job_status_async(id=1)
    assert details.status == "successful" and len(script.calls) == 3
    assert script.closed == 2

    script = Script(httpx.ReadTimeout("slow"), accepted)
    with pytest.raises(NetworkError) as info:
        await async_sdk(script).documents.create_documents_async(
            request=[models.DocumentIn(title="KPI", document_hub_id=1)]
        )
    assert len(script.calls) == 1 and info.value.attempts == 1


# -- Retry-After ---------------------------------------------------------------------------------


def _resp(**headers: str) -> httpx.Response:
    return httpx.Response(429, headers=headers)


def test_retry_after_seconds_and_http_dates() -> None:
    assert retries.retry_after_seconds(_resp(**{"Retry-After": "3"})) == 3.0
    assert retries.retry_after_seconds(_resp(**{"Retry-After": " 1.5 "})) == 1.5
    assert retries.retry_after_seconds(_resp(**{"Retry-After": "-5"})) == 0.0
    assert retries.retry_after_seconds(_resp()) is None
    for junk in ("soon", "nan", "inf", "Mon, 99 Foo 2024"):
        assert retries.retry_after_seconds(_resp(**{"Retry-After": junk})) is None, junk
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= retries.retry_after_seconds(_resp(**{"Retry-After": future})) <= 30  # type: ignore[operator]
    # "-0000" parses to a naive datetime: it must still be read as GMT, not local time.
    naive = email.utils.formatdate(time.time() + 30).rsplit(" ", 1)[0] + " -0000"
    assert 28 <= retries.retry_after_seconds(_resp(**{"Retry-After": naive})) <= 30  # type: ignore[operator]
    past = email.utils.formatdate(time.time() - 3600, usegmt=True)
    assert retries.retry_after_seconds(_resp(**{"Retry-After": past})) == 0.0


def test_retry_after_is_honoured() -> None:
    script = Script(status(429, **{"Retry-After": "0.3"}), ok)
    t0 = time.monotonic()
    sdk(script).job_status.get_job_status(id=1)
    assert time.monotonic() - t0 >= 0.3
    assert len(script.calls) == 2


def test_retry_after_http_date_is_honoured_on_submit() -> None:
    when = email.utils.formatdate(time.time() + 1.2, usegmt=True)  # whole seconds: waits 0.2 .. 1.2 s
    script = Script(status(429, **{"Retry-After": when}), accepted)
    t0 = time.monotonic()
    assert create(sdk(script)).id == 7  # type: ignore[attr-defined]
    assert 0.1 <= time.monotonic() - t0 < 2.0


def test_retry_after_beyond_the_cap_fails_fast_with_the_header() -> None:
    script = Script(status(429, **{"Retry-After": "3600"}), ok)
    t0 = time.monotonic()
    with pytest.raises(APIError) as info:
        sdk(script).job_status.get_job_status(id=1)
    assert time.monotonic() - t0 < 1
    assert len(script.calls) == 1
    assert info.value.headers["retry-after"] == "3600"


def test_retry_after_cap_is_configurable() -> None:
    retry = RetryConfig(backoff=FAST.backoff, max_retry_after_ms=100)
    assert retries.next_delay(retry, 1, _resp(**{"Retry-After": "0.05"})) == 0.05
    assert retries.next_delay(retry, 1, _resp(**{"Retry-After": "1"})) is None


# -- backoff -------------------------------------------------------------------------------------


def test_backoff_is_exponential_with_jitter_and_capped() -> None:
    retry = RetryConfig(backoff=BackoffStrategy(initial_interval=100, max_interval=1000, exponent=2))
    for attempt, base in [(1, 0.1), (2, 0.2), (3, 0.4), (4, 0.8), (5, 1.0), (40, 1.0)]:
        delays = {retries.backoff_seconds(retry, attempt) for _ in range(200)}
        assert all(base / 2 <= d <= base for d in delays), (attempt, min(delays), max(delays))
        assert len(delays) > 100  # jittered, not a fixed value
    # A huge attempt number does not overflow.
    assert retries.backoff_seconds(retry, 10_000) <= 1.0


def test_retry_config_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryConfig(max_attempts=0)
    with pytest.raises(ValueError, match="max_retry_after_ms"):
        RetryConfig(max_retry_after_ms=-1)
    with pytest.raises(ValueError, match="exponent"):
        BackoffStrategy(exponent=0.5)
    with pytest.raises(ValueError, match="strategy"):
        RetryConfig(strategy="forever")  # type: ignore[arg-type]


# -- 401 and token renewal -----------------------------------------------------------------------


def test_static_token_401_is_final() -> None:
    script = Script(status(401, body={"detail": "bad token"}), ok)
    with pytest.raises(APIError) as info:
        sdk(script).job_status.get_job_status(id=1)
    assert len(script.calls) == 1 and info.value.status_code == 401


def test_callable_token_renewed_once_after_401() -> None:
    tokens = iter(["old", "new", "new", "new"])
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("token"))
        return ok() if request.headers.get("token") == "new" else status(401, body={"detail": "expired"})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    wf = Workflows(server_url="https://alation.test", token=lambda: next(tokens), client=client)
    assert wf.job_status.get_job_status(id=1).status == "successful"
    assert seen == ["old", "new"]
