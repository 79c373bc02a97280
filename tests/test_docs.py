"""The docs are executable and complete: every snippet runs, every link resolves, every operation has a page."""

from __future__ import annotations

import functools
import logging
import os
import re
import signal
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.doc_pages import DocsError, page_file
from generator.docs import replace_sections
from generator.pipeline import build_api

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "docs-test-token"
SNIPPET_TIMEOUT_S = 30
FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.M | re.S)
ANY_FENCE = re.compile(r"^```.*?^```", re.M | re.S)
LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@dataclass(frozen=True)
class Snippet:
    key: str  # "path:line", what a failure names
    code: str


def collect_snippets() -> list[Snippet]:
    out = []
    for path in doc_files():
        text = path.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            out.append(Snippet(f"{path.relative_to(ROOT).as_posix()}:{line}", m.group(1)))
    return out


SNIPPETS = collect_snippets()


@functools.cache
def spec_api() -> Any:
    return build_api(ROOT)


# ---- (a) every python snippet runs against the simulator over loopback HTTP -------------------


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Any, str]]:
    from alation_workflows.testing import Simulator

    sim = Simulator(token=TOKEN, job_duration=0.0)
    with sim.serve() as url:
        yield sim, url


@pytest.fixture(scope="module")
def snippet_env(served: tuple[Any, str]) -> Iterator[None]:
    """The environment the snippets read: the simulator's URL and credentials."""
    sim, url = served
    env = {
        "ALATION_BASE_URL": url,
        "ALATION_TOKEN": TOKEN,
        "ALATION_USER_ID": "1",
        "ALATION_REFRESH_TOKEN": sim.issue_refresh_token(user_id=1),
        "ALATION_CLIENT_SECRET": "docs-client-secret",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _alarm(signum: int, frame: Any) -> None:
    raise TimeoutError(f"snippet still running after {SNIPPET_TIMEOUT_S}s")


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.key for s in SNIPPETS])
def test_snippet_runs(snippet: Snippet, served: tuple[Any, str], snippet_env: None) -> None:
    # In-process (one import of the SDK for all snippets), fresh globals each, bounded by SIGALRM.
    code = compile(snippet.code, snippet.key, "exec")
    served[0].seed_examples()  # the documented way (also `alation-workflows simulator --seed examples`)
    logger = logging.getLogger("alation_workflows")
    handlers, level = list(logger.handlers), logger.level
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, SNIPPET_TIMEOUT_S)
    try:
        exec(code, {"__name__": "__main__"})
    except SystemExit as exc:
        assert exc.code in (None, 0), f"{snippet.key} exited with {exc.code!r}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        logger.handlers[:], logger.level = handlers, level  # a snippet's debug_logger must not leak


def test_there_are_snippets_for_readme_and_every_operation() -> None:
    keys = [s.key for s in SNIPPETS]
    assert any(k.startswith("README.md:") for k in keys)
    for op in spec_api().operations:
        assert any(f"wf.{op.group}.{op.name}(" in s.code for s in SNIPPETS), f"no snippet calls {op.name}"


# ---- (a2) every python snippet type-checks under mypy --strict (one mypy run for all) -------------

@pytest.fixture(scope="module")
def snippet_type_errors() -> dict[str, list[str]]:
    from tests.typecheck import mypy_strict

    return mypy_strict({f"snippet_{i:03d}": s.code for i, s in enumerate(SNIPPETS)})


@pytest.mark.parametrize("index", range(len(SNIPPETS)), ids=[s.key for s in SNIPPETS])
def test_snippet_type_checks(index: int, snippet_type_errors: dict[str, list[str]]) -> None:
    errors = snippet_type_errors[f"snippet_{index:03d}"]
    assert not errors, f"{SNIPPETS[index].key}: mypy --strict:\n" + "\n".join(errors)


# ---- (b) every relative link resolves, anchors included -----------------------------------------


