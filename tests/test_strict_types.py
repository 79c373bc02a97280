"""pyright reports nothing: strict on src/alation_workflows and generator/, standard on tests/
(pyproject's [tool.pyright]). mypy --strict covers the same three, tests/ with unannotated
functions allowed but their bodies checked and stale `# type: ignore`s reported.

mypy runs in every landing's checklist; pyright does not, so this test is where a change
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
    # -p: this project's config, even if a parent directory holds a pyrightconfig.json (pyright prefers it)
    cmd = [exe, "--outputjson", "-p", str(ROOT), "--pythonpath", sys.executable]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    report = json.loads(proc.stdout)
    errors = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']} ({d.get('rule')})"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert report["summary"]["filesAnalyzed"] > 100
    assert not errors, "\n".join(errors)


# What the tests/ override may relax: annotations on test functions and helpers, bare generics,
# returning a response's .json() (Any). It must keep checking their bodies and stale ignores.
TESTS_RELAXED = {
    "disallow_untyped_defs",
    "disallow_incomplete_defs",
    "disallow_untyped_calls",
    "disallow_any_generics",
    "warn_return_any",
}
TESTS_KEPT = {"check_untyped_defs", "warn_unused_ignores"}


def test_the_whole_package_is_checked_strictly() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pyright, mypy = config["tool"]["pyright"], config["tool"]["mypy"]
    assert mypy["strict"] is True
    # Both checkers cover the SDK, the generator that writes it and the test suite (benchmarks/ is
    # not checked); pyright is strict on the first two, at least standard on the tests.
    for checked in ("src/alation_workflows", "generator", "tests"):
        assert checked in pyright["include"], checked
        assert checked in mypy["files"], checked
    assert pyright["typeCheckingMode"] in ("standard", "strict")
    if pyright["typeCheckingMode"] != "strict":
        for checked in ("src/alation_workflows", "generator"):
            assert checked in pyright.get("strict", []), f"[tool.pyright] strict: {checked}"
    # tests/ has no __init__.py: its modules are tests.<name> only with explicit package bases (the
    # tests.* override below would not apply otherwise).
    assert mypy.get("explicit_package_bases") is True
    # Nothing may drop files or strictness again: no excludes; mypy overrides only for missing
    # stubs, or the tests.* one, which relaxes only annotation rules and keeps checking bodies.
    assert not mypy.get("exclude"), "[tool.mypy] exclude"
    for key in ("exclude", "ignore"):
        assert not pyright.get(key), f"[tool.pyright] {key}"
    for override in mypy.get("overrides", []):
        modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
        if any(m == "tests" or m.startswith("tests.") for m in modules):
            assert modules == ["tests.*"], override
            assert set(override) <= {"module"} | TESTS_RELAXED | TESTS_KEPT, override
            for kept in TESTS_KEPT:
                assert override.get(kept) is True, f"tests.* override: {kept} must be true"
        else:
            assert set(override) <= {"module", "ignore_missing_imports"}, override


def test_mypy_checks_test_bodies_and_reports_stale_ignores(tmp_path: Path) -> None:
    # A probe checked as if it were a module of tests/ (--shadow-file: same path, other text), with
    # pyproject's mypy config: an unannotated body is checked, a stale ignore reported, and the
    # missing annotations themselves are not errors.
    probe = tmp_path / "probe.py"
    probe.write_text(
        'def untyped(a):\n    x: int = "no"\n    return x, a\n\n\ny = 1  # type: ignore[arg-type]\n',
        encoding="utf-8",
    )
    shadowed = "tests/test_strict_types.py"
    cmd = [sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir", str(tmp_path / "cache")]
    proc = subprocess.run(
        [*cmd, "--shadow-file", shadowed, str(probe), shadowed],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    errors = [line for line in proc.stdout.splitlines() if ": error: " in line]
    assert [(e.split(":")[1], e.rsplit("[", 1)[-1]) for e in errors] == [
        ("2", "assignment]"),
        ("6", "unused-ignore]"),
    ], proc.stdout
