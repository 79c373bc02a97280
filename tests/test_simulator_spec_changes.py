"""Edit the spec, regenerate, and everything follows: the SDK, the docs and the simulator change together.

One copy of the project gets four mutations at once (each touches different operations and is
asserted on its own): an operationId renamed, an optional field and an enum value added, a new
bulk operation added, operations deleted. The copy is regenerated once; its SDK and simulator run
in one subprocess (this process already imported the real package) that reports what it saw.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

# Slow (regenerates a copy of the project): .ci/run runs it on the main Python only.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
COPIED = ("openapi", "generator", "src", "docs", "examples", "README.md", "pyproject.toml")
RENAMED = ("createTerms", "createGlossaryTerms")
NEW_OPERATION = "createWidgets"


def _mutate(spec: dict[str, Any]) -> None:
    paths = spec["paths"]
    # 1. rename an operationId
    paths["/integration/v2/term/"]["post"]["operationId"] = RENAMED[1]
    # 2. an optional request field and a new enum value
    spec["components"]["schemas"]["DocumentIn"]["properties"]["review_note"] = {
        "type": "string",
        "description": "A note for reviewers (added by the spec-change test).",
    }
    spec["components"]["schemas"]["CustomFieldType"]["enum"].append("URL")
    # 3. a new bulk operation (a copy of document create under a new path), no handler for it
    widget = json.loads(json.dumps(paths["/integration/v2/document/"]["post"]))
    widget["operationId"] = NEW_OPERATION
    widget["summary"] = "Create widgets (asynchronous)"
    paths["/integration/v2/widget/"] = {"post": widget}
    # 4. delete an operation on a path that keeps others (405), and a whole path (404)
    del paths["/integration/v2/term/"]["delete"]
    del paths["/integration/v1/remove_dup_users_accts/"]


# Runs inside the regenerated copy: what its SDK and simulator do, as JSON on stdout.
PROBE = textwrap.dedent(
    """
    import json, httpx
    import alation_workflows
    from alation_workflows import Workflows, models
    from alation_workflows.testing import Simulator
    from alation_workflows.testing import routes
    from alation_workflows.testing.registry import handles, load_handlers

    out = {"package": alation_workflows.__file__}
    Simulator.check_answers_default = True
    sim = Simulator(token="t")
    raw = httpx.Client(transport=sim.transport(), base_url="http://localhost", headers={"TOKEN": "t"})
    wf = Workflows(server_url="http://localhost", token="t", client=httpx.Client(transport=sim.transport()))

    def answer(method, path, **kw):
        r = raw.request(method, path, **kw)
        return {"status": r.status_code, "body": r.json() if r.content else None}

    out["missing"] = routes.missing_handlers()
    out["unknown"] = routes.unknown_handlers()
    out["sdk"] = {
        "create_glossary_terms": hasattr(wf.terms, "create_glossary_terms"),
        "create_terms": hasattr(wf.terms, "create_terms"),
        "delete_terms": hasattr(wf.terms, "delete_terms"),
        "create_widgets": hasattr(wf.documents, "create_widgets"),
        "users": hasattr(wf, "users") and hasattr(wf.users, "remove_duplicate_users"),
        "review_note": "review_note" in models.DocumentIn.model_fields,
        "url": "URL" in [m.value for m in models.CustomFieldType],
    }
    # renamed: the spec's checks hold before any handler is renamed
    out["renamed_invalid"] = answer("POST", "/integration/v2/term/", json=[{"title": 5}])
    out["renamed_valid_unhandled"] = answer("POST", "/integration/v2/term/", json=[{"title": "T"}])
    handles("createGlossaryTerms")(load_handlers().pop("createTerms"))
    routes.routes.cache_clear()
    job = wf.terms.create_glossary_terms(request=[models.TermIn(title="Net revenue")])
    out["renamed_sdk"] = job.wait(timeout=5).status.value
    # added field and enum value: sent by the SDK, accepted by the simulator, nothing dropped
    job = wf.documents.create_documents(
        request=[models.DocumentIn(title="KPI", document_hub_id=1, review_note="check the totals")]
    )
    out["field_sdk"] = job.wait(timeout=5).status.value
    posts = [r for r in sim.requests if r.method == "POST" and r.path == "/integration/v2/document/"]
    out["field_sent"] = json.loads(posts[-1].body)
    job = wf.custom_fields.create_custom_fields(
        request=[models.CustomFieldIn(field_type=models.CustomFieldType.URL, name_singular="Link")]
    )
    out["enum_sdk"] = job.wait(timeout=5).status.value
    # new operation: routed and checked from the table; no handler is reported by name
    out["new_valid"] = answer("POST", "/integration/v2/widget/", json=[{"title": "W", "document_hub_id": 1}])
    out["new_invalid"] = answer("POST", "/integration/v2/widget/", json=[{"document_hub_id": 1}])
    # deleted operations
    out["deleted_method"] = answer("DELETE", "/integration/v2/term/", json={"id": [1]})
    out["deleted_path"] = answer("POST", "/integration/v1/remove_dup_users_accts/", files={"f": b"x"})
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    copy = tmp_path_factory.mktemp("project")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, copy / name)
    spec_path = copy / "openapi" / "alation-workflows.yaml"
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    _mutate(spec)
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    gen = subprocess.run(
        [sys.executable, "-m", "generator"], cwd=copy, env=env, capture_output=True, text=True, timeout=300
    )
    assert gen.returncode == 0, gen.stderr
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=copy, env=env, capture_output=True, text=True, timeout=120
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    seen: dict[str, Any] = json.loads(probe.stdout.strip().splitlines()[-1])
    assert seen["package"].startswith(str(copy)), seen["package"]
    return copy, seen


