"""Background jobs: each stays "running" for its duration, then does its work and keeps the result."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# The work a job does when it finishes; returns the job's `result` exactly as Alation sends it.
Work = Callable[[], Any]


class JobFailure(Exception):
    """Raised by a job's work to end the job as "failed" with `result` as its result."""

    def __init__(self, result: Any) -> None:
        super().__init__(repr(result))
        self.result = result


@dataclass
class Job:
    """One background job; `result` is the wire value (a dict, list, JSON string, string or None)."""

    id: int
    operation: str
    work: Work | None
    created: float
    duration: float
    name: str | None = None
    never_finish: bool = False
    fail_with: Any = None  # when set, the job ends "failed" with this result (injected fault)
    status: str = "running"
    result: Any = None
    msg: str = ""
    submitted_at: datetime = field(default_factory=lambda: datetime.now(UTC))  # wall clock, for `msg`
    then: list[Callable[[Job], None]] = field(default_factory=lambda: [])  # Job is not defined yet here

    def body(self) -> dict[str, Any]:
        """The job-status response body."""
        return {"status": self.status, "msg": self.msg, "result": self.result}


class JobRegistry:
    """All jobs by id and by name; finishes due jobs in submission order when asked to settle."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._ids = itertools.count(27801)
        self.by_id: dict[int, Job] = {}
        self.by_name: dict[str, Job] = {}
        self.default_duration = 0.0
        self.durations: dict[str, float] = {}
        self._settling = False

    def submit(
        self,
        operation: str,
        work: Work | None,
        *,
        name_prefix: str | None = None,
        never_finish: bool = False,
        fail_with: Any = None,
    ) -> Job:
        job_id = next(self._ids)
        duration = self.durations.get(operation, self.default_duration)
        job = Job(
            job_id, operation, work, self._clock(), duration, never_finish=never_finish, fail_with=fail_with
        )
        if name_prefix is not None:
            stamp = datetime.now(UTC).strftime("%Y-%m-%d-%H-%M-%S-%f")
            job.name = f"{name_prefix}_{stamp}-00-00-{uuid.uuid4()}"
            self.by_name[job.name] = job
        self.by_id[job_id] = job
        self.settle()
        return job

    def find(self, *, id: int | None = None, name: str | None = None) -> Job | None:
        self.settle()
        return self.by_id.get(id) if id is not None else self.by_name.get(name or "")

    def settle(self) -> None:
        """Finish every running job whose time is up (state changes happen here, in order)."""
        if self._settling:  # a job's work may submit a follow-up job; finish that on the next pass
            return
        self._settling = True
        try:
            now = self._clock()
            for job in list(self.by_id.values()):
                if job.status == "running" and not job.never_finish and now - job.created >= job.duration:
                    self._finish(job)
        finally:
            self._settling = False

    def _finish(self, job: Job) -> None:
        started = time.perf_counter()
        crash: str | None = None
        if job.fail_with is not None:
            job.status, job.result = "failed", job.fail_with
        else:
            try:
                job.result = job.work() if job.work is not None else None
                job.status = "successful"
            except JobFailure as failure:
                job.status, job.result = "failed", failure.result
            except Exception as exc:  # a crashing work function ends its own job, never the simulator
                crash = f"Job failed: internal error {type(exc).__name__}: {exc}"
                job.status, job.result = "failed", crash
        # The job's own run time (its duration plus the work), not how late a poll came to see it.
        took = job.duration + (time.perf_counter() - started)
        finished_at = job.submitted_at + timedelta(seconds=took)
        job.msg = crash or f"Job finished in {took:.6f} seconds at {finished_at.isoformat(' ')}"
        for callback in job.then:
            callback(job)

    def running(self) -> list[Job]:
        return [job for job in self.by_id.values() if job.status == "running"]
