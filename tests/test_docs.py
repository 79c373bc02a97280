"""The docs are executable and complete: every snippet runs, every link resolves, every operation has a page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.docs import DocsError, page_file, replace_sections
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


# ---- (a) every python snippet runs against the simulator over loopback HTTP -------------------


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[object, str]]:
    from alation_workflows.testing import Simulator

    sim = Simulator(token=TOKEN, job_duration=0.0)
    with sim.serve() as url:
        yield sim, url


@pytest.fixture(scope="module")
def snippet_results(served: tuple[object, str]) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run every snippet at once, each in its own interpreter with a bounded time (parallel: fast)."""
    sim, url = served
    env = {
        **os.environ,
        "ALATION_BASE_URL": url,
        "ALATION_TOKEN": TOKEN,
        "ALATION_USER_ID": "1",
        "ALATION_REFRESH_TOKEN": sim.issue_refresh_token(user_id=1),  # type: ignore[attr-defined]
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "PYTHONWARNINGS": "error::DeprecationWarning",
    }

    def run(s: Snippet) -> tuple[str, subprocess.CompletedProcess[str]]:
        try:
            proc = subprocess.run(
                [sys.executable, "-c", s.code],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=SNIPPET_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as exc:
            proc = subprocess.CompletedProcess(exc.cmd, -1, "", f"timed out after {SNIPPET_TIMEOUT_S}s")
        return s.key, proc

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        return dict(pool.map(run, SNIPPETS))


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.key for s in SNIPPETS])
def test_snippet_runs(snippet: Snippet, snippet_results: dict[str, subprocess.CompletedProcess[str]]) -> None:
    proc = snippet_results[snippet.key]
    assert proc.returncode == 0, f"{snippet.key} failed:\n{snippet.code}\n--- stderr ---\n{proc.stderr[-3000:]}"


def test_there_are_snippets_for_readme_and_every_operation() -> None:
    keys = [s.key for s in SNIPPETS]
    assert any(k.startswith("README.md:") for k in keys)
    for op in build_api(ROOT).operations:
        assert any(f"wf.{op.group}.{op.name}(" in s.code for s in SNIPPETS), f"no snippet calls {op.name}"


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
    api = build_api(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for group in api.groups:
        page = ROOT / "docs" / "sdks" / group.module / "README.md"
        assert page.exists(), f"no page for group {group.attr}"
        found = anchors(page)
        for op in group.operations:
            assert op.name in found, f"{page.relative_to(ROOT)} has no section for {op.name}"
            assert f"docs/sdks/{group.module}/README.md#{op.name}" in readme, f"README does not list {op.name}"
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
