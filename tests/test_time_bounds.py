"""Time bounds hold: a wait ends by its timeout even when a status request hangs, retries stay within
max_elapsed_time, and options that would mean "never" or "at once" are refused up front.

The hangs below last 10 s; each bound asserted is a few seconds under that, so the tests check
that the SDK stopped waiting, not how fast the machine is.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator

import pytest

from alation_workflows import Workflows, models
from alation_workflows.errors import DeadlineExceededError, JobTimeoutError, NetworkError
from alation_workflows.jobs import submit_batches
from alation_workflows.testing import Simulator
from alation_workflows.utils import BackoffStrategy, PollConfig, RetryConfig

JOB = "/api/v1/bulk_metadata/job/"
DOCS = "/integration/v2/document/"
HANG_S = 10.0
POLL = PollConfig(initial_interval=0.02, multiplier=1.5, max_interval=0.1, timeout=60)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Simulator, str]]:
    sim = Simulator(token="time-token")
    with sim.serve() as url:
        yield sim, url


@pytest.fixture
def sim_url(served: tuple[Simulator, str]) -> Iterator[tuple[Simulator, str]]:
    sim, _ = served
    sim.faults.clear()
    sim.set_job_duration(60.0)  # jobs keep running: only the timeout can end the waits below
    yield served
    sim.faults.clear()
    sim.set_job_duration(0.0)


def _client(url: str, **kw: object) -> Workflows:
    return Workflows(server_url=url, token="time-token", timeout_ms=30_000, **kw)  # type: ignore[arg-type]


def _doc() -> list[models.DocumentIn]:
    return [models.DocumentIn(title="KPI", document_hub_id=1)]


def test_wait_ends_in_job_timeout_even_when_a_status_request_hangs(sim_url: tuple[Simulator, str]) -> None:
    sim, url = sim_url
    with _client(url) as wf:
        handle = wf.documents.create_documents(request=_doc())
        sim.faults.inject("delay", path=JOB, seconds=HANG_S, times=1)
        t0 = time.monotonic()
        with pytest.raises(JobTimeoutError) as info:
            handle.wait(timeout=0.5, poll=POLL)
        elapsed = time.monotonic() - t0
    assert elapsed < 0.5 + 3  # not the 30 s request timeout, nor the 10 s hang
    assert info.value.handle is handle
    assert isinstance(info.value.__cause__, DeadlineExceededError)


async def test_async_wait_ends_in_job_timeout_even_when_a_status_request_hangs(
    sim_url: tuple[Simulator, str],
) -> None:
    sim, url = sim_url
    wf = _client(url)
    handle = await wf.documents.create_documents_async(request=_doc())
    sim.faults.inject("delay", path=JOB, seconds=HANG_S, times=1)
    t0 = time.monotonic()
    with pytest.raises(JobTimeoutError) as info:
        await handle.wait(timeout=0.5, poll=POLL)
    assert time.monotonic() - t0 < 0.5 + 3
    assert info.value.handle is handle
    await wf.aclose()


def test_wait_all_bounds_every_job_by_the_shared_deadline(sim_url: tuple[Simulator, str]) -> None:
    from alation_workflows.jobs import wait_all

    sim, url = sim_url
    with _client(url) as wf:
        handles = [wf.documents.create_documents(request=_doc()) for _ in range(3)]
        sim.faults.inject("delay", path=JOB, seconds=HANG_S, times=2)
        t0 = time.monotonic()
        outcomes = wait_all(handles, timeout=0.5, poll=POLL, concurrency=3)
    assert time.monotonic() - t0 < 0.5 + 3
    assert all(isinstance(o.error, JobTimeoutError) for o in outcomes)


def test_max_elapsed_time_is_not_overshot_by_a_request_timeout(sim_url: tuple[Simulator, str]) -> None:
    sim, url = sim_url
    retry = RetryConfig(backoff=BackoffStrategy(initial_interval=10, max_interval=20, max_elapsed_time=800))
    with _client(url, retry_config=retry) as wf:
        handle = wf.documents.create_documents(request=_doc())
        sim.faults.inject("delay", path=JOB, seconds=HANG_S, times=None)
        t0 = time.monotonic()
        with pytest.raises(NetworkError) as info:
            wf.job_status.get_job_status(id=handle.id)
        elapsed = time.monotonic() - t0
    assert elapsed < 0.8 + 3  # the 30 s request timeout was cut to what was left of 0.8 s
    assert not isinstance(info.value, DeadlineExceededError)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, -1.0])
def test_non_finite_or_negative_timeouts_are_refused_before_submitting(
    sim_url: tuple[Simulator, str], bad: float
) -> None:
    sim, url = sim_url
    before = sim.submissions["createDocuments"]
    with _client(url) as wf:
        with pytest.raises(ValueError, match="timeout"):
            submit_batches(wf.documents.create_documents, _doc(), timeout=bad)
        handle = wf.documents.create_documents(request=_doc())
        polls = handle.polls
        with pytest.raises(ValueError, match="timeout"):
            handle.wait(timeout=bad)
        assert handle.polls == polls  # refused before any status request
        with pytest.raises((ValueError, TypeError)):
            wf.job_status.get_job_status(id=handle.id, timeout_ms=bad)  # type: ignore[arg-type]  # int ms: a float is refused
    assert sim.submissions["createDocuments"] - before == 1  # only the explicit submit above


@pytest.mark.parametrize(
    "make",
    [
        # The millisecond options are int: the float ones below are deliberately wrong types.
        lambda: BackoffStrategy(initial_interval=math.nan),  # type: ignore[arg-type]
        lambda: BackoffStrategy(max_elapsed_time=math.inf),  # type: ignore[arg-type]
        lambda: BackoffStrategy(exponent=math.nan),
        lambda: RetryConfig(max_attempts=math.inf),  # type: ignore[arg-type]
        lambda: RetryConfig(max_attempts=True),
        lambda: RetryConfig(max_retry_after_ms=math.nan),  # type: ignore[arg-type]
        lambda: PollConfig(timeout=math.inf),
        lambda: PollConfig(initial_interval=math.nan),
        lambda: Workflows(server_url="https://alation.test", timeout_ms=math.nan),  # type: ignore[arg-type]
        lambda: Workflows(server_url="https://alation.test", retry_config="fast"),  # type: ignore[arg-type]
    ],
)
def test_invalid_options_are_refused_at_construction(make: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        make()  # type: ignore[operator]


def test_wait_timeout_must_be_a_number() -> None:
    from alation_workflows.jobs.waiting import check_wait_timeout

    with pytest.raises(TypeError):
        check_wait_timeout(True)
    with pytest.raises(TypeError):
        check_wait_timeout("5")  # typed `object`: the check itself refuses non-numbers
    check_wait_timeout(0)
    check_wait_timeout(2.5)


def test_a_job_timeout_pickles_without_its_live_handle(sim_url: tuple[Simulator, str]) -> None:
    import pickle

    _, url = sim_url
    with _client(url) as wf:
        handle = wf.documents.create_documents(request=_doc())
        with pytest.raises(JobTimeoutError) as info:
            handle.wait(timeout=0.05, poll=POLL)
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is JobTimeoutError and str(back) == str(info.value)
    assert back.handle is None and back.details is not None  # the client stays behind; details travel
