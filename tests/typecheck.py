"""Run mypy --strict once over many small modules (snippets, probes) and report errors by module."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Inside mypy's (git-ignored) cache, at a fixed place: mypy's cache remembers file paths, and
# reusing it makes reruns take seconds instead of tens of seconds.
WORK = ROOT / ".mypy_cache" / "snippet-check"
_LINE = re.compile(r"^(?P<module>[A-Za-z0-9_]+)\.py:(?P<line>\d+): (?P<kind>error|note): (?P<msg>.*)$")


def mypy_strict(modules: dict[str, str], timeout_s: float = 300) -> dict[str, list[str]]:
    """{module name: source} -> {module name: ["line: message", ...]} (errors only)."""
    src = WORK / "src"
    src.mkdir(parents=True, exist_ok=True)
    for old in src.glob("*.py"):
        old.unlink()
    for name, code in modules.items():
        (src / f"{name}.py").write_text(code, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(WORK / "cache"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            *sorted(f"{name}.py" for name in modules),
        ],
        capture_output=True,
        text=True,
        cwd=src,
        env={"MYPYPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        timeout=timeout_s,
    )
    out: dict[str, list[str]] = {name: [] for name in modules}
    for line in proc.stdout.splitlines():
        m = _LINE.match(line)
        if m and m.group("kind") == "error" and m.group("module") in out:
            out[m.group("module")].append(f"{m.group('line')}: {m.group('msg')}")
    # A crash or a config error prints nothing we can attribute: fail loudly rather than pass.
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    if proc.returncode == 1:
        assert any(out.values()), proc.stdout + proc.stderr
    return out
