"""pyright --strict (pyproject's [tool.pyright]: strict everywhere) reports nothing on src/alation_workflows
and generator/.

mypy --strict runs in every landing's checklist; pyright does not, so this test is where a change
that breaks it shows up before CI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Slow (runs pyright): .ci/run runs it on the main Python only.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def test_pyright_is_clean() -> None:
    exe = shutil.which("pyright", path=str(Path(sys.executable).parent))
    assert exe, "pyright is a dev dependency: pip install -e '.[dev]'"
    # The interpreter running the tests, whose site-packages hold httpx and pydantic (not the PATH python).
    cmd = [exe, "--outputjson", "--pythonpath", sys.executable]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    report = json.loads(proc.stdout)
    errors = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']} ({d.get('rule')})"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert report["summary"]["filesAnalyzed"] > 100
    assert not errors, "\n".join(errors)


def test_the_whole_package_is_checked_strictly() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["tool"]["pyright"]["typeCheckingMode"] == "strict"
    assert config["tool"]["mypy"]["strict"] is True
    # Both checkers cover the SDK and the generator that writes it (benchmarks/ is not checked).
    for checked in ("src/alation_workflows", "generator"):
        assert checked in config["tool"]["pyright"]["include"], checked
        assert checked in config["tool"]["mypy"]["files"], checked
    # Nothing may drop files or strictness again: no excludes, and mypy overrides only for missing stubs.
    assert not config["tool"]["mypy"].get("exclude"), "[tool.mypy] exclude"
    for key in ("exclude", "ignore"):
        assert not config["tool"]["pyright"].get(key), f"[tool.pyright] {key}"
    for override in config["tool"]["mypy"].get("overrides", []):
        assert set(override) <= {"module", "ignore_missing_imports"}, override
