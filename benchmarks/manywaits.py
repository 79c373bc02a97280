"""Comparison 2b: many jobs waited at once on one client: request rate, CPU per request, completion.

`jobs` documents jobs (each `duration` s on the simulator) are submitted, then awaited three
ways on one client with the default PollConfig: `wait_all_async`, `asyncio.gather` of each
handle's `wait()`, and sync `wait_all`. Per mode: the status requests the simulator counted,
the busiest one-second window of requests as the client sent them (httpx event hook), the
client's CPU time per status request, and how long after the last job ended the wait returned.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from .servers import TOKEN, ServerProcess

STATUS_PATH = "/api/v1/bulk_metadata/job/"


def _busiest_second(times: list[float]) -> int:
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= 1.0:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def _one(sim: ServerProcess, mode: str, jobs: int, duration: float) -> dict[str, Any]:
    from alation_workflows import Workflows, models
    from alation_workflows.jobs import wait_all, wait_all_async

    sent: list[float] = []

    def hook(request: httpx.Request) -> None:
        if request.url.path == STATUS_PATH:
            sent.append(time.monotonic())

    async def ahook(request: httpx.Request) -> None:
        hook(request)

    docs = [models.DocumentIn(title="many waits", document_hub_id=1)]
    sim.command(op="clear")
    sim.command(op="duration", seconds=duration)
    budget = Workflows.DEFAULT_POLL.requests_per_second
    if mode == "sync wait_all":
        with Workflows(
            server_url=sim.url, token=TOKEN, client=httpx.Client(event_hooks={"request": [hook]})
        ) as wf:
            handles = [wf.documents.create_documents(request=docs) for _ in range(jobs)]
            c0, t0 = time.process_time(), time.monotonic()
            outcomes = wait_all(handles)
            cpu, t1 = time.process_time() - c0, time.monotonic()
        ok = sum(o.ok for o in outcomes)
    else:

        async def go() -> tuple[int, float, float, float]:
            aclient = httpx.AsyncClient(event_hooks={"request": [ahook]})
            async with Workflows(server_url=sim.url, token=TOKEN, async_client=aclient) as wf:
                handles = [await wf.documents.create_documents_async(request=docs) for _ in range(jobs)]
                c0, t0 = time.process_time(), time.monotonic()
                if mode == "wait_all_async":
                    outs = await wait_all_async(handles)
                    good = sum(o.ok for o in outs)
                else:
                    done = await asyncio.gather(*(h.wait() for h in handles), return_exceptions=True)
                    good = sum(not isinstance(d, BaseException) for d in done)
                return good, time.process_time() - c0, t0, time.monotonic()

        ok, cpu, t0, t1 = asyncio.run(go())
    by_path = sim.command(op="count")["by_path"]
    requests = by_path.get(STATUS_PATH, 0)
    return {
        "mode": mode,
        "jobs": jobs,
        "duration": duration,
        "ok": ok,
        "status_requests": requests,
        "wall": t1 - t0,
        "busiest_second": _busiest_second(sent),
        "budget": budget,
        "cpu_ms_per_request": cpu / max(1, requests) * 1e3,
        "cpu": cpu,
    }


def run(sim: ServerProcess, jobs: int, duration: float, reps: int) -> dict[str, Any]:
    rows = []
    modes = ("wait_all_async", "gather of wait()", "sync wait_all")
    try:
        for rep in range(reps):
            for mode in modes[rep % 3 :] + modes[: rep % 3]:
                rows.append({**_one(sim, mode, jobs, duration), "rep": rep})
    finally:
        sim.command(op="duration", seconds=0.0)
        sim.command(op="clear")
    return {"rows": rows, "jobs": jobs, "duration": duration, "reps": reps}
