"""Smoke test of `python -m benchmarks`: the tiny run completes and writes every section (no timings asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Slow (runs the benchmark harness): .ci/run runs it on the main Python only.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("overhead", "asyncpath", "completion", "manywaits", "bulk", "memory", "startup", "generator")


def test_quick_run_writes_a_complete_report(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["quick"] is True
    for name in SECTIONS:
        assert "error" not in results[name], (name, results[name].get("traceback"))
    assert results["overhead"]["rows"], "no overhead variant was measured"
    assert any(r["sdk"] == "alation-workflows" and "error" not in r for r in results["completion"]["rows"])
    ours_bulk = [r for r in results["bulk"]["rows"] if r["subject"].startswith("alation-workflows")]
    assert ours_bulk and all(r["created"] == results["bulk"]["n"] for r in ours_bulk), ours_bulk
    memory = results["memory"]["rows"]
    assert [r["n"] for r in memory if "error" not in r and r["created"] == r["n"]] == [2000, 2000, 5000, 5000]
    assert all("met" in v for v in results["memory"]["verdicts"])
    assert results["startup"]["rows"][0]["subject"] == "alation-workflows"
    assert results["generator"]["ours_cli"]["n"] == 1
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    for heading in ("## Machine", "## Summary against the targets", "## 1. Call overhead", "## 6. Memory"):
        assert heading in report
    assert "Quick (smoke-test) run" in report
