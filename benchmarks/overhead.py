"""Comparison 1: per-call latency of one job-status GET, SDK vs raw httpx + json.loads, sync and async.

Also the physical limit of the same GET in Python (a keep-alive raw socket writing the request
bytes by hand, and stdlib `http.client`), and a typed 10 000-item job result (SDK model vs
raw httpx + json.loads of the same body).

Every variant runs in the same process against the same loopback server, interleaved in rounds
(order rotated each round) after a warm-up, so drift hits all variants alike. A variant's ratio is
its median (and p99) over the raw-httpx median (p99) against the same URL; the spread is the range
of the per-round median ratios.
"""

from __future__ import annotations

import asyncio
import gc
import http.client
import json
import re
import socket
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from .servers import TOKEN
from .stats import Summary

SyncFn = Callable[[], Any]
BIG_SCALE = 0.25  # the 10 000-item variants take ~10-40 ms a call: a quarter of the calls each round
AsyncFn = Callable[[], Awaitable[Any]]


class RawSocketGet:
    """The least a Python client can do: one keep-alive socket, request bytes written by hand."""

    def __init__(self, base_url: str, path_qs: str, headers: dict[str, str]) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.address = (host, int(port))
        lines = [
            f"GET {path_qs} HTTP/1.1",
            f"Host: {host}:{port}",
            *(f"{k}: {v}" for k, v in headers.items()),
        ]
        self.request = ("\r\n".join(lines) + "\r\n\r\n").encode()
        self._connect()

    def _connect(self) -> None:
        self.sock = socket.create_connection(self.address)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionResetError("server closed the keep-alive connection")
        return chunk

    def get(self) -> Any:
        try:
            return self._get()
        except OSError:  # the server closed an idle keep-alive connection: reconnect, as clients do
            self.sock.close()
            self._connect()
            return self._get()

    def _get(self) -> Any:
        self.sock.sendall(self.request)
        buf = self.buf
        while b"\r\n\r\n" not in buf:
            buf += self._recv()
        head, _, rest = buf.partition(b"\r\n\r\n")
        found = re.search(rb"(?i)content-length: *(\d+)", head)
        assert found is not None and head.startswith(b"HTTP/1.1 200"), head[:200]
        size = int(found.group(1))
        while len(rest) < size:
            rest += self._recv()
        self.buf = rest[size:]
        return json.loads(rest[:size])

    def close(self) -> None:
        self.sock.close()


class StdlibGet:
    """stdlib `http.client` on one keep-alive connection."""

    def __init__(self, base_url: str, path_qs: str, headers: dict[str, str]) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port))
        self.path_qs, self.headers = path_qs, headers

    def get(self) -> Any:
        try:
            self.conn.request("GET", self.path_qs, headers=self.headers)
            return json.loads(self.conn.getresponse().read())
        except (http.client.HTTPException, OSError):  # idle keep-alive closed by the server: reconnect
            self.conn.close()
            self.conn.request("GET", self.path_qs, headers=self.headers)
            return json.loads(self.conn.getresponse().read())

    def close(self) -> None:
        self.conn.close()


def _plain_models() -> Any:
    """The least a typed 10 000-item result costs: plain pydantic models, one TypeAdapter, validate_json."""
    import pydantic

    class Item(pydantic.BaseModel):
        id: int
        title: str | None = None

    class Result(pydantic.BaseModel):
        created_term_count: int
        created_terms: list[Item]

    class Details(pydantic.BaseModel):
        status: str
        msg: str | None = None
        result: Result | None = None

    return pydantic.TypeAdapter(Details)


@dataclass
class Variant:
    name: str
    baseline: str | None  # name of the raw-httpx variant this one is compared with
    sync: SyncFn | None = None
    async_: AsyncFn | None = None
    scale: float = 1.0  # fraction of each block this variant runs (slow variants: fewer calls)
    samples: list[float] = field(default_factory=list)  # wall seconds per call
    cpu: list[float] = field(default_factory=list)  # client CPU seconds per call (this thread)
    round_medians: list[float] = field(default_factory=list)


