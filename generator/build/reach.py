"""Warnings about parts of the spec no operation uses: orphaned schemas and empty tags."""

from __future__ import annotations

from .. import ir
from ..errors import esc
from ..naming import pascal
from ..raw import arr, obj
from .context import Context


def unused(ctx: Context, groups: list[ir.Group]) -> list[tuple[str, str]]:
    seen: set[str] = set()

    def visit(node: ir.TypeNode | None) -> None:
        for ref in ir.refs(node):
            if ref.name in seen:
                continue
            seen.add(ref.name)
            model = ctx.models.get(ref.name)
            if model is not None:
                if model.base:
                    visit(ir.Ref(model.base, "model"))
                for f in model.fields:
                    visit(f.type)

    for g in groups:
        for op in g.operations:
            for p in op.params:
                visit(p.type)
            if op.body:
                visit(op.body.type)
            for r in op.responses + op.errors:
                visit(r.type)
            if op.job:
                visit(op.job.details)
                if op.job.succeeded:
                    visit(op.job.succeeded)
    out: list[tuple[str, str]] = []
    for name in obj(obj(ctx.spec.get("components")).get("schemas")):
        target = ctx.models.get(pascal(name)) or ctx.enums.get(pascal(name))
        if target is None or target.name not in seen:
            out.append((f"/components/schemas/{esc(name)}", "orphaned schema: no operation uses it"))
    used_tags = {g.tag for g in groups}
    for i, tag in enumerate(arr(ctx.spec.get("tags"))):
        if tag.get("name") not in used_tags:
            out.append((f"/tags/{i}", f"empty tag {tag.get('name')!r}: no operation has it"))
    return out
