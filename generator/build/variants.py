"""`x-variants`: one wire operation whose body is a oneOf, emitted as one typed method per option."""

from __future__ import annotations

from typing import Any

from ..raw import Obj, arr, is_arr, is_obj, obj
from .context import Context, json_schema

_VARIANT_KEYS = frozenset(
    {"operationId", "summary", "description", "requestBody", "x-batch-limit", "externalDocs", "x-method-name"}
)


def variants(ctx: Context, op: dict[str, Any], pointer: str) -> list[tuple[str, dict[str, Any]]]:
    """(pointer, operation) for each method the wire operation becomes (itself, without x-variants)."""
    listed = op.get("x-variants")
    if listed is None:
        return [(pointer, op)]
    v_ptr = f"{pointer}/x-variants"
    base_schema = json_schema(op.get("requestBody"))
    refs = {s.get("$ref") for s in arr(obj(base_schema).get("oneOf")) if is_obj(s)}
    if not refs or None in refs:
        ctx.fail(f"{pointer}/requestBody", "an operation with x-variants needs a oneOf of $refs as body")
        return []
    options: set[str] = {r for r in refs if r is not None}
    if not is_arr(listed) or not listed:
        ctx.fail(v_ptr, "x-variants must be a non-empty list")
        return []
    out: list[tuple[str, Obj]] = []
    covered: set[str] = set()
    for i, variant in enumerate(listed):
        extra = set(variant) - _VARIANT_KEYS
        if extra:
            ctx.fail(f"{v_ptr}/{i}", f"a variant may only set {sorted(_VARIANT_KEYS)}, not {sorted(extra)}")
            continue
        ref = obj(json_schema(variant.get("requestBody"))).get("$ref")
        if ref not in options:
            ctx.fail(f"{v_ptr}/{i}/requestBody", "a variant's body must $ref one of the base body's oneOf")
            continue
        covered.add(ref)
        merged = {k: v for k, v in op.items() if k != "x-variants"} | variant
        out.append((f"{v_ptr}/{i}", merged))
    if covered != options:
        ctx.fail(v_ptr, f"no variant covers {sorted(options - covered)}")
    return out
