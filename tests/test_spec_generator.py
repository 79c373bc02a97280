"""The generator's spec extensions fail loudly, naming the JSON pointer of what is wrong."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import Builder
from generator.errors import SpecError

ROOT = Path(__file__).resolve().parent.parent
SPEC = yaml.safe_load((ROOT / "openapi" / "alation-workflows.yaml").read_text(encoding="utf-8"))
SETTINGS = yaml.safe_load((ROOT / "openapi" / "gen.yaml").read_text(encoding="utf-8"))
DQ = "/integration/v1/data_quality/"
DOMAIN = "/integration/v2/domain/membership/"


def _problems(spec: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(SpecError) as caught:
        Builder(spec, SETTINGS, "spec.yaml").build()
    return caught.value.problems


def test_the_real_spec_builds() -> None:
    api = Builder(copy.deepcopy(SPEC), SETTINGS, "spec.yaml").build()
    ops = {op.id: op for op in api.operations}
    assert "postDataQuality" not in ops and {"postDataQualityFields", "postDataQualityValues"} <= set(ops)
    assert ops["assignDomainMembership"].job.hybrid  # type: ignore[union-attr]
    assert ops["createBusinessPolicies"].job.sources == [("id", "/task/id")]  # type: ignore[union-attr]
    assert ops["postVirtualFileSystemMetadata"].job.sources == [("id", "/job/id")]  # type: ignore[union-attr]
    assert ops["postVirtualDataSourceMetadata"].job.sources == [("name", "/job_name")]  # type: ignore[union-attr]


def test_variant_body_outside_the_oneof_fails() -> None:
    spec = copy.deepcopy(SPEC)
    variant = spec["paths"][DQ]["post"]["x-variants"][0]
    variant["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/DocumentIn"
    }
    problems = _problems(spec)
    assert any(
        p == "/paths/~1integration~1v1~1data_quality~1/post/x-variants/0/requestBody"
        and "must $ref one of" in m
        for p, m in problems
    )
    assert any("no variant covers" in msg for _, msg in problems)


def test_variant_may_not_override_responses() -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"][DQ]["delete"]["x-variants"][1]["responses"] = {}
    assert any(p.endswith("/delete/x-variants/1") and "may only set" in m for p, m in _problems(spec))


def test_link_pointer_must_name_a_handle_property() -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["responses"]["TaskAccepted"]["links"]["jobStatus"]["parameters"]["id"] = (
        "$response.body#/task/uuid"
    )
    problems = _problems(spec)
    assert any(
        "'/task/uuid' is not a property path" in m and "/links/jobStatus/parameters/id" in p
        for p, m in problems
    )


def test_hybrid_sync_result_must_differ_from_the_handle() -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"][DOMAIN]["post"]["responses"]["201"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/JobIdHandle"
    }
    assert any(p.endswith("/responses/201") and "must not share" in m for p, m in _problems(spec))


def test_batch_limit_must_match_max_items() -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/integration/v2/document/"]["post"]["x-batch-limit"] = 500
    spec["components"]["schemas"]["DataQualityFieldsRequest"]["properties"]["fields"]["maxItems"] = 10
    problems = _problems(spec)
    assert any(p == "/paths/~1integration~1v2~1document~1/post/x-batch-limit" for p, _ in problems)
    assert any(
        p == "/paths/~1integration~1v1~1data_quality~1/post/x-variants/0/x-batch-limit" for p, _ in problems
    )
