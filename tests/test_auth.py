"""RefreshTokenAuth against a fake token endpoint (httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from alation_workflows import Workflows
from alation_workflows.auth import TOKEN_PATH, RefreshTokenAuth, RefreshTokenError
from alation_workflows.errors import ProblemDetailsError

REFRESH = "rT-very-secret-refresh-token"


class TokenServer:
    """Issues access tokens for REFRESH; job-status answers 401 for unknown or revoked tokens."""

    def __init__(self, lifetime: timedelta = timedelta(hours=24), delay: float = 0.0) -> None:
        self.lifetime = lifetime
        self.delay = delay
        self.issued: list[str] = []
        self.valid: set[str] = set()
        self.token_requests: list[httpx.Request] = []
        self.seen_tokens: list[str | None] = []
        self.lock = threading.Lock()
        self.token_faults: list[int] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN_PATH:
            self.token_requests.append(request)
            if self.token_faults:
                return httpx.Response(self.token_faults.pop(0), json={"detail": "busy"})
            assert "token" not in {k.lower() for k in request.headers}
            body = json.loads(request.content)
            if body != {"refresh_token": REFRESH, "user_id": 7}:
                return httpx.Response(
                    401, json={"detail": "Refresh token provided is invalid.", "code": "401000"}
                )
            time.sleep(self.delay)
            with self.lock:
                token = f"access-{len(self.issued) + 1}"
                self.issued.append(token)
                self.valid.add(token)
            now = datetime(2024, 6, 20, 13, 0, tzinfo=UTC)  # server clock, unrelated to ours
            return httpx.Response(
                200,
                json={
                    "api_access_token": token,
                    "user_id": 7,
                    "created_at": now.isoformat(),
                    "token_expires_at": (now + self.lifetime).isoformat(),
                    "token_status": "ACTIVE",
                },
            )
        token = request.headers.get("TOKEN")
        self.seen_tokens.append(token)
        if token not in self.valid:
            return httpx.Response(401, json={"detail": "Authentication failed"})
        return httpx.Response(200, json={"status": "running", "msg": "", "result": None})

    def expire_all(self) -> None:
        self.valid.clear()

    def client(self, auth: RefreshTokenAuth, **kwargs: Any) -> Workflows:
        transport = httpx.MockTransport(self.handler)
        return Workflows(
            server_url="https://alation.test",
            token=auth,
            client=httpx.Client(transport=transport),
            async_client=httpx.AsyncClient(transport=transport),
            **kwargs,
        )


def test_creates_caches_and_sends_the_access_token() -> None:
    server = TokenServer()
    auth = RefreshTokenAuth(REFRESH, user_id=7)
    with server.client(auth) as wf:
        for _ in range(3):
            wf.job_status.get_job_status(id=1)
    assert len(server.token_requests) == 1
    assert server.seen_tokens == ["access-1"] * 3
    assert auth.expires_at == datetime(2024, 6, 21, 13, 0, tzinfo=UTC)


def test_renews_once_after_a_401_and_retries() -> None:
    server = TokenServer()
    auth = RefreshTokenAuth(REFRESH, user_id=7)
    with server.client(auth) as wf:
        wf.job_status.get_job_status(id=1)
        server.expire_all()  # e.g. revoked, or the instance restarted
        status = wf.job_status.get_job_status(id=1)
    assert status.status == "running"
    assert server.seen_tokens == ["access-1", "access-1", "access-2"]
    assert len(server.token_requests) == 2


def test_renews_ahead_of_expiry() -> None:
    server = TokenServer(lifetime=timedelta(seconds=0.5))
    auth = RefreshTokenAuth(REFRESH, user_id=7)  # renews a tenth of the life (0.05 s) early
    with server.client(auth) as wf:
        wf.job_status.get_job_status(id=1)
        wf.job_status.get_job_status(id=1)
        time.sleep(0.46)
        wf.job_status.get_job_status(id=1)
    assert server.seen_tokens == ["access-1", "access-1", "access-2"]  # no 401 round trip needed


def test_invalid_refresh_token_raises_a_clear_error_without_the_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = TokenServer()
    auth = RefreshTokenAuth("wrong-" + REFRESH, user_id=7)
    with caplog.at_level(logging.DEBUG, logger="test.auth"):
        with server.client(auth, debug_logger=logging.getLogger("test.auth")) as wf:
            with pytest.raises(RefreshTokenError) as caught:
                wf.job_status.get_job_status(id=1)
    err = caught.value
    assert err.status_code == 401 and err.code == "401000"
    assert err.detail == "Refresh token provided is invalid."
    assert "Refresh token provided is invalid." in str(err)
    assert err.__cause__ is None and err.__context__ is None
    texts = [str(err), repr(err), repr(auth), str(vars(auth)), caplog.text]
    assert caplog.text  # debug logging was on
    for text in texts:
        assert REFRESH not in text


def test_transient_token_endpoint_errors_are_retried_and_network_errors_are_typed() -> None:
    from alation_workflows import RetryConfig
    from alation_workflows.utils import BackoffStrategy

    server = TokenServer()
    server.token_faults = [429]
    fast = RetryConfig(backoff=BackoffStrategy(initial_interval=1, max_interval=2))
    with server.client(RefreshTokenAuth(REFRESH, user_id=7), retry_config=fast) as wf:
        assert wf.job_status.get_job_status(id=1).status == "running"
    assert len(server.token_requests) == 2

    # The spec's policy for createApiAccessToken (x-retries: submit): a 503 is not retried.
    server = TokenServer()
    server.token_faults = [503]
    with server.client(RefreshTokenAuth(REFRESH, user_id=7), retry_config=fast) as wf:
        with pytest.raises(RefreshTokenError, match="HTTP 503") as refused:
            wf.job_status.get_job_status(id=1)
    assert len(server.token_requests) == 1 and refused.value.status_code == 503

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    auth = RefreshTokenAuth(REFRESH, user_id=7)
    wf = Workflows(
        server_url="https://alation.test",
        token=auth,
        client=httpx.Client(transport=httpx.MockTransport(refuse)),
        retry_config=fast,
    )
    with wf, pytest.raises(RefreshTokenError, match="could not reach") as caught:
        wf.job_status.get_job_status(id=1)
    assert caught.value.status_code is None and caught.value.__context__ is None


def test_a_401_after_renewal_is_final() -> None:
    server = TokenServer()
    auth = RefreshTokenAuth(REFRESH, user_id=7)
    real = server.handler

    def always_401(request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN_PATH:
            return real(request)
        return httpx.Response(401, json={"detail": "Authentication failed"})

    server.handler = always_401  # type: ignore[method-assign]
    with server.client(auth) as wf, pytest.raises(ProblemDetailsError) as caught:
        wf.job_status.get_job_status(id=1)
    assert caught.value.status_code == 401
    assert len(server.token_requests) == 2  # first token, one renewal, no loop


def test_threads_share_one_renewal() -> None:
    server = TokenServer(delay=0.05)
    auth = RefreshTokenAuth(REFRESH, user_id=7)
    with server.client(auth) as wf:
        errors: list[BaseException] = []

        def call() -> None:
            try:
                wf.job_status.get_job_status(id=1)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=call) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(5)
        assert not errors
        assert len(server.token_requests) == 1
        server.expire_all()
        threads = [threading.Thread(target=call) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(5)
    assert not errors
    assert len(server.token_requests) == 2  # eight 401s, one renewal


async def test_tasks_share_one_renewal() -> None:
    server = TokenServer(delay=0.02)
    auth = RefreshTokenAuth(REFRESH, user_id=7)
    async with server.client(auth) as wf:
        await asyncio.gather(*(wf.job_status.get_job_status_async(id=1) for _ in range(10)))
        assert len(server.token_requests) == 1
        server.expire_all()
        await asyncio.gather(*(wf.job_status.get_job_status_async(id=1) for _ in range(10)))
    assert len(server.token_requests) == 2
    assert set(server.seen_tokens[-10:]) == {"access-2"}


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="refresh_token"):
        RefreshTokenAuth("  ", user_id=1)
    with pytest.raises(ValueError, match="user_id"):
        RefreshTokenAuth(REFRESH, user_id=0)
    with pytest.raises(RuntimeError, match="not bound"):
        RefreshTokenAuth(REFRESH, user_id=1).get_token()


def test_the_token_request_goes_through_the_runtime_without_redirects_or_echoes() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path == TOKEN_PATH:
            return httpx.Response(307, headers={"Location": "https://alation.test/elsewhere/"})
        return httpx.Response(200, json={"status": "running"})  # pragma: no cover - not reached

    wf = Workflows(
        server_url="https://alation.test",
        token=RefreshTokenAuth(REFRESH, user_id=7),
        client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with wf, pytest.raises(RefreshTokenError, match="HTTP 307") as caught:
        wf.job_status.get_job_status(id=1)
    assert [r.url.path for r in sent] == [TOKEN_PATH]  # the refresh token was not re-posted
    assert REFRESH not in str(caught.value)

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"detail": f"bad {json.loads(request.content)['refresh_token']}"})

    wf = Workflows(
        server_url="https://alation.test",
        token=RefreshTokenAuth(REFRESH, user_id=7),
        client=httpx.Client(transport=httpx.MockTransport(echo)),
    )
    with wf, pytest.raises(RefreshTokenError) as caught:
        wf.job_status.get_job_status(id=1)
    err = caught.value
    assert err.status_code == 400 and "<redacted>" in str(err) or "[REDACTED]" in str(err)
    for text in (str(err), repr(err), repr(vars(err)), err.detail or ""):
        assert REFRESH not in text
