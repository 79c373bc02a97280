"""`x-job`: how a job-producing operation is polled, read into the IR (one home for the job contract).

An operation's `x-job` names its result schema (`details`), optionally the narrower schema of a
successful job's details (`succeeded`, an `allOf` extending `details`: what `wait()` returns), and
`$ref`s one polling contract under
`components/x-job-polling`: the status operation, which field values mean running / successful /
partially successful / failed, where the message and progress are, and an optional errors
operation. The handle response's OpenAPI `links` say where the id sits in the submit answer.
"""

from __future__ import annotations

from typing import Any

from .. import ir
from ..errors import esc
from ..load import iter_operations, resolve_pointer
from ..naming import param_name, snake
from ..raw import Obj, arr, is_arr, is_obj, obj
from .context import Context, json_schema
from .types import Types

# Terminal verdicts are tested first: a final `status` wins over a lagging `state`.
VERDICTS = ("successful", "partially-successful", "failed", "running")
_POLLING_KEYS = {"description", "status-operation", "status", "message", "progress", "errors-operation"}
_PREFIX = "#/components/x-job-polling/"


def job_link(
    ctx: Context, types: Types, op: dict[str, Any], pointer: str, responses: list[ir.Response]
) -> ir.JobLink | None:
    xjob = op.get("x-job")
    if xjob is None:
        return None
    x_ptr = f"{pointer}/x-job"
    details = types.type_of(xjob.get("details", {}), f"{x_ptr}/details", "Details")
    if not isinstance(details, ir.Ref) or details.kind != "model":
        ctx.fail(f"{x_ptr}/details", "x-job.details must $ref a job-details model")
        return None
    succeeded = _succeeded(ctx, types, xjob, x_ptr, details)
    ref = obj(xjob.get("polling")).get("$ref")
    if not isinstance(ref, str) or not ref.startswith(_PREFIX):
        ctx.fail(f"{x_ptr}/polling", f"x-job.polling must $ref a contract under {_PREFIX[1:]}")
        return None
    polling = _polling(ctx, ref[len(_PREFIX) :])
    if polling is None:
        return None
    sources: list[tuple[str, str]] = []
    handles: list[str] = []
    sync: list[str] = []
    for status, raw_resp in obj(op.get("responses")).items():
        if not str(status).startswith("2"):
            continue
        r_ptr = f"{pointer}/responses/{esc(str(status))}"
        resp = obj(ctx.deref(raw_resp))
        links = obj(resp.get("links"))
        (handles if links else sync).append(str(status))
        for lname, link in links.items():
            l_ptr = f"{r_ptr}/links/{esc(lname)}"
            if snake(obj(link).get("operationId", "")) != polling.status_operation:
                ctx.fail(l_ptr, f"the link must target the polling contract's status operation ({ref})")
            for param, expr in obj(obj(link).get("parameters")).items():
                prefix = "$response.body#"
                if not isinstance(expr, str) or not expr.startswith(prefix):
                    ctx.fail(l_ptr, "link parameters must be $response.body#/pointer")
                    continue
                target = expr[len(prefix) :]
                if not _schema_has(ctx, json_schema(resp), target):
                    ctx.fail(
                        f"{l_ptr}/parameters/{esc(param)}",
                        f"{target!r} is not a property path of the response schema",
                    )
                if param not in polling.params:
                    ctx.fail(
                        f"{l_ptr}/parameters/{esc(param)}",
                        f"{param!r} is not a parameter of the status operation",
                    )
                if (param_name(param), target) not in sources:
                    sources.append((param_name(param), target))
    if not sources:
        ctx.fail(x_ptr, "a job operation needs a 2XX response with links to the job-status operation")
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
    return ir.JobLink(polling, details, sources, handles, sync, succeeded)


_XJOB_KEYS = {"details", "succeeded", "polling"}


def _succeeded(
    ctx: Context, types: Types, xjob: dict[str, Any], x_ptr: str, details: ir.Ref
) -> ir.Ref | None:
    """The successful job's details: a model whose schema is `allOf: [{$ref: <details>}, ...]`."""
    for key in xjob:
        if key not in _XJOB_KEYS:
            ctx.fail(
                f"{x_ptr}/{esc(key)}", f"unknown x-job key {key!r} (known: {', '.join(sorted(_XJOB_KEYS))})"
            )
    if "succeeded" not in xjob:
        return None
    at = f"{x_ptr}/succeeded"
    ref = obj(xjob.get("succeeded")).get("$ref")
    succeeded = types.type_of(xjob["succeeded"], at, "Succeeded")
    raw = resolve_pointer(ctx.spec, ref) if isinstance(ref, str) else None
    base = (arr(obj(raw).get("allOf")) or [{}])[0].get("$ref") if is_obj(raw) else None
    if not isinstance(succeeded, ir.Ref) or succeeded.kind != "model" or base != xjob["details"].get("$ref"):
        ctx.fail(
            at,
            f"x-job.succeeded must $ref a model whose allOf starts with {{$ref: {xjob['details'].get('$ref')}}}",
        )
        return None
    return succeeded


