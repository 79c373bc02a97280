"""The command line's operation registry: every operation, by `<group>.<method>`, from the IR."""

from __future__ import annotations

from typing import Any

from . import ir
from .pytypes import TypeWriter
from .render import HEADER, environment

PATH = "src/{package}/cli/_registry.py"


def _kind(op: ir.Operation) -> str:
    """How `submit` can drive it: "batches" (a job taking a list of items), "job", or "call"."""
    if op.job is None:
        return "call"
    if op.batch_limit is not None or (op.body is not None and isinstance(op.body.type, ir.ListOf)):
        return "batches"
    return "job"


def render_cli_registry(api: ir.Api) -> dict[str, str]:
    tw = TypeWriter("", False, {e.name: e for e in api.enums})
    entries: list[dict[str, Any]] = []
    for group in api.groups:
        for op in group.operations:
            entries.append(
                {
                    "name": f"{group.attr}.{op.name}",
                    "group": group.attr,
                    "method": op.name,
                    "operation": op.id,
                    "kind": _kind(op),
                    "summary": " ".join((op.summary or op.name).split()),
                    "params": [
                        (p.name, tw.py(p.type), p.required, " ".join((p.description or p.wire).split()))
                        for p in op.params
                    ],
                }
            )
    text = (
        environment()
        .get_template("cli_registry.py.jinja")
        .render(header=HEADER.format(spec=api.spec_path), entries=sorted(entries, key=lambda e: e["name"]))
    )
    return {PATH.format(package=api.package): text}
