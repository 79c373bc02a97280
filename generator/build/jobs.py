"""`x-job` + response `links`: which operations start a job, how to poll it, what it returns."""

from __future__ import annotations

from typing import Any

from .. import ir
from ..errors import esc
from ..load import resolve_pointer
from ..naming import param_name, snake
from .context import Context, json_schema
from .types import Types


def job_link(
    ctx: Context, types: Types, op: dict[str, Any], pointer: str, responses: list[ir.Response]
) -> ir.JobLink | None:
    xjob = op.get("x-job")
    if xjob is None:
        return None
    details = types.type_of(xjob.get("details", {}), f"{pointer}/x-job/details", "Details")
    if not isinstance(details, ir.Ref) or details.kind != "model":
        ctx.fail(f"{pointer}/x-job/details", "x-job.details must $ref a job-details model")
        return None
    sources: list[tuple[str, str]] = []
    status_op = None
    handles: list[str] = []
    sync: list[str] = []
    for status, resp in (op.get("responses") or {}).items():
        if not str(status).startswith("2"):
            continue
        r_ptr = f"{pointer}/responses/{esc(str(status))}"
        resp = ctx.deref(resp)
        links = resp.get("links") or {}
        (handles if links else sync).append(str(status))
        for lname, link in links.items():
            status_op = link["operationId"]
            for param, expr in (link.get("parameters") or {}).items():
                prefix = "$response.body#"
                if not isinstance(expr, str) or not expr.startswith(prefix):
                    ctx.fail(f"{r_ptr}/links/{lname}", "link parameters must be $response.body#/pointer")
                    continue
                target = expr[len(prefix) :]
                if not _schema_has(ctx, json_schema(resp), target):
                    ctx.fail(
                        f"{r_ptr}/links/{lname}/parameters/{esc(param)}",
                        f"{target!r} is not a property path of the response schema",
                    )
                if (param_name(param), target) not in sources:
                    sources.append((param_name(param), target))
    if status_op is None or not sources:
        ctx.fail(
            f"{pointer}/x-job", "a job operation needs a 2XX response with links to the job-status operation"
        )
        return None
    by_status = {r.status: r.type for r in responses}
    handle_types = {by_status.get(s) for s in handles}
    for s in handles:
        if not isinstance(by_status.get(s), ir.Ref):
            ctx.fail(f"{pointer}/responses/{s}", "a job-handle response must be a model ($ref an object)")
    for s in sync:
        # The runtime tells a handle from a finished result by its model class.
        if by_status.get(s) in handle_types:
            ctx.fail(f"{pointer}/responses/{s}", "a synchronous result must not share the job-handle schema")
    return ir.JobLink(snake(status_op), details, sources, handles, sync)


def _schema_has(ctx: Context, schema: Any, pointer: str) -> bool:
    """Whether a JSON pointer names a property path of a schema (following $ref and allOf)."""
    node = schema
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        node = _property(ctx, node, token, 0)
        if node is None:
            return False
    return True


def _property(ctx: Context, schema: Any, name: str, depth: int) -> Any:
    if not isinstance(schema, dict) or depth > 20:
        return None
    if "$ref" in schema:
        return _property(ctx, resolve_pointer(ctx.spec, schema["$ref"]), name, depth + 1)
    if name in (schema.get("properties") or {}):
        return schema["properties"][name]
    for part in schema.get("allOf") or []:
        found = _property(ctx, part, name, depth + 1)
        if found is not None:
            return found
    return None
