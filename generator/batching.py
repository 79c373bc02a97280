"""Typed `submit_batches` / `submit_batches_async`: one overload per parameter signature of the
spec's batch operations, so a missing or misspelled operation parameter is a type error."""

from __future__ import annotations

from typing import Any

from . import ir
from .pytypes import TypeWriter
from .render import HEADER, environment

PATH = "src/{package}/_batching.py"


def _batchable(op: ir.Operation) -> bool:
    return op.job is not None and (
        op.batch_limit is not None or (op.body is not None and isinstance(op.body.type, ir.ListOf))
    )


# The parameters are declared as in the generated methods (required first), so each protocol
# matches its methods exactly.
def render_batching(api: ir.Api) -> dict[str, str]:
    tw = TypeWriter("models.", False, {e.name: e for e in api.enums})
    signatures: dict[tuple[str, ...], list[str]] = {}
    for op in api.operations:
        if _batchable(op):
            args = tuple(
                f"{p.name}: {tw.py(p.type)}" if p.required else f"{p.name}: {tw.py(p.type)} | None = ..."
                for p in sorted(op.params, key=lambda p: not p.required)
            )
            signatures.setdefault(args, []).append(op.id)
    shapes: list[dict[str, Any]] = [
        {
            "n": n,
            "params": list(args),
            "operations": ", ".join(sorted(ops)),
        }
        for n, (args, ops) in enumerate(sorted(signatures.items()))
    ]
    text = (
        environment()
        .get_template("batching.py.jinja")
        .render(
            header=HEADER.format(spec=api.spec_path),
            shapes=shapes,
            uses_models=any("models." in p for s in shapes for p in s["params"]),
        )
    )
    return {PATH.format(package=api.package): text}
