"""The stages in order: load + lint -> IR -> render -> format. Returns files in memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .batching import render_batching
from .build import Builder
from .cli import render_cli_registry
from .docs import render_docs
from .errors import SpecError
from .ir import Api
from .load import load_spec
from .output import format_python
from .render import render_all
from .schemas import render_operation_table
from .settings import with_defaults
from .surface import removals, render_surface

SETTINGS = "openapi/gen.yaml"


def load_settings(root: Path) -> dict[str, Any]:
    path = root / SETTINGS
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError([(SETTINGS, f"cannot read the generator settings {path}: {exc.strerror}")]) from exc
    except yaml.YAMLError as exc:
        raise SpecError([(SETTINGS, f"not valid YAML: {exc}")]) from exc
    return with_defaults(raw)


def build_api(root: Path, spec_rel: str | None = None) -> Api:
    settings = load_settings(root)
    rel: str = spec_rel or settings["spec"]
    return Builder(load_spec(root / rel, settings), settings, rel).build()


def generate(
    root: Path,
    warnings: list[tuple[str, str]] | None = None,
    removed: list[str] | None = None,
    *,
    check: bool = False,
    notes: list[str] | None = None,
) -> dict[str, str]:
    """Every generated file in memory; spec warnings (pointer, message) are appended to `warnings`,
    removals from the committed public API snapshot to `removed`. With `check`, a missing or other
    ruff falls back to the committed hash manifest (said in `notes`)."""
    settings = load_settings(root)
    spec_rel = settings["spec"]
    spec = load_spec(root / spec_rel, settings, warnings)
    builder = Builder(spec, settings, spec_rel)
    api = builder.build()
    if warnings is not None:
        warnings.extend(builder.ctx.warnings)
    if removed is not None:
        removed.extend(removals(root, api))
    table = render_operation_table(api, spec)
    return format_python(
        render_all(api)
        | render_docs(api, root)
        | table
        | render_cli_registry(api)
        | render_batching(api)
        | render_surface(api, spec_rel),
        root,
        check=check,
        notes=notes,
    )
