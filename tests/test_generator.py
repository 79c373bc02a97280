"""Generator: naming, type mapping, lint errors with JSON pointers, determinism and --check."""

from __future__ import annotations

import copy
import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import ir
from generator.build import Builder
from generator.errors import SpecError
from generator.load import lint
from generator.naming import field_name, pascal, snake
from generator.pipeline import generate

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = yaml.safe_load((ROOT / "openapi/gen.yaml").read_text())


def probe_spec(schemas: dict[str, Any], *, extra_paths: dict[str, Any] | None = None) -> dict[str, Any]:
    """A minimal valid spec with one GET whose 200 response is the first schema."""
    first = next(iter(schemas))
    paths = {
        "/thing/": {
            "get": {
                "operationId": "getThing",
                "tags": ["Things"],
                "x-retries": "idempotent",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{first}"}}
                        },
                    }
                },
            }
        }
    }
    paths.update(extra_paths or {})
    return {
        "openapi": "3.1.0",
        "info": {"title": "Probe", "version": "1"},
        "servers": [{"url": "https://example.com"}],
        "tags": [{"name": "Things"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def build(spec: dict[str, Any]) -> ir.Api:
    return Builder(spec, {**SETTINGS, "package": "probe_sdk"}, "probe.yaml").build()


@pytest.mark.parametrize(
    ("raw", "snake_", "pascal_", "field"),
    [
        ("getJobStatus", "get_job_status", "GetJobStatus", "get_job_status"),
        ("Server IDs", "server_ids", "ServerIDs", "server_ids"),
        ("Job Status", "job_status", "JobStatus", "job_status"),
        ("HTTPServer", "http_server", "HTTPServer", "http_server"),
        ("from", "from", "From", "from_"),
        ("schema", "schema", "Schema", "schema_"),
        ("model_type", "model_type", "ModelType", "model_type_"),
    ],
)
def test_naming(raw: str, snake_: str, pascal_: str, field: str) -> None:
    assert (snake(raw), pascal(raw), field_name(raw)) == (snake_, pascal_, field)


TYPES_SPEC = {
    "Thing": {
        "type": "object",
        "required": ["kind", "value"],
        "properties": {
            "kind": {"type": "string", "enum": ["a", "b"]},
            "maybe": {"type": ["integer", "null"]},
            "value": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "ordered": {"anyOf": [{"$ref": "#/components/schemas/Inner"}, {}]},
            "labels": {"type": "object", "additionalProperties": {"type": "integer"}},
            "free": {"type": "object"},
            "encoded": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": {"$ref": "#/components/schemas/Inner"},
            },
            "encoded_list": {
                "type": "array",
                "items": {
                    "type": "string",
                    "contentMediaType": "application/json",
                    "contentSchema": {"$ref": "#/components/schemas/Inner"},
                },
            },
            "Odd Key": {"type": "integer"},
        },
    },
    "Inner": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}},
}


def test_type_mapping_to_ir() -> None:
    api = build(probe_spec(TYPES_SPEC))
    thing = next(m for m in api.models if m.name == "Thing")
    types = {f.name: f.type for f in thing.fields}
    inner = ir.Ref("Inner", "model")
    assert types["kind"] == ir.Ref("ThingKind", "enum")
    assert types["maybe"] == ir.Nullable(ir.Prim("int"))
    assert types["value"] == ir.Union((ir.Prim("str"), ir.ListOf(ir.Prim("str"))), ordered=False)
    assert types["ordered"] == ir.Union((inner, ir.Prim("Any")), ordered=True)
    assert types["labels"] == ir.DictOf(ir.Prim("int"))
    assert types["free"] == ir.DictOf(ir.Prim("Any"))
    assert types["encoded"] == ir.JsonString(inner)
    assert types["encoded_list"] == ir.ListOf(ir.JsonString(inner))
    odd = next(f for f in thing.fields if f.wire == "Odd Key")
    assert odd.name == "odd_key"
    assert next(e for e in api.enums if e.name == "ThingKind").open  # reachable from a response


