"""One bulk run in a fresh process (so its peak RSS is its own): N documents, submitted and awaited.

Usage: python -m benchmarks._bulk_worker SDK URL N  (SDK: ours-sync | ours-async | allie | allie-4threads)
Prints one JSON line: elapsed seconds for submit + wait, documents the jobs report created,
status requests this client sent, RSS after imports and peak RSS (KiB, VmHWM and ru_maxrss).
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from typing import Any

TOKEN = "bench-token"


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _rss_now_kib() -> int:
    return _status_kib("VmRSS")


def ours(url: str, n: int, use_async: bool) -> dict[str, Any]:
    from alation_workflows import Workflows, models
    from alation_workflows.jobs import submit_batches, submit_batches_async

    rss_import = _rss_now_kib()
    t_build = time.perf_counter()
    docs = [
        models.DocumentIn(title=f"Doc {i}", document_hub_id=1, description=f"<p>bulk {i}</p>")
        for i in range(n)
    ]
    build = time.perf_counter() - t_build
    wf = Workflows(server_url=url, token=TOKEN)
    t0 = time.perf_counter()
    if use_async:

        async def go() -> Any:
            async with wf:
                return await submit_batches_async(wf.documents.create_documents_async, docs)

        outcomes = asyncio.run(go())
    else:
        with wf:
            outcomes = submit_batches(wf.documents.create_documents, docs)
    elapsed = time.perf_counter() - t0
    created = sum(len(o.unwrap().result.created_terms) for o in outcomes)
    polls = sum(o.handle.polls for o in outcomes if o.handle is not None)
    return {
        "elapsed": elapsed,
        "build": build,
        "created": created,
        "batches": len(outcomes),
        "client_polls": polls,
        "rss_import_kib": rss_import,
    }


def allie(url: str, n: int, threads: int = 1) -> dict[str, Any]:
    """allie-sdk's create_documents; with threads > 1 the documents are split evenly and each
    thread runs create_documents on its share with its own client (requests sessions are not shared)."""
    from concurrent.futures import ThreadPoolExecutor

    import allie_sdk

    rss_import = _rss_now_kib()
    t_build = time.perf_counter()
    docs = [
        allie_sdk.DocumentPostItem(title=f"Doc {i}", document_hub_id=1, description=f"<p>bulk {i}</p>")
        for i in range(n)
    ]
    build = time.perf_counter() - t_build
    clients = [allie_sdk.Alation(host=url, user_id=1, access_token=TOKEN) for _ in range(threads)]
    share = -(-n // threads)
    parts = [docs[i * share : (i + 1) * share] for i in range(threads)]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        done = pool.map(lambda cp: cp[0].document.create_documents(cp[1]), zip(clients, parts, strict=True))
        results = [r for part in done for r in part]
    elapsed = time.perf_counter() - t0
    failed = [r for r in results if r.status != "successful"]
    if failed:
        raise RuntimeError(f"{len(failed)} allie-sdk batches failed: {failed[:2]}")
    created = sum(r.result.created_term_count for r in results)
    return {
        "elapsed": elapsed,
        "build": build,
        "created": created,
        "batches": len(results),
        "client_polls": None,
        "rss_import_kib": rss_import,
    }


def main() -> None:
    sdk, url, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if sdk == "allie":
        out = allie(url, n)
    elif sdk == "allie-4threads":
        out = allie(url, n, threads=4)
    else:
        out = ours(url, n, use_async=sdk == "ours-async")
    # VmHWM is this process image's own peak. ru_maxrss is kept too, but it can be inflated: Linux
    # carries the peak of the forking parent across a vfork+exec (Python's subprocess uses vfork).
    out["rss_peak_kib"] = _status_kib("VmHWM")
    out["ru_maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps(out))


if __name__ == "__main__":
    main()
