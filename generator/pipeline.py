"""The stages in order: load + lint -> IR -> render -> format. Returns files in memory."""

from __future__ import annotations

from pathlib import Path

import yaml

from .build import Builder
from .docs import render_docs
from .load import load_spec
from .output import format_python
from .render import render_all

SPEC = "openapi/alation-workflows.yaml"
SETTINGS = "openapi/gen.yaml"


def build_api(root: Path, spec_rel: str = SPEC):
    spec = load_spec(root / spec_rel)
    settings = yaml.safe_load((root / SETTINGS).read_text(encoding="utf-8"))
    return Builder(spec, settings, spec_rel).build()


def generate(root: Path) -> dict[str, str]:
    api = build_api(root)
    return format_python(render_all(api) | render_docs(api, root), root)
