"""Comparison 4: import, first client and first call, each sample in a fresh interpreter.

"Client" means ready to send a first sync request: the client object, its first operation group,
and its httpx.Client (ttd-workflows builds httpx clients eagerly, alation-workflows on first use).
"First call" is one job-status GET parsed into the SDK's type, against the simulator (allie-sdk:
its constructor already sends a token-validation request, then `AlationJob._get_job()`, what its
own waits call) or, for ttd-workflows, the stub answering its response shape.

Bytecode caches are written by a warm-up run first (PYTHONDONTWRITEBYTECODE is cleared for the
children), so every package is measured as a pip-installed one would be: compiled once, imported many times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

from ._paths import ROOT, child_env
from .stats import Summary

# Each probe prints {"import": s, "construct": s, "first_group": s, "first_call": s} measured in the child.
_PROBE = """
import json, sys, time
t0 = time.perf_counter()
{import_stmt}
t1 = time.perf_counter()
client = {construct}
t2 = time.perf_counter()
{first_group}
t3 = time.perf_counter()
{first_call}
t4 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "construct": t2 - t1, "first_group": t3 - t2, "first_call": t4 - t3,
                  "asyncio_imported": "asyncio" in sys.modules}}))
"""

SUBJECTS: dict[str, dict[str, str]] = {
    "alation-workflows": {
        "import_stmt": "import alation_workflows",
        "construct": "alation_workflows.Workflows(server_url='{sim}', token='{token}')",
        # its httpx.Client is built lazily; build it here so both SDKs end ready to send
        "first_group": "client.job_status; client.http_client",
        "first_call": "assert client.job_status.get_job_status(id={job}).status",
    },
    "allie-sdk": {
        "import_stmt": "import allie_sdk",
        # the constructor validates the token with a request of its own
        "construct": "allie_sdk.Alation(host='{sim}', user_id=1, access_token='{token}')",
        "first_group": "from allie_sdk.methods.job import AlationJob",
        "first_call": "assert AlationJob('{token}', client.document.session, '{sim}', "
        "{{'job_id': {job}}})._get_job()[0].status",
    },
    "ttd-workflows": {
        "import_stmt": "import ttd_workflows",
        "construct": "ttd_workflows.Workflows(server_url='{stub}', ttd_auth='t')",
        "first_group": "client.job_status",
        "first_call": "assert client.job_status.get_job_status(id=412651)",
    },
    "httpx + pydantic (floor)": {
        "import_stmt": "import httpx, pydantic",
        "construct": "httpx.Client()",
        "first_group": "pass",
        "first_call": "assert client.get('{sim}/api/v1/bulk_metadata/job/', params={{'id': {job}}}, "
        "headers={{'TOKEN': '{token}'}}).json()['status']",
    },
}


def _probe(code: str) -> tuple[dict[str, float], float]:
    env = child_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip()[-1500:])
    return json.loads(out.stdout.strip().splitlines()[-1]), wall


def available(name: str) -> str | None:
    """None if the subject can be imported here, else why not."""
    module = SUBJECTS[name]["import_stmt"].split()[1].split(",")[0]
    env = child_env()
    out = subprocess.run(
        [sys.executable, "-c", f"import {module}"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return None if out.returncode == 0 else out.stderr.strip().splitlines()[-1]


def run(
    repeats: int,
    warmup: int = 2,
    *,
    sim_url: str,
    stub_url: str,
    job_id: int,
    only: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    from .servers import TOKEN

    subjects = {n: s for n, s in SUBJECTS.items() if only is None or n in only}
    skipped = {n: why for n in list(subjects) if (why := available(n))}
    for n in skipped:
        subjects.pop(n)
    fill = {"sim": sim_url, "stub": stub_url, "job": job_id, "token": TOKEN}
    codes = {n: _PROBE.format(**{k: v.format(**fill) for k, v in s.items()}) for n, s in subjects.items()}
    samples: dict[str, list[dict[str, float]]] = {n: [] for n in codes}
    for _ in range(warmup):
        for code in codes.values():
            _probe(code)
    for i in range(repeats):
        names = list(codes)
        names = names[i % len(names) :] + names[: i % len(names)]  # interleave, rotating order
        for n in names:
            inner, wall = _probe(codes[n])
            samples[n].append({**inner, "process_wall": wall})
    rows = []
    for n, runs in samples.items():
        row: dict[str, Any] = {"subject": n, "n": len(runs)}
        for key in ("import", "construct", "first_group", "first_call", "process_wall"):
            row[key] = Summary.of([r[key] for r in runs]).as_dict()
        row["import_plus_client"] = Summary.of(
            [r["import"] + r["construct"] + r["first_group"] for r in runs]
        ).as_dict()
        row["import_plus_first_call"] = Summary.of(
            [r["import"] + r["construct"] + r["first_group"] + r["first_call"] for r in runs]
        ).as_dict()
        row["asyncio_imported"] = any(r["asyncio_imported"] for r in runs)
        rows.append(row)
    return {"rows": rows, "skipped": skipped, "repeats": repeats, "cpu_count": os.cpu_count()}
