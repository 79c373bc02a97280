"""Public API stability: openapi/public_api.json snapshots groups, methods, parameters, models and
fields; a spec change that removes or renames any of them is reported, and --check fails until the
snapshot is regenerated; x-method-name keeps a name when its operationId changes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = "openapi/alation-workflows.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for part in ("openapi", "generator", "src", "docs"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    for extra in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / extra, tmp_path / extra)
    return tmp_path


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=root, capture_output=True, text=True, timeout=120
    )


def edit(root: Path, old: str, new: str) -> None:
    spec = root / SPEC
    text = spec.read_text(encoding="utf-8")
    assert old in text
    spec.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_snapshot_lists_the_public_surface() -> None:
    snapshot = json.loads((ROOT / "openapi/public_api.json").read_text(encoding="utf-8"))
    create = snapshot["groups"]["documents"]["create_documents"]
    assert create["operation"] == "POST /integration/v2/document/"
    assert create["params"]["request"]["required"] is True
    assert "document_hub_id" in snapshot["models"]["DocumentIn"]
    assert snapshot["client"] == "Workflows"


def test_renamed_operation_is_reported_and_check_fails_until_acknowledged(project: Path) -> None:
    edit(project, "operationId: createDocuments", "operationId: addDocuments")
    check = run(project, "--check")
    assert check.returncode == 1
    assert "documents.create_documents() renamed to add_documents()" in check.stderr
    assert "x-method-name: create_documents" in check.stderr
    written = run(project)
    assert written.returncode == 0 and "renamed to add_documents()" in written.stderr
    assert run(project, "--check").returncode == 0  # the regenerated snapshot acknowledges it


def test_method_name_override_keeps_the_public_name(project: Path) -> None:
    edit(
        project,
        "operationId: createDocuments",
        "operationId: addDocuments\n      x-method-name: createDocuments",
    )
    assert run(project).returncode == 0
    result = run(project, "--check")
    assert result.returncode == 0 and "public API" not in result.stderr
    group = (project / "src/alation_workflows/documents.py").read_text(encoding="utf-8")
    assert "def create_documents(" in group and "add_documents" not in group


def test_removed_field_is_reported(project: Path) -> None:
    edit(project, "        parent_document_id: {type: integer}\n", "")
    check = run(project, "--check")
    assert check.returncode == 1 and "models.DocumentIn.parent_document_id removed" in check.stderr


def test_deprecated_operation_shows_in_docs_and_snapshot(project: Path) -> None:
    edit(project, "operationId: createDocuments", "operationId: createDocuments\n      deprecated: true")
    written = run(project)
    assert written.returncode == 0, written.stderr
    docs = (project / "docs/sdks/documents/README.md").read_text(encoding="utf-8")
    assert "DEPRECATED" in docs
    group = (project / "src/alation_workflows/documents.py").read_text(encoding="utf-8")
    assert "DeprecationWarning" in group and "Deprecated: this operation" in group
    snapshot = json.loads((project / "openapi/public_api.json").read_text(encoding="utf-8"))
    assert snapshot["groups"]["documents"]["create_documents"]["deprecated"] is True
