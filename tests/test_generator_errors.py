"""The generator's answers to bad specs: every problem with its absolute JSON pointer, exit code 2,
never a traceback; warnings for what it does not use; exit codes documented in --help."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.generated_project import make_project, run_generator

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Probe", "version": "1"},
    "servers": [{"url": "https://example.com"}],
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {"Thing": {"type": "object", "properties": {"name": {"type": "string"}}}},
    },
}


def run(tmp_path: Path, spec: dict[str, Any]) -> tuple[int, str]:
    root = make_project(tmp_path, spec, "probe_errors")
    proc = run_generator(root)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stderr


def test_ref_typo_is_one_line_with_pointer_and_suggestion(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["Thing"]["properties"]["other"] = {"$ref": "#/components/schemas/Thin"}
    code, err = run(tmp_path, spec)
    assert code == 2
    assert (
        "/components/schemas/Thing/properties/other: $ref '#/components/schemas/Thin' does not resolve" in err
    )
    assert "did you mean '#/components/schemas/Thing'" in err


def test_every_validator_error_is_listed_with_an_absolute_pointer(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    spec["info"].pop("version")
    spec["paths"]["/things/{id}"]["get"]["responses"]["200"]["description"] = 7
    code, err = run(tmp_path, spec)
    assert code == 2
    assert "/info: openapi-spec-validator: 'version' is a required property" in err.replace('"', "'")
    assert "/paths/~1things~1{id}/get/responses/200/description: openapi-spec-validator:" in err


def test_external_ref_is_refused_with_a_hint(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["Thing"]["properties"]["other"] = {"$ref": "common.yaml#/Other"}
    code, err = run(tmp_path, spec)
    assert code == 2
    assert "/components/schemas/Thing/properties/other: external $ref 'common.yaml#/Other'" in err
    assert "bundle" in err


def test_no_servers_no_components_no_tags_still_generates(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    spec.pop("servers")
    spec.pop("components")
    spec["paths"]["/things/{id}"]["get"]["responses"]["200"] = {"description": "ok"}
    code, err = run(tmp_path, spec)
    assert code == 0, err
    assert (tmp_path / "src/probe_errors/default.py").is_file()  # gen.yaml's default_group


def test_unknown_extension_orphan_schema_and_empty_tag_are_warnings(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/things/{id}"]["get"]["x-rate-limit"] = 5
    spec["components"]["schemas"]["Thing"]["properties"]["x-not-an-extension"] = {"type": "string"}
    spec["components"]["schemas"]["Unused"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    spec["tags"] = [{"name": "Nobody"}]
    code, err = run(tmp_path, spec)
    assert code == 0, err
    assert "warning: /paths/~1things~1{id}/get/x-rate-limit: unknown extension 'x-rate-limit'" in err
    assert "x-not-an-extension" not in err  # a property name, not an extension
    assert "warning: /components/schemas/Unused: orphaned schema" in err
    assert "warning: /tags/0: empty tag 'Nobody'" in err


def test_missing_settings_and_spec_are_exit_2(tmp_path: Path) -> None:
    proc = run_generator(tmp_path)
    assert proc.returncode == 2 and "gen.yaml" in proc.stderr and "Traceback" not in proc.stderr
    root = make_project(tmp_path, SPEC, "probe_errors")
    (root / "openapi/openapi.yaml").unlink()
    proc = run_generator(root)
    assert proc.returncode == 2 and "cannot read the spec" in proc.stderr


@pytest.mark.parametrize("version", ["2.0", "3.2.0"])
def test_unsupported_openapi_versions_are_refused(tmp_path: Path, version: str) -> None:
    code, err = run(tmp_path, {**SPEC, "openapi": version})
    assert code == 2 and "/openapi:" in err


def test_help_documents_exit_codes() -> None:
    proc = run_generator(Path("."), "--help")
    assert proc.returncode == 0
    for line in ("0  generated", "1  --check only", "2  the spec"):
        assert line in proc.stdout


def test_every_gen_yaml_key_has_a_default_for_foreign_specs() -> None:
    import yaml

    from generator.settings import DEFAULTS

    def keys(node: Any, prefix: str = "") -> set[str]:
        if not isinstance(node, dict):
            return set()
        return {f"{prefix}{k}" for k in node} | {x for k, v in node.items() for x in keys(v, f"{prefix}{k}.")}

    ours = yaml.safe_load((Path(__file__).resolve().parents[1] / "openapi/gen.yaml").read_text())
    # Map-valued settings whose keys are data (credential parameter names) need no defaults.
    missing = {k for k in keys(ours) - keys(DEFAULTS) if not k.startswith("docs.credentials.")}
    assert missing <= {"package"}, f"add defaults to generator/settings.py for {sorted(missing)}"


def test_a_key_given_twice_is_refused_not_silently_dropped(tmp_path: Path) -> None:
    # Two blocks for one path: YAML would keep only the second and the first operation would vanish.
    text = yaml.safe_dump(SPEC, sort_keys=False)
    twin = "  /things/{id}:\n    delete:\n      operationId: deleteThing\n      responses:\n        '204':\n          description: gone\n"
    text = text.replace("components:\n", twin + "components:\n", 1)
    root = make_project(tmp_path, text, "probe_dupes")
    proc = run_generator(root)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "/paths/~1things~1{id}: key '/things/{id}' appears twice in one mapping" in proc.stderr
