"""Comparison 1b: what `sniffio` is worth on the async path (now a declared dependency).

httpcore runs `import sniffio` inside every async request. When sniffio is missing, the
failed import is not remembered, so each request searches sys.path again. Each sample is a
fresh process doing `calls` async job-status GETs (SDK, and raw httpx for reference) against
the simulator, with sniffio importable or hidden; hidden means a finder that makes the same
sys.path search a missing module costs and then fails, as on an install without sniffio.
Runs alternate between the two modes.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from typing import Any

from ._paths import ROOT, child_env
from .servers import TOKEN

_CHILD = r"""
import asyncio, importlib.machinery, json, sys, time
if sys.argv[3] == "hidden":
    class Missing:
        # Costs what a missing module costs (a full sys.path search), then fails like one.
        def find_spec(self, name, path=None, target=None):
            if name == "sniffio":
                importlib.machinery.PathFinder.find_spec("sniffio_is_not_installed_here", path)
                raise ModuleNotFoundError("No module named 'sniffio'", name="sniffio")
            return None
    sys.meta_path.insert(0, Missing())
import httpx
from alation_workflows import Workflows

url, job_id, calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[4])

async def main():
    out = {}
    async with Workflows(server_url=url, token=sys.argv[5]) as wf, httpx.AsyncClient() as raw:
        status = f"{url}/api/v1/bulk_metadata/job/"
        headers = {"TOKEN": sys.argv[5], "Accept": "application/json"}
        subjects = {
            "sdk": lambda: wf.job_status.get_job_status_async(id=job_id),
            "raw": lambda: raw.get(status, params={"id": job_id}, headers=headers),
        }
        for name, call in subjects.items():
            for _ in range(30):
                await call()
            wall, cpu = [], []
            for _ in range(calls):
                c0, t0 = time.thread_time(), time.perf_counter()
                await call()
                wall.append(time.perf_counter() - t0); cpu.append(time.thread_time() - c0)
            wall.sort(); cpu.sort()
            out[name] = {"wall": wall[len(wall) // 2], "cpu": cpu[len(cpu) // 2]}
    out["sniffio_loaded"] = "sniffio" in sys.modules
    print(json.dumps(out))

asyncio.run(main())
"""


def run(sim_url: str, job_id: int, *, runs: int, calls: int) -> dict[str, Any]:
    samples: dict[str, list[dict[str, Any]]] = {"installed": [], "hidden": []}
    for i in range(runs):
        for mode in ("installed", "hidden") if i % 2 == 0 else ("hidden", "installed"):
            proc = subprocess.run(
                [sys.executable, "-c", _CHILD, sim_url, str(job_id), mode, str(calls), TOKEN],
                cwd=ROOT,
                env=child_env(),
                capture_output=True,
                text=True,
                timeout=300,
            )
            if proc.returncode != 0:
                raise RuntimeError(proc.stderr.strip()[-1500:])
            sample = json.loads(proc.stdout.strip().splitlines()[-1])
            assert sample["sniffio_loaded"] == (mode == "installed"), (mode, sample)
            samples[mode].append(sample)
    rows = []
    for subject in ("sdk", "raw"):
        inst = [s[subject] for s in samples["installed"]]
        hid = [s[subject] for s in samples["hidden"]]
        w_i, w_h = statistics.median(x["wall"] for x in inst), statistics.median(x["wall"] for x in hid)
        c_i, c_h = statistics.median(x["cpu"] for x in inst), statistics.median(x["cpu"] for x in hid)
        rows.append(
            {
                "subject": "alation-workflows async" if subject == "sdk" else "raw httpx async",
                "installed_ms": w_i * 1e3,
                "hidden_ms": w_h * 1e3,
                "installed_cpu_ms": c_i * 1e3,
                "hidden_cpu_ms": c_h * 1e3,
                "saving": 1 - w_i / w_h,
                "cpu_saving": 1 - c_i / c_h,
            }
        )
    return {"rows": rows, "runs": runs, "calls": calls}