async def _measure(variants: list[Variant], rounds: int, block: int, warmup: int) -> None:
    async def run(v: Variant, n: int, record: bool) -> None:
        out: list[float] = []
        cpu: list[float] = []
        for _ in range(n):
            if v.sync is not None:
                c0, t0 = time.thread_time(), time.perf_counter()
                v.sync()
                t1, c1 = time.perf_counter(), time.thread_time()
            else:
                assert v.async_ is not None
                c0, t0 = time.thread_time(), time.perf_counter()
                await v.async_()
                t1, c1 = time.perf_counter(), time.thread_time()
            out.append(t1 - t0)
            cpu.append(c1 - c0)
        if record:
            v.samples.extend(out)
            v.cpu.extend(cpu)
            v.round_medians.append(statistics.median(out))

    for v in variants:
        await run(v, max(1, int(warmup * v.scale)), record=False)
    for r in range(rounds):
        shift = r % len(variants)
        order = variants[shift:] + variants[:shift]
        gc.collect()
        for v in order:
            await run(v, max(1, int(block * v.scale)), record=True)


def _ratio_row(v: Variant, base: Variant) -> dict[str, Any]:
    s, b = Summary.of(v.samples), Summary.of(base.samples)
    sc, bc = Summary.of(v.cpu), Summary.of(base.cpu)
    per_round = [x / y for x, y in zip(v.round_medians, base.round_medians, strict=True)]
    return {
        "variant": v.name,
        "baseline": base.name,
        "median_ms": s.median * 1e3,
        "p99_ms": s.p99 * 1e3,
        "baseline_median_ms": b.median * 1e3,
        "baseline_p99_ms": b.p99 * 1e3,
        "ratio_median": s.median / b.median,
        "ratio_p99": s.p99 / b.p99,
        "ratio_round_min": min(per_round),
        "ratio_round_max": max(per_round),
        "cpu_median_ms": sc.median * 1e3,
        "baseline_cpu_median_ms": bc.median * 1e3,
        "ratio_cpu": sc.median / bc.median,
        "n": s.n,
    }