def slug(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    kept = "".join(c for c in text if c in "-_ " or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = ANY_FENCE.sub("", path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    out = set()
    for m in HEADING.finditer(text):
        base = slug(m.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def links(path: Path) -> list[str]:
    text = ANY_FENCE.sub("", path.read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)
    return LINK.findall(text)


def test_slug_matches_github() -> None:
    assert slug("create_documents") == "create_documents"
    assert slug("Waiting on jobs") == "waiting-on-jobs"
    assert slug("Body (`.data`), retries & errors!") == "body-data-retries--errors"


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_links_resolve(path: Path) -> None:
    problems = []
    for target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # external (https:, mailto:): not checked offline
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        if not dest.exists():
            problems.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            problems.append(f"{target}: no heading with anchor #{anchor}")
    assert not problems, f"{path.relative_to(ROOT)}: broken links:\n" + "\n".join(problems)


# ---- (c) every operation and model of the spec has its page --------------------------------------


def test_every_operation_and_model_has_a_page() -> None:
    api = spec_api()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for group in api.groups:
        page = ROOT / "docs" / "sdks" / group.module / "README.md"
        assert page.exists(), f"no page for group {group.attr}"
        found = anchors(page)
        for op in group.operations:
            assert op.name in found, f"{page.relative_to(ROOT)} has no section for {op.name}"
            assert f"docs/sdks/{group.module}/README.md#{op.name}" in readme, (
                f"README does not list {op.name}"
            )
    for name in [m.name for m in api.models] + [e.name for e in api.enums]:
        page = ROOT / "docs" / "models" / page_file(name)
        assert page.exists(), f"no page for model {name}"
        assert f"# {name}\n" in page.read_text(encoding="utf-8")


def test_docs_show_readable_types() -> None:
    for path in doc_files():
        text = path.read_text(encoding="utf-8")
        assert "Annotated[" not in text and "ORDERED" not in text, f"{path}: raw annotation in docs"


def test_readme_sections_need_both_markers() -> None:
    text = "a\n<!-- Start: X -->\nold\n<!-- End: X -->\nb\n"
    assert replace_sections(text, {"X": "new"}) == "a\n<!-- Start: X -->\nnew\n<!-- End: X -->\nb\n"
    with pytest.raises(DocsError, match="Start: Y"):
        replace_sections(text, {"Y": "new"})


# ---- the renderer copes with every construct the spec may grow into -------------------------------

PROBE = """
openapi: 3.1.0
info: {title: Probe, version: "1"}
servers: [{url: "https://example.com"}]
security: [{apiKey: []}]
tags: [{name: Job Status}, {name: Virtual Data Source}, {name: Users}]
paths:
  /api/v1/bulk_metadata/job/:
    get:
      operationId: getJobStatus
      tags: [Job Status]
      x-exactly-one-of: [id, name]
      parameters:
        - {name: id, in: query, schema: {type: integer}}
        - {name: name, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/JobDetails"}}}}
  /api/v1/bulk_metadata/extraction/{ds_id}:
    post:
      operationId: postMetadata
      tags: [Virtual Data Source]
      x-retries: submit
      x-job:
        polling: {$ref: "#/components/x-job-polling/Jobs"}
        details: {$ref: "#/components/schemas/JobDetailsVds"}
      parameters:
        - {name: ds_id, in: path, required: true, schema: {type: integer}, example: 7}
        - {name: keyField, in: query, schema: {type: string, enum: [id, external_id]}, example: external_id}
      requestBody:
        required: true
        content:
          application/x-ndjson:
            schema: {type: array, items: {$ref: "#/components/schemas/Line"}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/NameHandle"}}}
          links: {s: {operationId: getJobStatus, parameters: {name: "$response.body#/job_name"}}}
        "400": {description: bad, content: {application/json: {schema: {type: object, properties: {error: {type: string}}}}}}
  /integration/v1/remove_dup_users_accts/:
    post:
      operationId: removeDupUsers
      tags: [Users]
      x-retries: submit
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [csv_file]
              properties: {csv_file: {type: string, format: binary}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, additionalProperties: true}}}}
components:
  x-job-polling:
    Jobs:
      status-operation: getJobStatus
      status:
        successful: {field: /status, values: [successful]}
        failed: {field: /status, values: [failed]}
        running: {field: /status, values: [running]}
  securitySchemes: {apiKey: {type: apiKey, in: header, name: TOKEN}}
  schemas:
    JobDetails:
      type: object
      required: [status]
      properties: {status: {type: string}, msg: {type: string}, result: {}}
    NameHandle:
      type: object
      required: [job_name]
      properties: {job_name: {type: string}}
    Line:
      type: object
      required: [key]
      properties:
        key: {type: string, example: "7.schema.table"}
        kind: {type: string, enum: [TABLE, VIEW]}
    Counts:
      type: object
      required: [number_received]
      properties: {number_received: {type: integer}, error_objects: {type: array, items: {type: string}}}
    JobDetailsVds:
      allOf:
        - $ref: "#/components/schemas/JobDetails"
        - type: object
          properties:
            result: {type: string, contentMediaType: application/json, contentSchema: {$ref: "#/components/schemas/Counts"}}
"""


def test_probe_constructs_render_to_valid_snippets_and_pages(tmp_path: Path) -> None:
    import yaml

    from generator.build import Builder
    from generator.docs import render_docs

    settings = yaml.safe_load((ROOT / "openapi/gen.yaml").read_text())
    api = Builder(yaml.safe_load(PROBE), settings, "probe.yaml").build()
    (tmp_path / "src" / api.package / "_runtime").mkdir(parents=True)
    (tmp_path / "src" / api.package / "_runtime/config.py").write_text(
        (ROOT / "src/alation_workflows/_runtime/config.py").read_text()
    )
    files = render_docs(api, tmp_path)
    vds = files["docs/sdks/virtual_data_source/README.md"]
    code = FENCE.search(vds).group(1)  # type: ignore[union-attr]
    compile(code, "snippet", "exec")
    assert "ds_id=7" in code and "key_field=models.PostMetadataKeyField.EXTERNAL_ID" in code
    assert "models.Line(key=" in code and "details = job.wait(" in code
    assert "JSON-encoded string" in files["docs/models/jobdetailsvds.md"]
    users = FENCE.search(files["docs/sdks/users/README.md"]).group(1)  # type: ignore[union-attr]
    compile(users, "snippet", "exec")
    assert "csv_file=b" in users
    status = FENCE.search(files["docs/sdks/job_status/README.md"]).group(1)  # type: ignore[union-attr]
    assert "get_job_status(name=job.name)" in status
    for text in files.values():
        assert "Annotated[" not in text
