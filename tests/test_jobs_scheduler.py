"""Many waits on one client share one poller and one request budget (simulator over loopback HTTP)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import pytest

from alation_workflows import PollConfig, Workflows, models
from alation_workflows.jobs import JobHandle, wait_all, wait_all_async
from alation_workflows.jobs.pacing import RequestBudget
from alation_workflows.jobs.scheduler import MAX_IN_FLIGHT, scheduler_of
from alation_workflows.testing.pytest_plugin import ServedSimulator

JOB_PATH = "/api/v1/bulk_metadata/job/"
RATE = 50.0  # requests per second: low enough to bind, high enough for a short test
POLL = PollConfig(
    initial_interval=0.05, max_interval=0.5, lag_ratio=0.33, timeout=60, requests_per_second=RATE
)


class Recorder:
    """When each status request left the client (an httpx event hook), and how many were in flight."""

    def __init__(self) -> None:
        self.sent: list[float] = []
        self.slots: list[float] = []  # what the client's budget booked
        self.in_flight = 0
        self.peak = 0
        self.lock = threading.Lock()

    def on_request(self, request: httpx.Request) -> None:
        if request.url.path == JOB_PATH:
            with self.lock:
                self.sent.append(time.monotonic())
                self.in_flight += 1
                self.peak = max(self.peak, self.in_flight)

    def on_response(self, response: httpx.Response) -> None:
        if response.request.url.path == JOB_PATH:
            with self.lock:
                self.in_flight -= 1

    async def aon_request(self, request: httpx.Request) -> None:
        self.on_request(request)

    async def aon_response(self, response: httpx.Response) -> None:
        self.on_response(response)

    def busiest_second(self) -> int:
        """Most status requests sent within any one-second window."""
        times = sorted(self.sent)
        best, lo = 0, 0
        for hi, t in enumerate(times):
            while t - times[lo] >= 1.0:
                lo += 1
            best = max(best, hi - lo + 1)
        return best


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    rec = Recorder()
    reserve = RequestBudget.reserve

    def booked(self: RequestBudget, now: float) -> float:
        slot = reserve(self, now)
        if self.rate == RATE:
            rec.slots.append(slot)
        return slot

    monkeypatch.setattr(RequestBudget, "reserve", booked)
    return rec


@pytest.fixture
def wf(alation_server: ServedSimulator, recorder: Recorder) -> Iterator[Workflows]:
    client = httpx.Client(event_hooks={"request": [recorder.on_request], "response": [recorder.on_response]})
    aclient = httpx.AsyncClient(
        event_hooks={"request": [recorder.aon_request], "response": [recorder.aon_response]}
    )
    with Workflows(
        server_url=alation_server.url,
        token=alation_server.token,
        poll_config=POLL,
        client=client,
        async_client=aclient,
    ) as c:
        yield c


def doc(i: int) -> list[models.DocumentIn]:
    return [models.DocumentIn(title=f"doc {i}", document_hub_id=1)]


def within_budget(recorder: Recorder) -> None:
    # Exact: every status request took a slot, and the slots are at least 1/RATE apart.
    slots = sorted(recorder.slots)
    assert len(slots) == len(recorder.sent)
    assert all(b - a >= 1 / RATE - 1e-9 for a, b in zip(slots, slots[1:], strict=False))
    # On the wire, a send delayed by a busy CPU (9 sessions share 2 cores) can slip into the next
    # slot's second: 10 % slack there, and only there.
    assert recorder.busiest_second() <= RATE * 1.1 + 1, recorder.busiest_second()


async def test_gather_of_200_waits_shares_one_scheduler_and_the_budget(
    wf: Workflows, alation_server: ServedSimulator, recorder: Recorder
) -> None:
    alation_server.sim.set_job_duration(0.3)
    handles = await asyncio.gather(*(wf.documents.create_documents_async(request=doc(i)) for i in range(200)))
    waits = [asyncio.ensure_future(h.wait()) for h in handles]
    await asyncio.sleep(0)
    scheduler = scheduler_of(wf)
    assert len(scheduler.heap) == 200  # one poller holds every wait's job; no task sleeps per job
    done = await asyncio.wait_for(asyncio.gather(*waits), timeout=60)
    assert all(d.result.created_term_count == 1 for d in done)
    assert len(recorder.sent) == sum(h.polls for h in handles) >= 200
    within_budget(recorder)
    assert recorder.peak <= MAX_IN_FLIGHT
    assert not scheduler.heap and not scheduler.polls


async def test_wait_all_async_and_single_waits_share_the_budget(
    wf: Workflows, alation_server: ServedSimulator, recorder: Recorder
) -> None:
    alation_server.sim.set_job_duration(0.2)
    many = [await wf.documents.create_documents_async(request=doc(i)) for i in range(120)]
    one = await wf.documents.create_documents_async(request=doc(999))
    outcomes, single = await asyncio.wait_for(
        asyncio.gather(wait_all_async(many, concurrency=4), one.wait()), timeout=60
    )
    assert all(o.ok for o in outcomes) and single.result.created_term_count == 1
    within_budget(recorder)
    # Earliest due first: the lone wait is not starved behind the 120 others.
    assert one.polls <= max(h.polls for h in many)


def test_sync_waits_from_threads_and_wait_all_share_the_budget(
    wf: Workflows, alation_server: ServedSimulator, recorder: Recorder
) -> None:
    alation_server.sim.set_job_duration(0.2)
    handles = [wf.documents.create_documents(request=doc(i)) for i in range(80)]
    errors: list[BaseException] = []

    def wait_some(part: Sequence[JobHandle[Any, Any]]) -> None:
        try:
            for h in part:
                h.wait()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=wait_some, args=(handles[i:40:4],)) for i in range(4)]
    for t in threads:
        t.start()
    outcomes = wait_all(handles[40:], concurrency=4)
    for t in threads:
        t.join(timeout=60)
    assert not errors and all(o.ok for o in outcomes)
    assert all(h.done for h in handles)
    within_budget(recorder)


async def test_a_cancelled_wait_leaves_the_scheduler(wf: Workflows, alation_server: ServedSimulator) -> None:
    alation_server.sim.set_job_duration(30)
    handle = await wf.documents.create_documents_async(request=doc(1))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(handle.wait(), timeout=0.3)
    polls = handle.polls
    await asyncio.sleep(0.5)
    assert handle.polls == polls  # nobody polls for a wait that was given up
    assert not scheduler_of(wf).heap
