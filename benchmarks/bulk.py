"""Comparisons 3 and 6: bulk throughput and peak memory, N documents in server-sized batches.

Each SDK runs in its own fresh process (peak RSS = `ru_maxrss` of that process) against the same
simulator process, with the same job duration for every batch job. This SDK uses the overlay's
`submit_batches` / `submit_batches_async` with their defaults (batch size = the spec's server limit,
concurrency 4); allie-sdk's `document.create_documents` batches by 1 000 and waits for each batch
in turn, run once from one thread and once from 4 threads (documents split evenly, one client
each). Every subject runs `reps` times per job duration, subjects interleaved. Timed: submit +
wait (building the request objects is timed separately).
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from ._paths import ROOT, child_env
from .servers import ServerProcess

STATUS_PATH = "/api/v1/bulk_metadata/job/"
SUBMIT_PATH = "/integration/v2/document/"
SUBJECTS = {
    "alation-workflows submit_batches (sync)": "ours-sync",
    "alation-workflows submit_batches_async": "ours-async",
    "allie-sdk 2.2.3 create_documents": "allie",
    "allie-sdk 2.2.3 create_documents × 4 threads": "allie-4threads",
}


def _worker(kind: str, url: str, n: int, timeout: float) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks._bulk_worker", kind, url, str(n)],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-2000:])
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def run(
    sim: ServerProcess,
    n: int,
    durations: tuple[float, ...],
    reps: int,
    *,
    only: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """Run each subject (all, or the worker kinds in `only`) `reps` times per job duration."""
    rows: list[dict[str, Any]] = []
    try:
        for duration in durations:
            sim.command(op="duration", seconds=duration)
            for rep in range(reps):
                for name, kind in SUBJECTS.items():
                    if only is not None and kind not in only:
                        continue
                    sim.command(op="clear")
                    base = {"subject": name, "duration": duration, "rep": rep}
                    try:
                        out = _worker(kind, sim.url, n, timeout=60 + n / 1000 * (duration + 5) * 2)
                    except (RuntimeError, subprocess.TimeoutExpired) as exc:
                        msg = str(exc)
                        if kind.startswith("allie") and "No module named 'allie_sdk'" in msg:
                            msg = "allie-sdk not installed; install the `bench` extra"
                        rows.append({**base, "error": msg})
                        continue
                    by_path = sim.command(op="count")["by_path"]
                    out["server_status_requests"] = by_path.get(STATUS_PATH, 0)
                    out["server_submits"] = by_path.get(SUBMIT_PATH, 0)
                    out["docs_per_s"] = n / out["elapsed"]
                    rows.append({**base, **out})
    finally:
        sim.command(op="duration", seconds=0.0)
        sim.command(op="clear")
    return {"rows": rows, "n": n, "durations": list(durations), "reps": reps}
