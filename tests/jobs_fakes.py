"""A tiny scripted Alation for the jobs-overlay unit tests (httpx.MockTransport, no sockets)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from alation_workflows import PollConfig, Workflows

# No request budget: these fakes answer instantly and the tests count polls, not rates.
FAST = PollConfig(
    initial_interval=0.005, multiplier=1.5, max_interval=0.02, timeout=5.0, jitter=0.0, requests_per_second=0
)


@dataclass
class FakeJob:
    running_polls: int  # status checks answered "running" before the final answer
    final: dict[str, Any]
    polls: int = 0


@dataclass
class FakeAlation:
    """Documents POST/PUT start jobs; the job-status GET answers from a script per job."""

    jobs: dict[int, FakeJob] = field(default_factory=dict)
    next_id: int = 100
    requests: list[httpx.Request] = field(default_factory=list)
    # Decides each new job from the submitted body: (running polls, final job details).
    script: Callable[[list[Any]], tuple[int, dict[str, Any]]] | None = None
    submit_errors: dict[int, int] = field(default_factory=dict)  # submit number -> HTTP status
    lock: threading.Lock = field(default_factory=threading.Lock)
    submits: int = 0
    status_faults: list[int] = field(default_factory=list)  # HTTP statuses answered before real ones

    def add_job(self, running_polls: int, final: dict[str, Any], job_id: int | None = None) -> int:
        with self.lock:
            if job_id is None:
                job_id = self.next_id
                self.next_id += 1
            self.jobs[job_id] = FakeJob(running_polls, final)
            return job_id

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path == "/api/v1/bulk_metadata/job/":
            if self.status_faults:
                return httpx.Response(self.status_faults.pop(0), json={"detail": "busy"})
            job = self.jobs.get(int(request.url.params["id"]))
            if job is None:
                return httpx.Response(404, json={"detail": "Not found.", "code": "404000"})
            job.polls += 1
            if job.polls <= job.running_polls:
                return httpx.Response(200, json={"status": "running", "msg": "", "result": None})
            return httpx.Response(200, json=job.final)
        if path == "/integration/v2/document/":
            body = json.loads(request.content)
            with self.lock:
                self.submits += 1
                n = self.submits
            if n in self.submit_errors:
                code = self.submit_errors[n]
                return httpx.Response(code, json={"detail": f"submit {n} rejected", "code": f"{code}000"})
            running, final = self.script(body) if self.script else (0, created(body))
            return httpx.Response(202, json={"job_id": self.add_job(running, final)})
        return httpx.Response(404, json={"detail": "no such path"})

    def client(self, **kwargs: Any) -> Workflows:
        kwargs.setdefault("poll_config", FAST)
        return Workflows(
            server_url="https://alation.test",
            token="t0k",
            client=httpx.Client(transport=httpx.MockTransport(self.handler)),
            async_client=httpx.AsyncClient(transport=httpx.MockTransport(self.handler)),
            **kwargs,
        )


def created(body: list[dict[str, Any]], start: int = 1000) -> dict[str, Any]:
    terms = [{"id": start + i, "title": d["title"]} for i, d in enumerate(body)]
    return {
        "status": "successful",
        "msg": "Job finished in 0.01 seconds at 2024-06-20 13:23:02.698215+00:00",
        "result": {"created_term_count": len(terms), "created_terms": terms},
    }
