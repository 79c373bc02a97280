"""Paths to IR operations: parameters, request body, responses, grouped by tag."""

from __future__ import annotations

from typing import Any

from .. import ir
from ..errors import esc
from ..load import iter_operations
from ..naming import param_name, pascal, snake
from ..paging import pagination
from ..raw import arr, is_arr, is_obj, obj
from .batches import batch_limit
from .context import Context
from .jobs import job_link
from .security import security_for
from .types import Types, constraints
from .variants import variants

_MEDIA = (
    "application/json",
    "application/x-ndjson",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
)
# Parameter styles the runtime serializes, per location (the first is the OpenAPI default).
_STYLES = {
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "path": ("simple",),
    "header": ("simple",),
}


class Operations:
    def __init__(self, ctx: Context, types: Types) -> None:
        self.ctx = ctx
        self.types = types

    def groups(self) -> list[ir.Group]:
        spec = self.ctx.spec
        tags = {t["name"]: t for t in arr(spec.get("tags"))}
        groups: dict[str, ir.Group] = {}
        seen: dict[str, str] = {}
        for base_pointer, base_op in iter_operations(spec):
            path, method = _path_method(base_pointer)
            if not base_op.get("operationId"):
                base_op = {**base_op, "operationId": snake(f"{method} {path}")}
            for pointer, op in variants(self.ctx, base_op, base_pointer):
                tag = (arr(op.get("tags")) or [self.ctx.settings["default_group"]])[0]
                tags.setdefault(tag, {"name": tag})
                if op.get("operationId") in seen:
                    self.ctx.fail(
                        pointer,
                        f"operationId {op['operationId']!r} is also used at {seen[op['operationId']]}",
                    )
                    continue
                seen[op["operationId"]] = pointer
                group = groups.setdefault(
                    tag,
                    ir.Group(tag, snake(tag), pascal(tag), snake(tag), tags[tag].get("description", "")),
                )
                operation = self.operation(op, pointer, path, method, group.attr)
                if any(o.name == operation.name for o in group.operations):
                    self.ctx.fail(
                        pointer, f"method name {operation.name}() is used twice in group {group.attr}"
                    )
                    continue
                group.operations.append(operation)
        ordered = [groups[t] for t in tags if t in groups]
        for g in ordered:
            g.operations.sort(key=lambda o: o.name)
        return ordered

    def operation(self, op: dict[str, Any], pointer: str, path: str, method: str, group: str) -> ir.Operation:
        # x-method-name keeps a public method name when the operationId changes.
        name = snake(op.get("x-method-name") or op["operationId"])
        params = self.params(op, pointer, name)
        body = self.body(op, pointer, name)
        responses, errors = self.responses(op, pointer, name)
        if not responses:
            self.ctx.fail(f"{pointer}/responses", "operation declares no 2XX response")
        exactly = list(arr(op.get("x-exactly-one-of")))
        for n in exactly:
            if n not in {p.wire for p in params}:
                self.ctx.fail(f"{pointer}/x-exactly-one-of", f"{n!r} is not a parameter of this operation")
        job = job_link(self.ctx, self.types, op, pointer, responses)
        limit, field = batch_limit(self.ctx, op, pointer, body)
        return ir.Operation(
            id=op["operationId"],
            name=name,
            group=group,
            method=method.upper(),
            path=path,
            pointer=pointer,
            summary=(op.get("summary") or "").strip(),
            description=(op.get("description") or op.get("summary") or "").strip(),
            retry=op.get("x-retries") or self.ctx.settings["defaults"]["retries_by_method"][method],
            params=params,
            body=body,
            responses=responses,
            errors=errors,
            exactly_one_of=[param_name(n) for n in exactly],
            job=job,
            batch_limit=limit,
            batch_field=field,
            security=security_for(self.ctx, op, pointer),
            deprecated=bool(op.get("deprecated")),
            paging=pagination(op, pointer, method, params, responses, self.ctx.fail),
        )

    def params(self, op: dict[str, Any], pointer: str, name: str) -> list[ir.Param]:
        params: list[ir.Param] = []
        for i, p in enumerate(arr(op.get("parameters"))):
            p_ptr = f"{pointer}/parameters/{i}"
            p = self.ctx.deref(p)
            if p.get("in") not in ("query", "path", "header"):
                self.ctx.fail(
                    f"{p_ptr}/in",
                    f"parameters in {p.get('in')!r} are not supported; hint: cookies are set on your own httpx client",
                )
                continue
            if "content" in p:
                self.ctx.fail(
                    f"{p_ptr}/content",
                    "parameters with `content` are not supported; hint: use `schema` (and style/explode)",
                )
                continue
            if p.get("allowReserved") or p.get("allowEmptyValue"):
                key = "allowReserved" if p.get("allowReserved") else "allowEmptyValue"
                self.ctx.fail(
                    f"{p_ptr}/{key}", f"{key} is not supported; hint: remove it (values are percent-encoded)"
                )
            styles = _STYLES[p["in"]]
            style = p.get("style", styles[0])
            if style not in styles:
                self.ctx.fail(
                    f"{p_ptr}/style",
                    f"style {style!r} is not supported in {p['in']} (supported: {', '.join(styles)})",
                )
            params.append(
                ir.Param(
                    name=param_name(p["name"]),
                    wire=p["name"],
                    location=p["in"],
                    type=self.types.type_of(
                        p.get("schema", {}), f"{p_ptr}/schema", pascal(name) + pascal(p["name"])
                    ),
                    required=bool(p.get("required")),
                    description=(p.get("description") or "").strip(),
                    example=first_example(p)
                    if first_example(p) is not None
                    else first_example(p.get("schema")),
                    style=style,
                    explode=bool(p.get("explode", style == "form")),
                    default=obj(p.get("schema")).get("default", ir.NO_DEFAULT),
                    deprecated=bool(p.get("deprecated")),
                    constraints=constraints(obj(p.get("schema"))),
                )
            )
        return params

    def body(self, op: dict[str, Any], pointer: str, name: str) -> ir.Body | None:
        rb = op.get("requestBody")
        if rb is None:
            return None
        rb = self.ctx.deref(rb)
        content = obj(rb.get("content"))
        if len(content) != 1:
            self.ctx.fail(f"{pointer}/requestBody/content", "exactly one request media type is supported")
            return None
        media, mt = next(iter(content.items()))
        b_ptr = f"{pointer}/requestBody/content/{esc(media)}"
        if media not in _MEDIA:
            self.ctx.fail(b_ptr, f"unsupported request media type {media!r}")
            return None
        typ = self.types.type_of(mt.get("schema", {}), f"{b_ptr}/schema", pascal(name) + "Request")
        encoding: list[tuple[str, str, str]] = []
        for part, enc in obj(mt.get("encoding")).items():
            e_ptr = f"{b_ptr}/encoding/{esc(part)}"
            if media != "multipart/form-data":
                self.ctx.fail(e_ptr, "encoding is only supported for multipart/form-data bodies")
                break
            unknown = set(enc) - {"contentType", "x-filename"}
            if unknown:
                self.ctx.fail(
                    e_ptr, f"encoding keys {sorted(unknown)} are not supported (contentType, x-filename)"
                )
            ctype = str(enc.get("contentType", "application/octet-stream")).split(",")[0].strip()
            encoding.append((part, ctype, str(enc.get("x-filename", part))))
        item = None
        if media == "application/x-ndjson":
            if not isinstance(typ, ir.ListOf):
                self.ctx.fail(
                    f"{b_ptr}/schema", "an application/x-ndjson body must be an array (one item per line)"
                )
            else:
                item = typ.item
        return ir.Body(
            typ,
            media,
            bool(rb.get("required", False)),
            (rb.get("description") or "").strip(),
            first_example(mt),
            item,
            constraints(mt.get("schema", {})),
            encoding,
            _content_type(self.ctx, mt, f"{b_ptr}/x-content-type"),
        )

    def responses(
        self, op: dict[str, Any], pointer: str, name: str
    ) -> tuple[list[ir.Response], list[ir.Response]]:
        ok: list[ir.Response] = []
        bad: list[ir.Response] = []
        for status, raw_resp in obj(op.get("responses")).items():
            r_ptr = f"{pointer}/responses/{esc(str(status))}"
            resp = self.ctx.deref(raw_resp)
            content = obj(resp.get("content"))
            typ = media = example = None
            if content:
                media = _pick_media(content)
                if media is None:
                    self.ctx.fail(
                        f"{r_ptr}/content",
                        f"no supported response media type in {sorted(content)}; hint: the SDK reads JSON, "
                        "JSON lines, text/* (str) and application/octet-stream (bytes)",
                    )
                    continue
                mt = content[media]
                suffix = "Response" if str(status).startswith("2") else f"Error{status}"
                s_ptr = f"{r_ptr}/content/{esc(media)}/schema"
                if _is_json(media) or media == "application/x-ndjson":
                    typ = self.types.type_of(mt.get("schema", {}), s_ptr, pascal(name) + suffix)
                    if media == "application/x-ndjson" and not isinstance(typ, ir.ListOf):
                        self.ctx.fail(
                            s_ptr, "an application/x-ndjson response must be an array (one item per line)"
                        )
                else:
                    # Text is read as str, anything else as bytes; a schema there can only say so.
                    typ = ir.Prim("str" if media.startswith("text/") else "bytes")
                    schema = obj(mt.get("schema"))
                    if schema and schema.get("type", "string") != "string":
                        self.ctx.fail(
                            s_ptr,
                            f"a {media} response is a string (str or bytes), not {schema.get('type')!r}",
                        )
                example = first_example(mt)
            target = ok if str(status).startswith("2") else bad
            target.append(
                ir.Response(str(status), typ, media, (resp.get("description") or "").strip(), example)
            )
        return ok, bad