def _text(copy: Path, *parts: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((copy / parts[0]).glob(parts[1])))


def _table(copy: Path) -> dict[str, Any]:
    table = copy / "src" / "alation_workflows" / "testing" / "operations.json"
    return json.loads(table.read_text(encoding="utf-8"))["operations"]


def test_a_renamed_operation_changes_sdk_docs_and_simulator_together(
    changed: tuple[Path, dict[str, Any]],
) -> None:
    copy, seen = changed
    old, new = RENAMED
    assert seen["sdk"]["create_glossary_terms"] and not seen["sdk"]["create_terms"]
    docs = _text(copy, "docs/sdks", "*/README.md")
    assert "create_glossary_terms" in docs and "create_terms(" not in docs
    assert new in _table(copy) and old not in _table(copy)
    # the handler still named the old id: both sides are reported by name
    assert new in seen["missing"] and old in seen["unknown"]


def test_the_invalid_body_400_holds_after_the_rename(changed: tuple[Path, dict[str, Any]]) -> None:
    _, seen = changed
    invalid = seen["renamed_invalid"]
    assert invalid["status"] == 400
    assert invalid["body"]["invalid_terms"][0]["index"] == 0  # the spec's InvalidTerms shape
    unhandled = seen["renamed_valid_unhandled"]
    assert unhandled["status"] == 501 and RENAMED[1] in unhandled["body"]["detail"]
    assert seen["renamed_sdk"] == "successful"  # once the handler carries the new name


def test_an_added_field_and_enum_value_are_sent_and_accepted(changed: tuple[Path, dict[str, Any]]) -> None:
    copy, seen = changed
    assert seen["sdk"]["review_note"] and seen["sdk"]["url"]
    assert seen["field_sent"] == [{"title": "KPI", "document_hub_id": 1, "review_note": "check the totals"}]
    assert seen["field_sdk"] == "successful"
    assert seen["enum_sdk"] == "successful"
    assert "review_note" in (copy / "docs/models/documentin.md").read_text(encoding="utf-8")
    assert "URL" in (copy / "docs/models/customfieldtype.md").read_text(encoding="utf-8")


def test_a_new_operation_without_a_handler_is_reported_by_name(changed: tuple[Path, dict[str, Any]]) -> None:
    copy, seen = changed
    assert seen["sdk"]["create_widgets"]
    assert "create_widgets" in _text(copy, "docs/sdks", "*/README.md")
    assert _table(copy)[NEW_OPERATION]["path"] == "/integration/v2/widget/"
    assert NEW_OPERATION in seen["missing"]
    assert seen["new_valid"]["status"] == 501 and NEW_OPERATION in seen["new_valid"]["body"]["detail"]
    assert seen["new_invalid"]["status"] == 400  # the spec's checks apply before any handler exists


def test_a_deleted_operation_is_gone_from_sdk_docs_and_simulator(
    changed: tuple[Path, dict[str, Any]],
) -> None:
    copy, seen = changed
    assert not seen["sdk"]["delete_terms"] and not seen["sdk"]["users"]
    docs = _text(copy, "docs/sdks", "*/README.md")
    assert "delete_terms(" not in docs and "remove_duplicate_users(" not in docs
    assert seen["deleted_method"]["status"] == 405
    assert seen["deleted_path"]["status"] == 404
    assert {"deleteTerms", "removeDuplicateUsers"} <= set(seen["unknown"])
