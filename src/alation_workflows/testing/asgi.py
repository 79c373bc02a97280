"""The starlette application: one route per Alation path, each a thin adapter over `Simulator.handle`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route as StarletteRoute
from starlette.types import Receive, Scope, Send

from .routes import Route, routes
from .validation import AnswerMismatch
from .wire import SimRequest, SimResponse, too_large

if TYPE_CHECKING:
    from .simulator import Simulator

# Closes the client connection of a request without answering; installed by the uvicorn runner.
Dropper = Callable[[Scope], bool]

_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def build_app(sim: Simulator) -> Starlette:
    """The app answering for `sim`; `app.state.sim` may be swapped to serve another simulator."""
    table = [
        StarletteRoute(route.path, endpoint=_endpoint(route), methods=[route.method]) for route in routes()
    ]
    # Anything else: the simulator's own 404/405 bodies (and no slash-redirects: paths are byte-exact).
    table.append(StarletteRoute("/{rest:path}", endpoint=_endpoint(None), methods=_METHODS))
    app = Starlette(routes=table)
    app.state.sim = sim
    app.state.dropper = None
    return app


def _endpoint(route: Route | None) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> _Reply:
        sim: Simulator = request.app.state.sim
        body = await _read_body(request, sim.max_body_bytes)
        if body is None:
            return _Reply(SimResponse.json(413, too_large(sim.max_body_bytes)), None, close=True)
        sim_request = SimRequest.build(
            request.method, request.url.path, request.url.query, dict(request.headers), body
        )
        params = route.params(request.url.path) if route is not None else None
        try:
            # In a worker thread: parsing and validating a large upload must not stall the event loop.
            answer = await run_in_threadpool(sim.handle, sim_request, route, params)
        except AnswerMismatch as mismatch:  # the client sees why (in-process callers get the exception)
            answer = SimResponse.json(500, {"detail": str(mismatch)})
        return _Reply(answer, request.app.state.dropper)

    return endpoint


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it (or its declared length) exceeds `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class _Reply:
    """A raw ASGI response that can also hold, truncate or drop the answer."""

    def __init__(self, answer: SimResponse, dropper: Dropper | None, *, close: bool = False) -> None:
        self.answer = answer
        self.dropper = dropper
        self.close = close  # the request body was not read to its end: the connection cannot be reused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = self.answer
        if answer.delay > 0:
            await asyncio.sleep(answer.delay)
        if answer.drop:
            if self.dropper is not None and self.dropper(scope):
                await asyncio.sleep(0)  # let the server notice the closed connection
                return
            raise ConnectionAbortedError("drop fault: no server hook to close the connection")
        headers = [(k.lower().encode(), v.encode()) for k, v in answer.headers.items()]
        headers.append((b"content-length", str(len(answer.body)).encode()))
        if self.close:
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        if answer.truncate:
            await send(
                {
                    "type": "http.response.body",
                    "body": answer.body[: len(answer.body) // 2],
                    "more_body": True,
                }
            )
            if self.dropper is not None and self.dropper(scope):
                await asyncio.sleep(0)
                return
            raise ConnectionAbortedError("truncated fault: connection closed mid-body")
        await send({"type": "http.response.body", "body": answer.body})