def _is_json(media: str) -> bool:
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def _pick_media(content: dict[str, Any]) -> str | None:
    """JSON first, then JSON lines, text, binary; None when none of them is offered."""
    ordered = sorted(
        content, key=lambda m: (not _is_json(m), m != "application/x-ndjson", not m.startswith("text/"))
    )
    for media in ordered:
        if (
            _is_json(media)
            or media in ("application/x-ndjson", "application/octet-stream")
            or media.startswith("text/")
        ):
            return media
    return None


def first_example(node: object) -> Any:
    """`example`, else the first of `examples` (a map of Example objects, or a JSON Schema list)."""
    if not is_obj(node):
        return None
    if "example" in node:
        return node["example"]
    examples = node.get("examples")
    if is_arr(examples) and examples:
        return examples[0]
    if is_obj(examples) and examples:
        first = next(iter(examples.values()))
        return first.get("value") if is_obj(first) else None
    return None


def _path_method(pointer: str) -> tuple[str, str]:
    _, _, rest = pointer.partition("/paths/")
    path, _, method = rest.rpartition("/")
    return path.replace("~1", "/").replace("~0", "~"), method


def _content_type(ctx: Context, mt: dict[str, Any], pointer: str) -> str | None:
    """`x-content-type` on a request media type: the header to send when Alation wants another label."""
    value = mt.get("x-content-type")
    if value is not None and (not isinstance(value, str) or "/" not in value):
        ctx.fail(pointer, f"x-content-type must be a media type such as application/json, got {value!r}")
        return None
    return value
