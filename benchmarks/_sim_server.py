"""The simulator served on loopback in its own process, steered by JSON lines on stdin.

Running it out of process keeps the server off the benchmarked client's GIL. Prints `{"url": ...}`
once serving; then answers one JSON line per command:
  {"op": "duration", "seconds": 1.0}         -> sim.set_job_duration(1.0)
  {"op": "status_requests", "job_id": 7}     -> how many job-status requests asked for that job
  {"op": "job", "id": 7}                     -> the job's status and monotonic finish time
  {"op": "count"}                            -> requests recorded so far, by path
  {"op": "clear"}                            -> forget recorded requests (keeps memory flat)
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any
from urllib.parse import parse_qs

from alation_workflows.testing import Simulator

STATUS_PATH = "/api/v1/bulk_metadata/job/"


def _query(record: Any) -> dict[str, list[str]]:
    query = getattr(record, "query", None)
    if isinstance(query, bytes):
        query = query.decode()
    if isinstance(query, str):
        return parse_qs(query)
    if query is None:
        return {}
    return {k: v if isinstance(v, list) else [str(v)] for k, v in dict(query).items()}


def _path(record: Any) -> str:
    return str(getattr(record, "path", ""))


def handle(sim: Simulator, command: dict[str, Any]) -> dict[str, Any]:
    op = command.get("op")
    if op == "duration":
        sim.set_job_duration(float(command["seconds"]))
        return {"ok": True}
    if op == "status_requests":
        wanted = str(command["job_id"])
        n = sum(
            1
            for r in list(sim.requests)
            if _path(r).rstrip("/") == STATUS_PATH.rstrip("/") and wanted in _query(r).get("id", [])
        )
        return {"ok": True, "count": n}
    if op == "job":
        job = sim.job(id=int(command["id"]))
        if job is None:
            return {"ok": False, "error": f"no job {command['id']}"}
        # Simulator jobs run on time.monotonic (CLOCK_MONOTONIC: the same clock in every process here).
        return {
            "ok": True,
            "status": job.status,
            "finishes": job.created + job.duration,
            "duration": job.duration,
        }
    if op == "count":
        return {"ok": True, "by_path": dict(Counter(_path(r) for r in list(sim.requests)))}
    if op == "clear":
        sim.requests.clear()
        return {"ok": True}
    return {"ok": False, "error": f"unknown op {op!r}"}


def main() -> None:
    token = sys.argv[1] if len(sys.argv) > 1 else "bench-token"
    sim = Simulator(token=token, job_duration=0.0)
    with sim.serve() as url:
        print(json.dumps({"url": url}), flush=True)
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                reply = handle(sim, json.loads(line))
            except Exception as exc:  # the parent decides what a failed command means
                reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
