"""The stages in order: load + lint -> IR -> render -> format. Returns files in memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .build import Builder
from .docs import render_docs
from .ir import Api
from .load import load_spec
from .output import format_python
from .render import render_all
from .schemas import render_operation_table

SPEC = "openapi/alation-workflows.yaml"
SETTINGS = "openapi/gen.yaml"


def build_api(root: Path, spec_rel: str = SPEC) -> Api:
    return _build(root, load_spec(root / spec_rel), spec_rel)


def _build(root: Path, spec: dict[str, Any], spec_rel: str) -> Api:
    settings = yaml.safe_load((root / SETTINGS).read_text(encoding="utf-8"))
    return Builder(spec, settings, spec_rel).build()


def generate(root: Path) -> dict[str, str]:
    spec = load_spec(root / SPEC)
    api = _build(root, spec, SPEC)
    table = render_operation_table(api, spec)
    return format_python(render_all(api) | render_docs(api, root) | table, root)
