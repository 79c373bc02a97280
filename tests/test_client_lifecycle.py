"""Client lifecycle: closed clients, first use from many threads, event loops, token lifetimes."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from alation_workflows import Workflows
from alation_workflows.auth import TOKEN_PATH, RefreshTokenAuth
from alation_workflows.errors import ClientClosedError

TOKEN = "lifecycle-token-1"
DONE = {"status": "successful", "msg": "", "result": []}


def _ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=DONE)


def test_a_closed_client_says_so() -> None:
    with Workflows(server_url="https://alation.test", token=TOKEN) as wf:
        pass
    with pytest.raises(ClientClosedError, match="closed"):
        wf.job_status.get_job_status(id=1)
    with pytest.raises(ClientClosedError):
        _ = wf.http_client
    with pytest.raises(ClientClosedError), wf:
        pass  # pragma: no cover - entering a closed client fails


async def test_a_closed_async_client_says_so() -> None:
    async with Workflows(
        server_url="https://alation.test",
        token=TOKEN,
        async_client=httpx.AsyncClient(transport=httpx.MockTransport(_ok)),
    ) as wf:
        await wf.job_status.get_job_status_async(id=1)
    with pytest.raises(ClientClosedError):
        await wf.job_status.get_job_status_async(id=1)


def test_concurrent_first_use_builds_one_http_client() -> None:
    wf = Workflows(server_url="https://alation.test", token=TOKEN)
    built: list[httpx.Client] = []
    start = threading.Barrier(16)

    def first_use() -> None:
        start.wait()
        built.append(wf.http_client)

    threads = [threading.Thread(target=first_use) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(built) == 16 and len({id(c) for c in built}) == 1
    wf.close()


def test_the_async_client_refuses_a_second_running_event_loop() -> None:
    wf = Workflows(server_url="https://alation.test", token=TOKEN)
    first_running = threading.Event()
    release = threading.Event()

    async def hold() -> None:
        _ = wf.async_http_client  # bound to this loop
        first_running.set()
        while not release.is_set():
            await asyncio.sleep(0.01)

    thread = threading.Thread(target=asyncio.run, args=(hold(),))
    thread.start()
    try:
        assert first_running.wait(10)

        async def second() -> None:
            _ = wf.async_http_client

        with pytest.raises(RuntimeError, match="another event loop"):
            asyncio.run(second())
    finally:
        release.set()
        thread.join(10)


def test_a_new_event_loop_after_the_old_one_closed_gets_fresh_connections() -> None:
    wf = Workflows(server_url="https://alation.test", token=TOKEN)

    async def use() -> httpx.AsyncClient:
        return wf.async_http_client

    first = asyncio.run(use())
    second = asyncio.run(use())  # the first loop is closed: its connections are unusable
    assert first is not second


def test_debug_logger_does_not_change_logger_levels() -> None:
    mine = logging.getLogger("test.lifecycle.mine")
    sdk = logging.getLogger("alation_workflows")
    before = (mine.level, sdk.level, list(sdk.handlers))
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    mine.addHandler(keep := Keep())
    mine.setLevel(logging.DEBUG)  # the caller decides what its logger shows
    try:
        client = httpx.Client(transport=httpx.MockTransport(_ok))
        with Workflows(
            server_url="https://alation.test", token=TOKEN, client=client, debug_logger=mine
        ) as wf:
            wf.job_status.get_job_status(id=1)
        assert (sdk.level, list(sdk.handlers)) == before[1:]
        assert any("[REDACTED]" in r.getMessage() for r in records)
        assert not any(TOKEN in r.getMessage() for r in records)
        mine.setLevel(logging.WARNING)
        records.clear()
        with Workflows(
            server_url="https://alation.test", token=TOKEN, client=client, debug_logger=mine
        ) as wf:
            wf.job_status.get_job_status(id=1)
        assert mine.level == logging.WARNING and not records
    finally:
        mine.removeHandler(keep)
        mine.setLevel(before[0])


@pytest.mark.parametrize("lifetime", [timedelta(0), timedelta(seconds=-30)])
def test_refresh_token_auth_with_a_non_positive_lifetime_does_not_mint_per_call(lifetime: timedelta) -> None:
    minted: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN_PATH:
            minted.append(1)
            now = datetime(2024, 6, 20, 13, 0, tzinfo=UTC)
            body = json.loads(request.content)
            return httpx.Response(
                200,
                json={
                    "api_access_token": f"access-{len(minted)}",
                    "user_id": body["user_id"],
                    "created_at": now.isoformat(),
                    "token_expires_at": (now + lifetime).isoformat(),
                    "token_status": "ACTIVE",
                },
            )
        return httpx.Response(200, json=DONE)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    auth = RefreshTokenAuth("refresh-secret-xyz", user_id=3)
    with Workflows(server_url="https://alation.test", token=auth, client=client) as wf:
        for _ in range(5):
            wf.job_status.get_job_status(id=1)
    assert len(minted) == 1  # kept until the server rejects it (a 401 renews it)
