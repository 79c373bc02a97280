"""Loopback stub (starlette + uvicorn) answering fixed job-status bodies in two shapes.

`/standardjob/{id}/status` answers ttd-workflows' StandardJobStatusResponse; `/api/v1/bulk_metadata/job/`
answers Alation's job body (`?id=10000`: a job that created 10 000 documents). Same server stack as the simulator, so client overheads compare fairly.
Run as a script: prints `{"url": ...}` on stdout, serves until stdin closes.
"""

from __future__ import annotations

import json
import socket
import sys
import threading

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

TTD_BODY = json.dumps(
    {
        "id": 412651,
        "createdAtUtc": "2024-06-20T13:23:02.456000Z",
        "status": "Success",
        "completedAtUtc": "2024-06-20T13:23:02.698215Z",
        "completionPercentage": 100.0,
        "url": "https://example.invalid/results/412651",
        "rawResult": None,
        "errors": None,
    }
).encode()

ALATION_BODY = json.dumps(
    {
        "status": "successful",
        "msg": "Job finished in 0.242215 seconds at 2024-06-20 13:23:02.698215+00:00",
        "result": {"created_term_count": 1, "created_terms": [{"id": 1325, "title": "My KPI 1"}]},
    }
).encode()


# A finished createDocuments job that created 10 000 documents: what parsing a typed result costs.
BIG_BODY = json.dumps(
    {
        "status": "successful",
        "msg": "Job finished in 9.8 seconds",
        "result": {
            "created_term_count": 10_000,
            "created_terms": [{"id": 100_000 + i, "title": f"Document {i}"} for i in range(10_000)],
        },
    }
).encode()


async def ttd_status(request: Request) -> Response:
    return Response(TTD_BODY, media_type="application/json")


async def alation_status(request: Request) -> Response:
    big = request.query_params.get("id") == "10000"
    return Response(BIG_BODY if big else ALATION_BODY, media_type="application/json")


app = Starlette(
    routes=[
        Route("/standardjob/{id}/status", ttd_status),
        Route("/api/v1/bulk_metadata/job/", alation_status),
    ]
)


def main() -> None:
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets whose proto is TCP, and
    # without it Nagle + delayed ACK add ~40 ms to every keep-alive response.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.01)
    print(json.dumps({"url": f"http://127.0.0.1:{port}"}), flush=True)
    sys.stdin.read()  # serve until the parent closes our stdin
    server.should_exit = True
    thread.join(timeout=5)


if __name__ == "__main__":
    main()
