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
from .schemas import render_request_schemas
from .settings import with_defaults

SETTINGS = "openapi/gen.yaml"


def load_settings(root: Path) -> dict[str, Any]:
    return with_defaults(yaml.safe_load((root / SETTINGS).read_text(encoding="utf-8")))


def build_api(root: Path, spec_rel: str | None = None) -> Api:
    settings = load_settings(root)
    spec_rel = spec_rel or settings["spec"]
    return Builder(load_spec(root / spec_rel, settings), settings, spec_rel).build()


def generate(root: Path) -> dict[str, str]:
    settings = load_settings(root)
    spec_rel = settings["spec"]
    spec = load_spec(root / spec_rel, settings)
    api = Builder(spec, settings, spec_rel).build()
    schemas = render_request_schemas(spec, spec_rel, api.package)
    return format_python(render_all(api) | render_docs(api, root) | schemas, root)
