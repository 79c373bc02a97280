"""The default poll schedule's load budget and lag bound, counted on a fake clock (no real waiting).

A fake Alation answers `running` until the fake clock passes the job's end; the sync poller
sleeps on the same fake clock, so every status request and its time are exact.
"""

from __future__ import annotations

import httpx
import pytest

from alation_workflows import PollConfig, Workflows
from alation_workflows.jobs import JobHandle
from alation_workflows.jobs.pacing import RequestBudget, Timer
from alation_workflows.jobs.waiting import wait_one

DEFAULT = Workflows.DEFAULT_POLL  # the generated client's choice (openapi/gen.yaml)


class FakeTimer(Timer):
    def __init__(self) -> None:
        self.t = 1000.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)


def run_job(duration: float, config: PollConfig = DEFAULT) -> tuple[list[float], float]:
    """Wait on one job lasting `duration` fake seconds; returns the request times (job ages) and the lag."""
    timer = FakeTimer()
    start = timer.t
    asked: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        age = timer.t - start
        asked.append(age)
        status = "successful" if age >= duration else "running"
        result = {"created_term_count": 0, "created_terms": []} if status == "successful" else None
        return httpx.Response(200, json={"status": status, "msg": "", "result": result})

    transport = httpx.MockTransport(handler)
    with Workflows(
        server_url="https://alation.test",
        token="t",
        client=httpx.Client(transport=transport),
        poll_config=config,
    ) as wf:
        handle = JobHandle.resume(wf, 7, operation="createDocuments")
        handle.created = start  # submitted at the fake clock's start
        wait_one(handle, None, None, True, True, None, timer=timer)
    return asked, asked[-1] - duration


@pytest.mark.parametrize(("duration", "budget"), [(5.0, 14), (30.0, 20), (600.0, 40)])
def test_default_schedule_stays_within_the_request_budget(duration: float, budget: int) -> None:
    asked, _ = run_job(duration)
    assert len(asked) <= budget, (duration, len(asked), asked)
    # Not met by polling rarely at the end: every job shorter than this one costs no more.
    for shorter in (duration / 7, duration / 3, duration / 2, duration * 0.9):
        assert len(run_job(shorter)[0]) <= len(asked)


@pytest.mark.parametrize("duration", [0.0, 0.05, 0.2, 0.31, 1.0, 2.5, 5.0, 7.7, 30.0, 95.0, 600.0, 3000.0])
def test_default_schedule_sees_the_end_within_a_third_of_the_age(duration: float) -> None:
    asked, lag = run_job(duration)
    assert lag <= max(0.1, duration / 3), (duration, lag, asked)
    gaps = [b - a for a, b in zip(asked, asked[1:], strict=False)]
    # Every wait is within the documented bounds: >= initial_interval, <= max_interval.
    assert all(DEFAULT.initial_interval - 1e-9 <= g <= DEFAULT.max_interval + 1e-9 for g in gaps), gaps


def test_the_first_request_waits_initial_interval_and_lag_ratio_zero_is_plain_backoff() -> None:
    asked, _ = run_job(0.0)
    assert asked == [pytest.approx(DEFAULT.initial_interval)]
    backoff = PollConfig(initial_interval=1.0, multiplier=2.0, max_interval=8.0, lag_ratio=0, timeout=100)
    asked, _ = run_job(40.0, backoff)
    gaps = [round(b - a, 6) for a, b in zip(asked, asked[1:], strict=False)]
    assert gaps[:5] == [1.0, 2.0, 4.0, 8.0, 8.0]


def test_the_old_schedule_would_have_blown_the_budget() -> None:
    # The former default (10 % of the age, 5 s cap) as a check that the counts above can fail.
    old = PollConfig(initial_interval=0.05, multiplier=1.5, max_interval=5.0, lag_ratio=0.1)
    assert len(run_job(30.0, old)[0]) > 20


def test_request_budget_spaces_slots_first_come_first_served() -> None:
    budget = RequestBudget(20.0)
    slots = [budget.reserve(10.0) for _ in range(5)]
    assert slots == pytest.approx([10.0, 10.05, 10.1, 10.15, 10.2])
    assert budget.reserve(11.0) == 11.0  # idle time is not saved up into a burst
    assert RequestBudget(0).reserve(3.0) == 3.0
    with pytest.raises(ValueError, match=">= 0"):
        RequestBudget(-1)
    with pytest.raises(ValueError, match="requests_per_second"):
        PollConfig(requests_per_second=-2)
