"""readOnly / writeOnly: one class per schema, two wire shapes.

A read-only field is set by the server: a model only sent has no such field (passing one is an
error), a model used both ways makes it optional and never sends it. A write-only field is never
returned, so it is optional wherever the model is read.
"""

from __future__ import annotations

from .context import Context


def apply_access(ctx: Context) -> None:
    for model in ctx.models.values():
        if model.request_side and not model.response_side:
            model.fields = [f for f in model.fields if not f.read_only]
        for f in model.fields:
            if (f.read_only and model.request_side) or (f.write_only and model.response_side):
                f.required = False
