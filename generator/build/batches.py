"""`x-batch-limit`: how many items one request may carry, and which list batching splits."""

from __future__ import annotations

from typing import Any

from .. import ir
from .context import Context


def batch_limit(
    ctx: Context, op: dict[str, Any], pointer: str, body: ir.Body | None
) -> tuple[Any, str | None]:
    """(the limit, the wire name of an object body's one list) for an operation; (None, None) without one."""
    limit = op.get("x-batch-limit")
    if limit is None:
        return None, None
    if _batch_max(ctx, body) != limit:
        ctx.fail(
            f"{pointer}/x-batch-limit",
            "x-batch-limit must equal the maxItems of the body array (or of an object body's one array)",
        )
    return limit, _batch_field(ctx, body)


def _object_lists(ctx: Context, body: ir.Body) -> list[ir.Field] | None:
    if not isinstance(body.type, ir.Ref) or body.type.name not in ctx.models:
        return None
    return [f for f in ctx.models[body.type.name].fields if isinstance(f.type, ir.ListOf)]


def _batch_field(ctx: Context, body: ir.Body | None) -> str | None:
    """For an object body, the wire name of its one list (what batching splits)."""
    lists = _object_lists(ctx, body) if body is not None else None
    return lists[0].wire if lists is not None and len(lists) == 1 else None


def _batch_max(ctx: Context, body: ir.Body | None) -> Any:
    if body is None:
        return None
    if isinstance(body.type, ir.ListOf):
        return body.constraints.get("max_length")
    lists = _object_lists(ctx, body)
    return lists[0].constraints.get("max_length") if lists is not None and len(lists) == 1 else None
