"""The spec is valid OpenAPI 3.1 and usable by another generator (openapi-python-client)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "alation-workflows.yaml"


def test_spec_passes_openapi_spec_validator() -> None:
    validate(yaml.safe_load(SPEC.read_text(encoding="utf-8")))


def test_spec_generates_with_openapi_python_client(tmp_path: Path) -> None:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    base_ids = {
        op["operationId"]
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }
    # openapi-python-client does not know newline-delimited JSON; told to treat it as JSON it
    # generates those endpoints too (sending a JSON array, which is its limitation, not the spec's).
    config = tmp_path / "config.yaml"
    config.write_text("content_type_overrides:\n  application/x-ndjson: application/json\npost_hooks: []\n")
    exe = Path(sys.executable).with_name("openapi-python-client")
    out = tmp_path / "client"
    env = {**os.environ, "PATH": f"{exe.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(
        [str(exe), "generate", "--path", str(SPEC), "--output-path", str(out), "--meta", "none"]
        + ["--config", str(config)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "will not be generated" not in output, output
    modules = {p.stem for p in (out / "api").rglob("*.py") if p.stem != "__init__"}
    # One module per operationId (x-variants are this SDK's extension: the base ids are generated).
    assert modules == {_snake(i) for i in base_ids}
    assert (out / "models" / "job_details_document_post.py").is_file()


def _snake(name: str) -> str:
    from generator.naming import snake

    return snake(name)