def run(sim_url: str, stub_url: str, job_id: int, *, rounds: int, block: int, warmup: int) -> dict[str, Any]:
    """Measure all variants; returns rows for the report. `job_id` must exist on the simulator."""
    from alation_workflows import Workflows

    status_url = f"{sim_url}/api/v1/bulk_metadata/job/"
    stub_status_url = f"{stub_url}/api/v1/bulk_metadata/job/"
    ttd_url = f"{stub_url}/standardjob/412651/status"
    headers = {"TOKEN": TOKEN, "Accept": "application/json"}

    raw = httpx.Client()
    araw = httpx.AsyncClient()
    wf = Workflows(server_url=sim_url, token=TOKEN)
    wf_stub = Workflows(server_url=stub_url, token=TOKEN)
    closers: list[Callable[[], Any]] = [raw.close, wf.close, wf_stub.close]
    aclosers: list[Callable[[], Awaitable[Any]]] = [araw.aclose, wf.aclose, wf_stub.aclose]

    def raw_get(url: str, params: dict[str, Any] | None) -> SyncFn:
        return lambda: json.loads(raw.get(url, params=params, headers=headers).content)

    def araw_get(url: str, params: dict[str, Any] | None) -> AsyncFn:
        async def call() -> Any:
            return json.loads((await araw.get(url, params=params, headers=headers)).content)

        return call

    q = {"id": job_id}
    path_qs = f"/api/v1/bulk_metadata/job/?id={job_id}"
    sock = RawSocketGet(sim_url, path_qs, headers)
    stdlib = StdlibGet(sim_url, path_qs, headers)
    closers += [sock.close, stdlib.close]
    from alation_workflows.jobs import JobHandle

    big = JobHandle.resume(wf_stub, 10_000, operation="createDocuments")  # typed: JobDetailsDocumentPost
    plain = _plain_models()
    big_url = f"{stub_url}/api/v1/bulk_metadata/job/"
    variants = [
        Variant("raw httpx sync (simulator)", None, sync=raw_get(status_url, q)),
        Variant("raw socket sync (simulator, physical limit)", "raw httpx sync (simulator)", sync=sock.get),
        Variant("stdlib http.client sync (simulator)", "raw httpx sync (simulator)", sync=stdlib.get),
        Variant(
            "raw httpx sync (stub, 10 000-item result)",
            None,
            sync=raw_get(stub_status_url, {"id": 10_000}),
            scale=BIG_SCALE,
        ),
        Variant(
            "raw httpx + plain pydantic sync (stub, 10 000-item result)",
            "raw httpx sync (stub, 10 000-item result)",
            sync=lambda: plain.validate_json(
                raw.get(big_url, params={"id": 10_000}, headers=headers).content
            ),
            scale=BIG_SCALE,
        ),
        Variant(
            "alation-workflows sync (stub, typed 10 000-item result)",
            "raw httpx sync (stub, 10 000-item result)",
            sync=big.status,
            scale=BIG_SCALE,
        ),
        Variant(
            "alation-workflows sync (simulator)",
            "raw httpx sync (simulator)",
            sync=lambda: wf.job_status.get_job_status(id=job_id),
        ),
        Variant("raw httpx async (simulator)", None, async_=araw_get(status_url, q)),
        Variant(
            "alation-workflows async (simulator)",
            "raw httpx async (simulator)",
            async_=lambda: wf.job_status.get_job_status_async(id=job_id),
        ),
        Variant("raw httpx sync (stub, Alation body)", None, sync=raw_get(stub_status_url, q)),
        Variant(
            "alation-workflows sync (stub)",
            "raw httpx sync (stub, Alation body)",
            sync=lambda: wf_stub.job_status.get_job_status(id=job_id),
        ),
        Variant("raw httpx async (stub, Alation body)", None, async_=araw_get(stub_status_url, q)),
        Variant(
            "alation-workflows async (stub)",
            "raw httpx async (stub, Alation body)",
            async_=lambda: wf_stub.job_status.get_job_status_async(id=job_id),
        ),
    ]
    ttd_error = None
    try:
        from ttd_workflows import Workflows as TtdWorkflows

        ttd = TtdWorkflows(ttd_auth=TOKEN, server_url=stub_url)
        variants += [
            Variant("raw httpx sync (stub, ttd body)", None, sync=raw_get(ttd_url, None)),
            Variant(
                "ttd-workflows sync (stub)",
                "raw httpx sync (stub, ttd body)",
                sync=lambda: ttd.job_status.get_job_status(id=412651),
            ),
            Variant("raw httpx async (stub, ttd body)", None, async_=araw_get(ttd_url, None)),
            Variant(
                "ttd-workflows async (stub)",
                "raw httpx async (stub, ttd body)",
                async_=lambda: ttd.job_status.get_job_status_async(id=412651),
            ),
        ]
    except ImportError as exc:
        ttd_error = f"ttd-workflows not installed ({exc}); install the `bench` extra"

    # Sanity: every variant answers, and both SDKs parse what they got.
    first = wf.job_status.get_job_status(id=job_id)
    assert first.status is not None, first
    assert sock.get()["status"] == stdlib.get()["status"] == "successful"
    assert len(big.status().result.created_terms) == 10_000  # type: ignore[union-attr]

    async def main() -> None:
        try:
            await _measure(variants, rounds, block, warmup)
        finally:
            for ac in aclosers:
                await ac()

    asyncio.run(main())
    for c in closers:
        c()

    by_name = {v.name: v for v in variants}
    rows = [_ratio_row(v, by_name[v.baseline]) for v in variants if v.baseline]
    raw_rows = [
        {"variant": v.name, **{k: x * 1e3 for k, x in Summary.of(v.samples).as_dict().items() if k != "n"}}
        for v in variants
    ]
    return {
        "rows": rows,
        "all": raw_rows,
        "rounds": rounds,
        "block": block,
        "warmup": warmup,
        "ttd_error": ttd_error,
    }
