"""The generator on public sample specs (tests/fixtures/specs): each generates a package that
passes one mock-transport call per operation, or is refused only for constructs generator/README.md
lists as refused."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator import ir
from generator.docs import _Docs
from generator.pipeline import build_api
from tests.generated_project import ROOT, imported, make_project, run_generator

# Slow (generates four foreign packages): .ci/run runs it on the main Python only.
pytestmark = pytest.mark.slow

SPECS = ROOT / "tests" / "fixtures" / "specs"
GENERATES = ["petstore-expanded.yaml", "uspto.yaml"]
REFUSED = ["opc-3.1-specific.yaml", "opc-3.1-enums.yaml"]


def refused_constructs() -> list[str]:
    """The `code` spans of the README features table's refused rows."""
    rows = (ROOT / "generator" / "README.md").read_text(encoding="utf-8").splitlines()
    return [
        c for row in rows if "| refused" in row.lower() for c in re.findall(r"`([^`]+)`", row.split("|")[1])
    ]


def wire(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


@pytest.mark.parametrize("name", GENERATES)
def test_sample_spec_generates_and_every_operation_works_over_a_mock_transport(
    tmp_path: Path, name: str
) -> None:
    package = "sample_" + re.sub(r"\W", "_", name.removesuffix(".yaml"))
    root = make_project(tmp_path, (SPECS / name).read_text(encoding="utf-8"), package)
    proc = run_generator(root)
    assert proc.returncode == 0, proc.stderr
    api = build_api(root)
    docs = _Docs(api)
    assert api.operations
    for op in api.operations:
        call_once(root, package, api, docs, op)


def call_once(root: Path, package: str, api: ir.Api, docs: _Docs, op: ir.Operation) -> None:
    """Call one operation with synthesized arguments; the mock answers its success response."""
    seen: list[httpx.Request] = []
    success = op.success
    status = int(success.status.replace("XX", "00"))
    body = docs.synth(success.type) if success.type is not None else None

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status) if success.type is None else httpx.Response(status, json=wire(body))

    args = {p.name: docs.synth(p.type) for p in op.params if p.required}
    if op.body is not None:
        args["request"] = docs.synth(op.body.type)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    with (
        imported(root, package) as module,
        getattr(module, api.client_class)(server_url="https://example.com", client=http) as c,
    ):
        result = getattr(getattr(c, op.group), op.name)(**args)
    assert len(seen) == 1 and seen[0].method == op.method, op.id
    template = re.sub(r"\{[^}]+\}", "[^/]+", op.path)
    assert re.fullmatch(template, seen[0].url.path), (op.id, seen[0].url.path)
    if success.type is not None:
        assert result is not None, op.id


def test_a_fixed_server_in_the_spec_is_the_default_server_url(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, (SPECS / "petstore-expanded.yaml").read_text(encoding="utf-8"), "sample_servers"
    )
    assert run_generator(root).returncode == 0
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with imported(root, "sample_servers") as module:
        with module.Client(client=http) as c:  # no server_url: the spec's https://petstore.swagger.io/v2
            c.default.delete_pet(id=7)
    assert str(seen[0].url) == "https://petstore.swagger.io/v2/pets/7"


@pytest.mark.parametrize("name", REFUSED)
def test_sample_spec_is_refused_only_for_constructs_listed_as_refused(tmp_path: Path, name: str) -> None:
    root = make_project(tmp_path, (SPECS / name).read_text(encoding="utf-8"), "sample_refused")
    proc = run_generator(root)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    problems = [ln.strip() for ln in proc.stderr.splitlines() if ln.startswith("  /")]
    assert problems, proc.stderr
    listed = set(refused_constructs())
    for line in problems:
        # A refusal points at the refused keyword itself: the pointer's last token names it.
        keyword = line.split(":")[0].rsplit("/", 1)[-1]
        assert keyword in listed, (
            f"{line!r}: {keyword!r} is not a construct generator/README.md lists as refused"
        )


def test_refused_rows_exist_in_the_readme() -> None:
    assert {"not", "prefixItems", "discriminator"} <= set(refused_constructs())


def test_ir_kinds_are_all_rendered() -> None:
    # One exhaustive walk over type nodes: a new kind without a case fails here, not silently later.
    assert ir.children(ir.ListOf(ir.Prim("int"))) == (ir.Prim("int"),)
    with pytest.raises(AssertionError):
        ir.children("not a node")  # type: ignore[arg-type]