@pytest.fixture(scope="module")
def probe_package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Generate the probe spec into a scratch package (with a copy of the runtime) and import it."""
    from generator.output import format_python
    from generator.render import render_all

    root = tmp_path_factory.mktemp("probe")
    files = format_python(render_all(build(probe_spec(TYPES_SPEC))), ROOT)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    pkg = root / "src/probe_sdk"
    for part in ("_runtime", "jobs"):
        shutil.copytree(ROOT / "src/alation_workflows" / part, pkg / part)
    for part in ("errors.py", "utils.py", "config.py", "auth.py", "_group.py", "lookups.py"):
        shutil.copy(ROOT / "src/alation_workflows" / part, pkg / part)
    sys.path.insert(0, str(root / "src"))
    try:
        yield importlib.import_module("probe_sdk.models")
    finally:
        sys.path.remove(str(root / "src"))


def test_generated_models_decode_and_round_trip(probe_package: Any) -> None:
    wire = {
        "kind": "c-unknown",
        "maybe": None,
        "value": ["x", "y"],
        "ordered": {"not": "inner"},
        "labels": {"a": 1},
        "free": {"anything": [1, 2]},
        "encoded": '{"n": 3}',
        "encoded_list": ['{"n": 1}', '{"n": 2}'],
        "Odd Key": 5,
        "unknown_field": "kept",
    }
    thing = probe_package.Thing.model_validate(wire)
    assert thing.kind == "c-unknown"  # open enum keeps unknown values
    assert thing.ordered == {"not": "inner"}  # anyOf falls back, nothing dropped
    assert thing.encoded.n == 3 and [i.n for i in thing.encoded_list] == [1, 2]
    assert thing.odd_key == 5
    back = thing.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert {k: v for k, v in back.items() if not k.startswith("encoded")} == {
        k: v for k, v in wire.items() if not k.startswith("encoded")
    }
    assert json.loads(back["encoded"]) == {"n": 3}
    assert probe_package.Thing.model_validate({**wire, "kind": "a"}).kind is probe_package.ThingKind.A
    with pytest.raises(Exception, match="maybe"):
        probe_package.Thing.model_validate({**wire, "maybe": "not an int"})


@pytest.mark.parametrize(
    ("mutate", "pointer", "message"),
    [
        (
            lambda s: s["components"]["schemas"]["Inner"].update(requried=["n"]),
            "/components/schemas/Inner/requried",
            "unknown",
        ),
        (
            lambda s: s["components"]["schemas"]["Inner"]["properties"]["n"].update(nullable=True),
            "/components/schemas/Inner/properties/n",
            "nullable",
        ),
        (
            lambda s: s["components"]["schemas"]["Inner"].update(required=["n", "m"]),
            "/components/schemas/Inner/required",
            "'m'",
        ),
        (
            lambda s: s["components"]["schemas"]["Thing"]["properties"]["encoded"].update(
                contentSchema={"$ref": "#/components/schemas/Nope"}
            ),
            "/components/schemas/Thing/properties/encoded/contentSchema",
            "does not resolve",
        ),
        (
            lambda s: s["paths"]["/thing/"]["get"].pop("x-retries"),
            "/paths/~1thing~1/get/x-retries",
            "x-retries",
        ),
    ],
)
def test_lint_names_the_offending_node(mutate: Any, pointer: str, message: str) -> None:
    spec = copy.deepcopy(probe_spec(TYPES_SPEC))
    mutate(spec)
    problems = lint(spec, SETTINGS)
    assert any(p == pointer and message in m for p, m in problems), problems


def test_unsupported_construct_fails_loudly() -> None:
    spec = probe_spec(
        {"Thing": {"type": "object", "properties": {"x": {"allOf": [{"type": "string"}, {"minLength": 1}]}}}}
    )
    with pytest.raises(SpecError, match="/components/schemas/Thing/properties/x"):
        build(spec)


def test_generation_is_deterministic() -> None:
    assert generate(ROOT) == generate(ROOT)


def test_check_mode_fails_after_spec_edit_and_passes_after_regeneration(tmp_path: Path) -> None:
    for part in ("openapi", "generator", "src"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    if (ROOT / "docs").exists():
        shutil.copytree(ROOT / "docs", tmp_path / "docs")
    for extra in ("pyproject.toml", "README.md"):
        if (ROOT / extra).exists():
            shutil.copy(ROOT / extra, tmp_path / extra)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", *args], cwd=tmp_path, capture_output=True, text=True
        )

    assert run("--check").returncode == 0
    spec_path = tmp_path / "openapi/alation-workflows.yaml"
    spec_path.write_text(
        spec_path.read_text().replace(
            "Job handle holding an integer job id", "Job handle with an integer job id"
        )
    )
    failed = run("--check")
    assert failed.returncode == 1 and "src/alation_workflows/models/job_id_handle.py" in failed.stderr
    stale = tmp_path / "src/alation_workflows/models/leftover.py"
    stale.write_text("# Generated by `python -m generator` from x: do not edit.\n")
    assert run().returncode == 0
    assert not stale.exists()
    assert run("--check").returncode == 0


def test_identical_responses_are_one_object_so_their_adapter_is_built_once() -> None:
    from alation_workflows import _operations as ops

    shared = ops.GET_JOB_STATUS.errors["401"]
    assert ops.CREATE_DOCUMENTS.errors["401"] is shared and ops.PUSH_QUERY_LOGS.errors["401"] is shared
    assert shared.type is not None and shared.type.adapter is ops.CREATE_TERMS.errors["403"].type.adapter  # type: ignore[union-attr]


def test_option_docs_come_from_the_fields_and_a_field_without_one_is_refused(tmp_path: Path) -> None:
    # The per-call option pages are written from the docstring line under each config field.
    from generator.config_docs import CONFIG_SOURCE, config_pages
    from generator.doc_pages import DocsError
    from generator.pipeline import build_api

    api = build_api(ROOT)
    pages = {p["title"]: p for p in config_pages(api, ROOT)}
    fields = pages["PollConfig"]["fields"]
    assert fields is not None
    row = next(f for f in fields if f[0] == "`requests_per_second`")
    assert "Status requests per second for the whole client" in row[3]

    copy_root = tmp_path / "proj"
    source = ROOT / "src" / api.package / CONFIG_SOURCE
    target = copy_root / "src" / api.package / CONFIG_SOURCE
    target.parent.mkdir(parents=True)
    text = source.read_text(encoding="utf-8")
    line = '    """Longest wait between two attempts (milliseconds)."""\n'
    assert line in text
    target.write_text(text.replace(line, "", 1), encoding="utf-8")
    with pytest.raises(DocsError, match="BackoffStrategy.max_interval has no description"):
        config_pages(api, copy_root)


def test_check_without_ruff_uses_the_committed_manifest(monkeypatch: pytest.MonkeyPatch) -> None:
    # An interpreter without the pinned ruff can still run --check: renders and committed files are
    # compared by the hashes in openapi/generated.sha256; write mode still needs ruff.
    from generator import output
    from generator.output import MANIFEST, RuffUnavailable, diff, format_python

    def no_ruff(root: Path) -> None:
        raise RuffUnavailable("ruff is not installed in this interpreter")

    monkeypatch.setattr(output, "check_ruff", no_ruff)
    monkeypatch.setenv("GENERATOR_NO_CACHE", "1")
    notes: list[str] = []
    files = generate(ROOT, check=True, notes=notes)
    assert diff(files, ROOT) == ([], [])
    assert notes and MANIFEST in notes[0]

    path = "src/alation_workflows/documents.py"
    rendered = {path: "x = 1\n"}
    out = format_python(rendered, ROOT, check=True)
    assert out[path] == "x = 1\n"  # a render the manifest does not know is reported as differing
    with pytest.raises(RuffUnavailable):
        format_python(rendered, ROOT)
