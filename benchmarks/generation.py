"""Comparison 5: regenerating the SDK from the spec, ours vs openapi-python-client, in scratch copies.

Both are timed end to end as a user runs them (fresh process, including formatting with ruff);
ours twice: with its cache warm (the spec unchanged since the last run: the validator's verdict
and ruff's formatting come from `.cache/generator/`) and cold (`GENERATOR_NO_CACHE=1`, as on a
fresh clone or after a spec change). Ours is also timed in-process (`generator.pipeline.generate`, after a warm-up) to show the pipeline
alone. openapi-python-client reads the same spec, so it is a size-matched reference, not a
feature-matched one (see DESIGN.md for what it drops).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ._paths import ROOT, child_env
from .stats import Summary

SPEC = "openapi/alation-workflows.yaml"


def _scratch(base: Path) -> Path:
    root = base / "project"
    for name in ("openapi", "generator", "src", "docs"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def _env() -> dict[str, str]:
    env = child_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # openapi-python-client runs `ruff` from PATH as a post-hook; give it the same ruff we use.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    return time.perf_counter() - t0, proc


def run(
    repeats: int, *, warmup: bool = True, with_opc: bool = True, inprocess: bool = True
) -> dict[str, Any]:
    """Time both generators `repeats` times; the quick (smoke) run turns off the extras."""
    env = _env()
    opc = Path(sys.executable).parent / "openapi-python-client"
    ours_cmd = [sys.executable, "-m", "generator"]
    ours, cold, theirs, inproc = [], [], [], []
    cold_env = {**env, "GENERATOR_NO_CACHE": "1"}
    opc_note = None
    with tempfile.TemporaryDirectory(prefix="bench-gen-") as tmp:
        root = _scratch(Path(tmp))
        out = Path(tmp) / "opc-out"
        opc_cmd = [str(opc), "generate", "--path", str(root / SPEC), "--output-path", str(out), "--overwrite"]
        # Warm-up: bytecode caches and the OS file cache, for both tools.
        if warmup:
            wall, proc = _timed(ours_cmd, root, env)
            if proc.returncode != 0:
                raise RuntimeError(f"python -m generator failed: {proc.stderr[-1500:]}")
        if not with_opc:
            opc_note = "openapi-python-client not run (quick run)"
        elif opc.exists():
            _, p = _timed(opc_cmd, root, env)
            if p.returncode != 0:
                opc_note = f"openapi-python-client failed: {(p.stderr or p.stdout)[-500:]}"
            elif "Warning" in p.stdout + p.stderr:
                skipped = [
                    ln.strip() for ln in (p.stdout + p.stderr).splitlines() if ln.startswith("WARNING")
                ]
                opc_note = "openapi-python-client warned and generated less than the spec: " + (
                    "; ".join(skipped) or "some pieces may be missing"
                )
        else:
            opc_note = "openapi-python-client not installed"
        for _ in range(repeats):
            wall, proc = _timed(ours_cmd, root, env)
            if proc.returncode != 0:
                raise RuntimeError(f"python -m generator failed: {proc.stderr[-1500:]}")
            ours.append(wall)
            wall, proc = _timed(ours_cmd, root, cold_env)
            if proc.returncode != 0:
                raise RuntimeError(f"python -m generator failed: {proc.stderr[-1500:]}")
            cold.append(wall)
            if with_opc and opc.exists() and not (opc_note or "").startswith("openapi-python-client failed"):
                wall, _ = _timed(opc_cmd, root, env)
                theirs.append(wall)
        # In-process: the pipeline alone, with the generator already imported.
        from generator.output import existing_generated

        n_files = len(existing_generated(root))
        stages: dict[str, list[float]] = {}
        if inprocess:
            sys.path.insert(0, str(root))
            try:
                from generator.pipeline import generate

                generate(root)
                os.environ["GENERATOR_NO_CACHE"] = "1"  # the pipeline's own cost, every stage run
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    files = generate(root)
                    inproc.append(time.perf_counter() - t0)
                n_files = len(files)  # includes files that are not marked as generated, if any
                stages = _stages(root, repeats)
            finally:
                os.environ.pop("GENERATOR_NO_CACHE", None)
                sys.path.remove(str(root))
        spec_bytes = (root / SPEC).stat().st_size
        opc_files = sum(1 for p in out.rglob("*.py")) if out.exists() else 0
    return {
        "ours_cli": Summary.of(ours).as_dict(),
        "ours_cli_cold": Summary.of(cold).as_dict(),
        "ours_inprocess": Summary.of(inproc).as_dict(),
        "openapi_python_client": Summary.of(theirs).as_dict() if theirs else None,
        "files": n_files,
        "opc_files": opc_files,
        "spec_bytes": spec_bytes,
        "repeats": repeats,
        "opc_note": opc_note,
        "stages": {k: Summary.of(v).as_dict() for k, v in stages.items()},
    }


def _stages(root: Path, repeats: int) -> dict[str, list[float]]:
    """Where the in-process time goes: each pipeline stage timed on its own."""
    import yaml
    from openapi_spec_validator import validate

    from generator.load import load_spec
    from generator.output import format_python
    from generator.pipeline import build_api
    from generator.render import render_all

    out: dict[str, list[float]] = {}

    def timed(name: str, fn: Any) -> Any:
        t0 = time.perf_counter()
        value = fn()
        out.setdefault(name, []).append(time.perf_counter() - t0)
        return value

    text = (root / SPEC).read_text(encoding="utf-8")
    for _ in range(repeats):
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # what generator/load.py uses
        spec = timed(f"YAML parse ({loader.__name__})", lambda: yaml.load(text, Loader=loader))  # noqa: B023
        timed("openapi-spec-validator", lambda: validate(spec))  # noqa: B023
        timed("load_spec total (YAML + validator + lint)", lambda: load_spec(root / SPEC))
        api = timed("load + IR (build_api)", lambda: build_api(root))
        files = timed("render (Jinja)", lambda: render_all(api))  # noqa: B023
        timed("format (2 ruff runs)", lambda: format_python(files, root))  # noqa: B023
    return out
