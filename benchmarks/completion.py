"""Comparison 2: how soon after a job finishes each SDK returns, and how many status requests it sent.

For each job duration, this SDK (`create_documents(...).wait()`, default poll config) and
allie-sdk 2.2.3 (`document.create_documents`, which polls by itself) each submit one document at
the same moment from two threads, against the same simulator process. Lag is measured on
CLOCK_MONOTONIC, which the simulator's job clock also uses: lag = client return time - the job's
finish time (created + duration) read from the simulator. allie-sdk sleeps 1 s after it sees the
job end, so for it both "detected" (last status response received) and "returned" are reported.
Durations are real wall-clock time (no clock scaling: both SDKs sleep on the real clock); the 30 s
job runs once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from .servers import TOKEN, ServerProcess

STATUS_PATH = "/api/v1/bulk_metadata/job/"


def target(duration: float) -> float:
    """Lag target (s): the poll schedule promises max(100 ms, a third of the job's age)."""
    return max(0.1, duration / 3)


# Status-request budget per job duration (issue 17); durations not listed have none.
REQUEST_BUDGET = {5.0: 14, 30.0: 20, 600.0: 40}


Runner = tuple[Callable[[], dict[str, Any]], Callable[[], None]]  # (one timed job, close)


def _ours(url: str) -> Runner:
    from alation_workflows import Workflows, models

    wf = Workflows(server_url=url, token=TOKEN)

    def one() -> dict[str, Any]:
        t0 = time.monotonic()
        job = wf.documents.create_documents(request=[models.DocumentIn(title="lag probe", document_hub_id=1)])
        details = job.wait(timeout=600)
        t1 = time.monotonic()
        assert (
            str(details.status.value if hasattr(details.status, "value") else details.status) == "successful"
        )
        return {"job_id": job.id, "start": t0, "detected": t1, "returned": t1, "client_polls": job.polls}

    return one, wf.close


def _allie(url: str) -> Runner:
    import allie_sdk

    alation = allie_sdk.Alation(host=url, user_id=1, access_token=TOKEN)
    seen: list[tuple[float, str, Any]] = []

    def hook(response: Any, *args: Any, **kwargs: Any) -> None:
        t = time.monotonic()
        if response.request.method == "POST":
            seen.append((t, "submit", response.json()))
        elif STATUS_PATH in response.request.url:
            seen.append((t, "status", None))

    alation.document.session.hooks["response"].append(hook)

    def one() -> dict[str, Any]:
        seen.clear()
        t0 = time.monotonic()
        result = alation.document.create_documents(
            [allie_sdk.DocumentPostItem(title="lag probe", document_hub_id=1)]
        )
        t1 = time.monotonic()
        assert result and result[0].status == "successful", result
        submit = next(body for _, kind, body in seen if kind == "submit")
        polls = [t for t, kind, _ in seen if kind == "status"]
        return {
            "job_id": submit["job_id"],
            "start": t0,
            "detected": polls[-1],
            "returned": t1,
            "client_polls": len(polls),
        }

    return one, alation.document.session.close


def _side_by_side(
    runners: dict[str, Callable[[], dict[str, Any]]], timeout: float
) -> tuple[dict[str, dict[str, Any]], dict[str, BaseException]]:
    """Start every SDK's run at the same moment, one thread each; collect results and errors."""
    results: dict[str, dict[str, Any]] = {}
    errors: dict[str, BaseException] = {}

    def go(name: str, fn: Callable[[], dict[str, Any]]) -> None:
        try:
            results[name] = fn()
        except BaseException as exc:  # reported in the row; the other SDK's run still counts
            errors[name] = exc

    threads = [threading.Thread(target=go, args=item, daemon=True) for item in runners.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return results, errors


def run(sim: ServerProcess, plan: list[tuple[float, int]]) -> dict[str, Any]:
    """`plan`: (job duration in seconds, repetitions)."""
    made = {"alation-workflows": _ours(sim.url)}
    allie_error = None
    try:
        made["allie-sdk 2.2.3"] = _allie(sim.url)
    except ImportError as exc:
        allie_error = f"allie-sdk not installed ({exc}); install the `bench` extra"
    runners = {name: one for name, (one, _) in made.items()}
    rows: list[dict[str, Any]] = []
    try:
        for duration, reps in plan:
            sim.command(op="duration", seconds=duration)
            for rep in range(reps):
                results, errors = _side_by_side(runners, timeout=duration * 3 + 60)
                for name in runners:
                    if name in errors or name not in results:
                        rows.append(
                            {"sdk": name, "duration": duration, "rep": rep, "error": repr(errors.get(name))}
                        )
                        continue
                    r = results[name]
                    job = sim.command(op="job", id=r["job_id"])
                    server_polls = sim.command(op="status_requests", job_id=r["job_id"])["count"]
                    rows.append(
                        {
                            "sdk": name,
                            "duration": duration,
                            "rep": rep,
                            "lag_detected": r["detected"] - job["finishes"],
                            "lag_returned": r["returned"] - job["finishes"],
                            "status_requests": server_polls,
                            "client_polls": r["client_polls"],
                        }
                    )
    finally:
        sim.command(op="duration", seconds=0.0)
        for _, close in made.values():
            close()
    return {"rows": rows, "plan": plan, "allie_error": allie_error}
