"""Runs every comparison in one go and writes results.json, report.md and chart.png."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from . import asyncpath, bulk, bulk_memory, completion, generation, manywaits, overhead, servers, startup
from ._paths import ROOT, ensure_src_on_path
from .report import write_report
from .sections import Context, extra_sections

BUILT_IN = ("overhead", "asyncpath", "completion", "manywaits", "bulk", "memory", "startup", "generator")


def all_sections() -> tuple[str, ...]:
    return BUILT_IN + tuple(s.name for s in extra_sections())


PACKAGES = (
    "alation-workflows",
    "httpx",
    "pydantic",
    "ttd-workflows",
    "allie-sdk",
    "requests",
    "openapi-python-client",
    "ruff",
    "starlette",
    "uvicorn",
    "matplotlib",
)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        if name == "alation-workflows":  # run from a checkout that is not pip-installed
            import alation_workflows

            return f"{alation_workflows.__version__} (checkout)"
        return None


def machine() -> dict[str, Any]:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "os": platform.platform(),
        "packages": {p: _version(p) for p in PACKAGES},
    }


class Plan:
    """Sizes of every comparison: the full run, or a tiny one for the smoke test."""

    def __init__(self, quick: bool) -> None:
        self.quick = quick
        if quick:
            self.overhead = {"rounds": 2, "block": 5, "warmup": 3}
            self.asyncpath = {"runs": 1, "calls": 5}
            self.completion = [(0.0, 1)]
            self.manywaits = {"jobs": 5, "duration": 0.0, "reps": 1}
            self.bulk_n, self.bulk_durations, self.bulk_reps = 50, (0.0,), 1
            self.bulk_subjects: tuple[str, ...] | None = ("ours-sync", "allie")
            self.memory_sizes = bulk_memory.QUICK_SIZES
            self.startup_repeats, self.startup_warmup = 1, 0
            self.startup_only: tuple[str, ...] | None = ("alation-workflows",)
            self.generator_repeats = 1
            self.generator_extras = False
        else:
            self.overhead = {"rounds": 30, "block": 40, "warmup": 100}
            self.asyncpath = {"runs": 4, "calls": 400}
            self.completion = [(0.0, 3), (0.2, 3), (1.0, 3), (5.0, 3), (30.0, 1)]
            self.manywaits = {"jobs": 200, "duration": 1.0, "reps": 3}
            self.bulk_n, self.bulk_durations, self.bulk_reps = 10_000, (0.0, 1.0), 3
            self.bulk_subjects = None
            self.memory_sizes = bulk_memory.SIZES
            self.startup_repeats, self.startup_warmup = 15, 2
            self.startup_only = None
            self.generator_repeats = 5
            self.generator_extras = True


def _section(results: dict[str, Any], name: str, fn: Any) -> None:
    started = time.perf_counter()
    load_before = os.getloadavg()
    print(f"== {name} ...", file=sys.stderr, flush=True)
    try:
        results[name] = fn()
    except Exception as exc:  # one broken comparison must not hide the others; it is reported
        results[name] = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
        print(results[name]["traceback"], file=sys.stderr)
    results[name]["seconds"] = time.perf_counter() - started
    results[name]["loadavg_before"] = load_before
    results[name]["loadavg_after"] = os.getloadavg()
    print(f"   {name}: {results[name]['seconds']:.1f} s", file=sys.stderr, flush=True)


def run(out_dir: Path, *, quick: bool = False, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    only = all_sections() if only is None else only
    ensure_src_on_path()
    plan = Plan(quick)
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "command": "python -m benchmarks" + (" --quick" if quick else ""),
        "machine": machine(),
        "loadavg_start": os.getloadavg(),
    }
    t0 = time.perf_counter()
    with servers.simulator() as sim, servers.stub() as stub:
        _ = sim.url, stub.url  # both children started above; wait for both to listen

        def probe_job() -> int:
            from alation_workflows import Workflows, models

            with Workflows(server_url=sim.url, token=servers.TOKEN) as wf:
                job = wf.documents.create_documents(
                    request=[models.DocumentIn(title="probe", document_hub_id=1)]
                )
                job.wait(timeout=30)
            assert job.id is not None
            return job.id

        if "overhead" in only:

            def do_overhead() -> dict[str, Any]:
                try:
                    return overhead.run(sim.url, stub.url, probe_job(), **plan.overhead)
                finally:
                    sim.command(op="clear")

            _section(results, "overhead", do_overhead)
        if "asyncpath" in only:
            _section(results, "asyncpath", lambda: asyncpath.run(sim.url, probe_job(), **plan.asyncpath))
        if "completion" in only:
            _section(results, "completion", lambda: completion.run(sim, plan.completion))
        if "manywaits" in only:
            _section(results, "manywaits", lambda: manywaits.run(sim, **plan.manywaits))
        if "bulk" in only:
            _section(
                results,
                "bulk",
                lambda: bulk.run(
                    sim, plan.bulk_n, plan.bulk_durations, plan.bulk_reps, only=plan.bulk_subjects
                ),
            )
        if "memory" in only:  # results.json only (bulk_memory holds the targets and verdicts)
            _section(results, "memory", lambda: bulk_memory.run(sim, plan.memory_sizes))
        if "startup" in only:
            _section(
                results,
                "startup",
                lambda: startup.run(
                    plan.startup_repeats,
                    plan.startup_warmup,
                    sim_url=sim.url,
                    stub_url=stub.url,
                    job_id=probe_job(),
                    only=plan.startup_only,
                ),
            )
        ctx = Context(sim=sim, stub=stub, quick=quick)
        for extra in extra_sections():
            if extra.name in only:
                _section(results, extra.name, lambda extra=extra: extra.run(ctx))
    if "generator" in only:
        _section(
            results,
            "generator",
            lambda: generation.run(
                plan.generator_repeats,
                warmup=plan.generator_extras,
                with_opc=plan.generator_extras,
                inprocess=plan.generator_extras,
            ),
        )
    results["total_seconds"] = time.perf_counter() - t0
    results["loadavg_end"] = os.getloadavg()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    write_report(results, out_dir)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test); numbers mean nothing")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default benchmarks/results)")
    sections = all_sections()
    parser.add_argument(
        "--only", default=",".join(sections), help=f"comma-separated subset of {','.join(sections)}"
    )
    args = parser.parse_args(argv)
    only = tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = [s for s in only if s not in sections]
    if unknown:
        parser.error(f"unknown section(s) {unknown}; choose from {', '.join(sections)}")
    out = args.out or (ROOT / "benchmarks" / ("results-quick" if args.quick else "results"))
    results = run(out, quick=args.quick, only=only)
    print(f"wrote {out / 'report.md'} in {results['total_seconds']:.0f} s", file=sys.stderr)
    failed = [name for name in only if "error" in results.get(name, {})]
    return 1 if failed else 0
