"""In-process httpx transport (sync and async): the simulator's pipeline without sockets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx

from .wire import SimRequest, SimResponse

if TYPE_CHECKING:
    from .simulator import Simulator

_DROPPED = "Server disconnected without sending a response."
_TRUNCATED = "peer closed connection without sending complete message body (incomplete read)"


class _TruncatedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Yields part of the body, then fails the way a connection closed mid-body does."""

    def __init__(self, part: bytes, request: httpx.Request) -> None:
        self._part = part
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        yield self._part
        raise httpx.RemoteProtocolError(_TRUNCATED, request=self._request)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._part
        raise httpx.RemoteProtocolError(_TRUNCATED, request=self._request)


class SimulatorTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Pass to `httpx.Client(transport=...)` or `httpx.AsyncClient(transport=...)`.

    Faults behave as over a socket: a drop raises `httpx.RemoteProtocolError`, a truncated body
    raises it while reading, and a delay longer than the request's read timeout raises
    `httpx.ReadTimeout` (after the request was processed, as on a real server).
    """

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.sim.handle(_to_sim(request, request.read()))
        wait, timed_out = _wait(answer, request)
        if wait:
            time.sleep(wait)
        return _deliver(answer, request, timed_out)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.sim.handle(_to_sim(request, await request.aread()))
        wait, timed_out = _wait(answer, request)
        if wait:
            await asyncio.sleep(wait)
        return _deliver(answer, request, timed_out)


def _to_sim(request: httpx.Request, body: bytes) -> SimRequest:
    query = request.url.query.decode("ascii", errors="replace")
    return SimRequest.build(request.method, request.url.path, query, dict(request.headers), body)


def _wait(answer: SimResponse, request: httpx.Request) -> tuple[float, bool]:
    """How long to hold the response, and whether the client's read timeout expires first."""
    if answer.delay <= 0:
        return 0.0, False
    timeouts: dict[str, float | None] = request.extensions.get("timeout") or {}
    read_timeout = timeouts.get("read")
    if read_timeout is not None and answer.delay > read_timeout:
        return float(read_timeout), True
    return answer.delay, False


def _deliver(answer: SimResponse, request: httpx.Request, timed_out: bool) -> httpx.Response:
    if timed_out:
        raise httpx.ReadTimeout("timed out", request=request)
    if answer.drop:
        raise httpx.RemoteProtocolError(_DROPPED, request=request)
    headers = {**answer.headers, "content-length": str(len(answer.body))}
    if answer.truncate:
        stream = _TruncatedStream(answer.body[: len(answer.body) // 2], request)
        return httpx.Response(answer.status, headers=headers, stream=stream, request=request)
    return httpx.Response(answer.status, headers=headers, content=answer.body, request=request)
