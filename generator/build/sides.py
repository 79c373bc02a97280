"""Which models are sent and which received: request-only models forbid unknown fields, enums seen
in responses stay open."""

from __future__ import annotations

from .. import ir
from .context import Context


def mark_sides(ctx: Context, groups: list[ir.Group]) -> None:
    def mark(node: ir.TypeNode | None, side: str, seen: set[str]) -> None:
        for ref in ir.refs(node):
            if ref.kind == "model" and ref.name not in seen:
                seen.add(ref.name)
                model = ctx.models[ref.name]
                setattr(model, side, True)
                if model.base:
                    mark(ir.Ref(model.base, "model"), side, seen)
                for f in model.fields:
                    mark(f.type, side, seen)

    for g in groups:
        for op in g.operations:
            if op.body:
                mark(op.body.type, "request_side", set())
            for r in op.responses + op.errors:
                mark(r.type, "response_side", set())
            if op.job:
                mark(op.job.details, "response_side", set())
                if op.job.succeeded:
                    mark(op.job.succeeded, "response_side", set())
    for model in ctx.models.values():
        if model.request_side and not model.response_side and model.extra != "forbid":
            model.extra = "forbid"
    open_enums = {
        ref.name
        for m in ctx.models.values()
        if m.response_side
        for f in m.fields
        for ref in ir.refs(f.type)
        if ref.kind == "enum"
    }
    for e in ctx.enums.values():
        e.open = e.name in open_enums
