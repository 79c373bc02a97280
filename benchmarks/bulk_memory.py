"""Peak memory of a bulk run against input size: this SDK's streaming summary mode vs a raw-httpx loop.

Target (issue 17, item 4): for 100 000 and 1 000 000 documents, `submit_batches` fed by a
generator in summary mode (`summary=True`, the command line's default) peaks within 1.5x of a
raw-httpx loop over the same input, and its peak does not grow with the input size (1M peak /
100k peak <= 1.2). Each subject runs in a fresh process (peak = its own VmHWM) against the same
simulator process; jobs finish at once, so what is measured is the client's memory, not waiting.

The raw-httpx loop is what a careful hand-written script does: build 1 000 dicts, POST them,
poll the job until it ends, count the created ids, move on; it keeps nothing per item.
The SDK also validates every item first and spools it to a temporary sqlite journal: its time
includes that pass.

Usage: `python -m benchmarks.bulk_memory [N ...]` runs the comparison on a fresh simulator and
prints JSON; `python -m benchmarks.bulk_memory worker SUBJECT URL N` is one measured process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

from ._paths import ROOT, child_env

TOKEN = "bench-token"
SIZES = (100_000, 1_000_000)
QUICK_SIZES = (2_000, 5_000)
SUBJECTS = {"alation-workflows submit_batches(summary=True), streamed": "ours", "raw httpx loop": "raw"}
TARGET_RATIO = 1.5  # ours peak / raw peak, at every size
TARGET_GROWTH = 1.2  # ours peak at the largest size / at the smallest


def _kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _docs(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {"title": f"Doc {i}", "document_hub_id": 1, "description": f"<p>bulk {i}</p>"}


def _ours(url: str, n: int) -> dict[str, Any]:
    from alation_workflows import Workflows
    from alation_workflows.jobs import submit_batches

    with Workflows(server_url=url, token=TOKEN) as wf:
        result = submit_batches(wf.documents.create_documents, _docs(n), summary=True, progress=None)
    return {"created": sum(len(o.ids) for o in result), "batches": len(result), "exit_code": result.exit_code}


def _raw(url: str, n: int) -> dict[str, Any]:
    import httpx

    created = batches = 0
    headers = {"TOKEN": TOKEN}
    docs = _docs(n)
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        while True:
            batch = [d for _, d in zip(range(1000), docs, strict=False)]
            if not batch:
                break
            job_id = client.post("/integration/v2/document/", json=batch).raise_for_status().json()["job_id"]
            delay = 0.01
            while True:
                details = client.get("/api/v1/bulk_metadata/job/", params={"id": job_id}).json()
                if details["status"] != "running":
                    break
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
            result = details["result"]
            result = json.loads(result) if isinstance(result, str) else result
            created += len(result["created_terms"])
            batches += 1
    return {"created": created, "batches": batches, "exit_code": 0}


def worker(subject: str, url: str, n: int) -> dict[str, Any]:
    rss_import = _kib("VmRSS")
    started = time.perf_counter()
    out = (_ours if subject == "ours" else _raw)(url, n)
    return {
        **out,
        "elapsed": time.perf_counter() - started,
        "rss_import_kib": rss_import,
        "rss_peak_kib": _kib("VmHWM"),
    }


def _measure(subject: str, url: str, n: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bulk_memory", "worker", subject, url, str(n)],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120 + n / 200,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-2000:])
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def run(sim: Any, sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    """One row per (subject, size) and a verdict per target. `sim` is a `servers.ServerProcess`."""
    rows: list[dict[str, Any]] = []
    for n in sizes:
        for name, subject in SUBJECTS.items():
            sim.command(op="clear")
            try:
                rows.append({"subject": name, "n": n, **_measure(subject, sim.url, n)})
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                rows.append({"subject": name, "n": n, "error": str(exc)})
    sim.command(op="clear")
    peak = {(r["subject"], r["n"]): r.get("rss_peak_kib") for r in rows}
    ours, raw = list(SUBJECTS)
    verdicts = []
    for n in sizes:
        a, b = peak.get((ours, n)), peak.get((raw, n))
        ratio = a / b if a and b else None
        verdicts.append(
            {
                "target": f"peak memory at {n:,} documents <= {TARGET_RATIO}x the raw httpx loop",
                "value": ratio,
                "limit": TARGET_RATIO,
                "met": ratio is not None and ratio <= TARGET_RATIO,
            }
        )
    small, large = peak.get((ours, sizes[0])), peak.get((ours, sizes[-1]))
    growth = large / small if small and large else None
    verdicts.append(
        {
            "target": f"peak memory does not grow with input size ({sizes[-1]:,} vs {sizes[0]:,}: <= {TARGET_GROWTH}x)",
            "value": growth,
            "limit": TARGET_GROWTH,
            "met": growth is not None and growth <= TARGET_GROWTH,
        }
    )
    return {"rows": rows, "sizes": list(sizes), "verdicts": verdicts}


def main(argv: list[str]) -> int:
    if argv[:1] == ["worker"]:
        print(json.dumps(worker(argv[1], argv[2], int(argv[3]))))
        return 0
    from . import servers
    from ._paths import ensure_src_on_path

    ensure_src_on_path()
    sizes = tuple(int(a) for a in argv) or SIZES
    with servers.simulator() as sim:
        print(json.dumps(run(sim, sizes), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