def _polling(ctx: Context, name: str) -> ir.JobPolling | None:
    # Read once per contract: its problems are reported once, not once per operation using it.
    if name not in ctx.job_pollings:
        ctx.job_pollings[name] = _read_polling(ctx, name)
    return ctx.job_pollings[name]


def _read_polling(ctx: Context, name: str) -> ir.JobPolling | None:
    ptr = f"/components/x-job-polling/{esc(name)}"
    raw = resolve_pointer(ctx.spec, "#" + ptr)
    if not is_obj(raw):
        ctx.fail(ptr, "no such polling contract")
        return None
    for key in raw:
        if key not in _POLLING_KEYS:
            ctx.fail(
                f"{ptr}/{esc(key)}",
                f"unknown polling key {key!r} (known: {', '.join(sorted(_POLLING_KEYS))})",
            )
    ops = {o.get("operationId"): (p, o) for p, o in iter_operations(ctx.spec)}
    status_id = raw.get("status-operation")
    # Not a string: no operation has that id (an operation without operationId is keyed None).
    if not isinstance(status_id, str) or status_id not in ops:
        ctx.fail(f"{ptr}/status-operation", f"unknown operation {status_id!r}")
        return None
    s_ptr, status_op = ops[status_id]
    answer = json_schema(ctx.deref(obj(status_op.get("responses")).get("200") or {}))
    if answer is None:
        ctx.fail(f"{ptr}/status-operation", f"{status_id} needs a JSON 200 response to read statuses from")
        return None

    def field(value: Any, at: str) -> str | None:
        if not isinstance(value, str) or not value.startswith("/") or not _schema_has(ctx, answer, value):
            ctx.fail(at, f"{value!r} must be a JSON pointer to a property of {status_id}'s 200 answer")
            return None
        return value

    rules: list[tuple[str, str, list[str]]] = []
    status = obj(raw.get("status"))
    for verdict in status:
        if verdict not in VERDICTS:
            ctx.fail(
                f"{ptr}/status/{esc(verdict)}", f"unknown verdict {verdict!r} (known: {', '.join(VERDICTS)})"
            )
    for verdict in VERDICTS:
        rule = status.get(verdict)
        if rule is None:
            continue
        at = f"{ptr}/status/{verdict}"
        values = rule.get("values") if is_obj(rule) else None
        where = field(rule.get("field") if is_obj(rule) else None, f"{at}/field")
        if not is_arr(values) or not values or not all(isinstance(v, str) for v in values):
            ctx.fail(f"{at}/values", "values must be a non-empty list of strings")
        elif where is not None:
            rules.append((verdict.replace("-", "_"), where, sorted({v.casefold() for v in values})))
    for needed in ("successful", "failed", "running"):
        if needed not in status:
            ctx.fail(f"{ptr}/status", f"a polling contract must say which values mean {needed!r}")
    message = field(raw["message"], f"{ptr}/message") if "message" in raw else None
    progress = None
    if "progress" in raw:
        given = raw["progress"]
        prog: Obj = given if is_obj(given) else {}
        done = field(prog.get("done"), f"{ptr}/progress/done")
        total = field(prog.get("total"), f"{ptr}/progress/total")
        progress = (done, total) if done and total else None
    errors_op = raw.get("errors-operation")
    if errors_op is not None and errors_op not in ops:
        ctx.fail(f"{ptr}/errors-operation", f"unknown operation {errors_op!r}")
        errors_op = None
    params = [ctx.deref(p).get("name") for p in arr(status_op.get("parameters"))]
    return ir.JobPolling(
        name=name,
        status_operation=snake(status_id),
        params=params,
        rules=rules,
        message=message,
        progress=progress,
        errors_operation=snake(errors_op) if errors_op else None,
        description=(raw.get("description") or "").strip(),
        pointer=s_ptr,
    )


def _schema_has(ctx: Context, schema: Any, pointer: str) -> bool:
    """Whether a JSON pointer names a property path of a schema (following $ref and allOf)."""
    node = schema
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        node = _property(ctx, node, token, 0)
        if node is None:
            return False
    return True


def _property(ctx: Context, schema: object, name: str, depth: int) -> Any:
    if not is_obj(schema) or depth > 20:
        return None
    if "$ref" in schema:
        return _property(ctx, resolve_pointer(ctx.spec, schema["$ref"]), name, depth + 1)
    if name in obj(schema.get("properties")):
        return schema["properties"][name]
    # allOf parts always apply; a property of an anyOf/oneOf option (e.g. beside "null") may be present.
    for part in [*arr(schema.get("allOf")), *arr(schema.get("anyOf")), *arr(schema.get("oneOf"))]:
        found = _property(ctx, part, name, depth + 1)
        if found is not None:
            return found
    return None
