"""Stage 2: resolve references and turn the spec into the IR (models, enums, groups, operations)."""

from __future__ import annotations

from typing import Any

from . import ir
from .errors import SpecError, esc
from .load import iter_operations, resolve_pointer
from .naming import enum_member, field_name, param_name, pascal, snake
from .paging import pagination

_PRIMS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_CONSTRAINTS = {
    "minLength": "min_length",
    "maxLength": "max_length",
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
    "pattern": "pattern",
    "minItems": "min_length",
    "maxItems": "max_length",
}
_MEDIA = ("application/json", "application/x-ndjson", "multipart/form-data")


class Builder:
    def __init__(self, spec: dict[str, Any], settings: dict[str, Any], spec_path: str) -> None:
        self.spec = spec
        self.settings = settings
        self.spec_path = spec_path
        self.models: dict[str, ir.Model] = {}
        self.enums: dict[str, ir.Enum] = {}
        self.problems: list[tuple[str, str]] = []
        self._building: set[str] = set()

    # ---- entry ----------------------------------------------------------------------------------

    def build(self) -> ir.Api:
        for name in sorted((self.spec.get("components") or {}).get("schemas") or {}):
            self.component(name)
        groups = self.operations()
        self._mark_sides(groups)
        if self.problems:
            raise SpecError(self.problems)
        info = self.spec["info"]
        return ir.Api(
            title=info["title"],
            version=str(self.settings.get("version", info["version"])),
            description=info.get("description", ""),
            server_template=self.spec["servers"][0]["url"],
            package=self.settings["package"],
            client_class=self.settings["client_class"],
            settings=self.settings,
            groups=groups,
            models=sorted(self.models.values(), key=lambda m: m.name),
            enums=sorted(self.enums.values(), key=lambda e: e.name),
            spec_path=self.spec_path,
        )

    def fail(self, pointer: str, msg: str) -> ir.Prim:
        self.problems.append((pointer, msg))
        return ir.Prim("Any")

    # ---- schemas --------------------------------------------------------------------------------

    def component(self, name: str) -> ir.Ref:
        pointer = f"/components/schemas/{esc(name)}"
        schema = self.spec["components"]["schemas"][name]
        cls = pascal(name)
        if cls in self.models or cls in self.enums or cls in self._building:
            return ir.Ref(cls, "enum" if cls in self.enums else "model")
        if "enum" in schema:
            self.enums[cls] = self._enum(cls, schema, pointer)
            return ir.Ref(cls, "enum")
        if _is_model(schema):
            self._building.add(cls)
            self.models[cls] = self._model(cls, schema, pointer)
            self._building.discard(cls)
            return ir.Ref(cls, "model")
        # A named alias of a non-object type (e.g. a union): inline it where it is used.
        return self.fail(pointer, "component schemas must be objects, allOf-objects or enums")

    def _enum(self, cls: str, schema: dict[str, Any], pointer: str) -> ir.Enum:
        values = schema["enum"]
        if not all(isinstance(v, str) for v in values):
            self.fail(f"{pointer}/enum", "only string enums are supported")
        members = [enum_member(v) for v in values]
        if len(set(members)) != len(members):
            self.fail(f"{pointer}/enum", "enum values collide after conversion to member names")
        return ir.Enum(cls, snake(cls), pointer, [str(v) for v in values], schema.get("description", ""))

    def _model(self, cls: str, schema: dict[str, Any], pointer: str) -> ir.Model:
        base = None
        body = schema
        if "allOf" in schema:
            parts = schema["allOf"]
            if len(parts) != 2 or "$ref" not in parts[0] or "$ref" in parts[1]:
                self.fail(
                    f"{pointer}/allOf", "allOf must be [ {$ref: base}, {inline object} ] (single inheritance)"
                )
                return ir.Model(cls, snake(cls), pointer)
            base_ref = self.ref(parts[0]["$ref"], f"{pointer}/allOf/0")
            base = base_ref.name if isinstance(base_ref, ir.Ref) else None
            body = parts[1]
            pointer = f"{pointer}/allOf/1"
        model = ir.Model(
            name=cls,
            module=snake(cls),
            pointer=pointer,
            description=schema.get("description", body.get("description", "")),
            base=base,
            example=schema.get("example", body.get("example")),
        )
        required = set(body.get("required") or [])
        for prop, sub in (body.get("properties") or {}).items():
            sub_ptr = f"{pointer}/properties/{esc(prop)}"
            model.fields.append(
                ir.Field(
                    name=field_name(prop),
                    wire=prop,
                    type=self.type_of(sub, sub_ptr, cls + pascal(prop)),
                    required=prop in required,
                    description=(sub.get("description") or "").strip(),
                    example=sub.get("example"),
                    constraints=_constraints(sub),
                )
            )
        names = [f.name for f in model.fields]
        if len(set(names)) != len(names):
            self.fail(pointer, "two properties map to the same Python field name")
        if body.get("additionalProperties") is False:
            model.extra = "forbid"
        return model

    def ref(self, ref: str, pointer: str) -> ir.TypeNode:
        prefix = "#/components/schemas/"
        if not ref.startswith(prefix) or resolve_pointer(self.spec, ref) is None:
            return self.fail(
                pointer, f"unsupported or dangling $ref {ref!r} (only {prefix}* is supported here)"
            )
        return self.component(ref[len(prefix) :].replace("~1", "/").replace("~0", "~"))

    def type_of(self, schema: Any, pointer: str, hint: str) -> ir.TypeNode:
        if not isinstance(schema, dict):
            return self.fail(pointer, "schema must be a mapping")
        if "$ref" in schema:
            return self.ref(schema["$ref"], pointer)
        if not any(
            k in schema for k in ("type", "oneOf", "anyOf", "allOf", "enum", "const", "properties", "items")
        ):
            return ir.Prim("Any")
        if "const" in schema:
            return ir.Const(schema["const"])
        for key, ordered in (("anyOf", True), ("oneOf", False)):
            if key in schema:
                opts = [
                    self.type_of(s, f"{pointer}/{key}/{i}", f"{hint}{i}") for i, s in enumerate(schema[key])
                ]
                return _union(opts, ordered)
        if "allOf" in schema:
            return self.fail(pointer, "allOf is only supported on component schemas")
        types = schema.get("type")
        if isinstance(types, list):
            non_null = [t for t in types if t != "null"]
            if len(non_null) != 1:
                return self.fail(f"{pointer}/type", "type arrays may only combine one type with 'null'")
            inner = self.type_of({**schema, "type": non_null[0]}, pointer, hint)
            return ir.Nullable(inner) if "null" in types else inner
        if "enum" in schema:
            name = pascal(hint)
            if name not in self.enums:
                self.enums[name] = self._enum(name, schema, pointer)
            return ir.Ref(name, "enum")
        if types == "string":
            if schema.get("format") == "binary":
                return ir.Prim("bytes")
            if "contentMediaType" in schema:
                if schema["contentMediaType"] != "application/json":
                    return self.fail(
                        f"{pointer}/contentMediaType", "only application/json content is supported"
                    )
                if "contentSchema" not in schema:
                    return self.fail(pointer, "contentMediaType needs a contentSchema to decode into")
                return ir.JsonString(self.type_of(schema["contentSchema"], f"{pointer}/contentSchema", hint))
            return ir.Prim("str")
        if types in ("integer", "number", "boolean", "null"):
            return ir.Prim(_PRIMS[types])  # type: ignore[arg-type]
        if types == "array":
            if "items" not in schema:
                return self.fail(pointer, "arrays need items")
            return ir.ListOf(self.type_of(schema["items"], f"{pointer}/items", hint + "Item"))
        if types == "object" or "properties" in schema:
            if schema.get("properties"):
                name = pascal(hint)
                if name in self.models and self.models[name].pointer != pointer:
                    return self.fail(pointer, f"inline object name {name} collides with another schema")
                if name not in self.models:
                    self.models[name] = self._model(name, schema, pointer)
                return ir.Ref(name, "model")
            extra = schema.get("additionalProperties", True)
            if extra is True or extra == {}:
                return ir.DictOf(ir.Prim("Any"))
            if extra is False:
                return self.fail(
                    pointer, "an object with no properties and additionalProperties: false holds nothing"
                )
            return ir.DictOf(self.type_of(extra, f"{pointer}/additionalProperties", hint + "Value"))
        return self.fail(f"{pointer}/type", f"unsupported type {types!r}")

    # ---- operations -----------------------------------------------------------------------------

    def operations(self) -> list[ir.Group]:
        tags = {t["name"]: t for t in self.spec.get("tags") or []}
        groups: dict[str, ir.Group] = {}
        secured_default = bool(self.spec.get("security"))
        seen: dict[str, str] = {}
        for base_pointer, base_op in iter_operations(self.spec):
            path, method = _path_method(base_pointer)
            for pointer, op in self.variants(base_op, base_pointer):
                tag = op["tags"][0]
                if tag not in tags:
                    self.fail(f"{pointer}/tags", f"tag {tag!r} is not declared in the top-level tags")
                    continue
                if op.get("operationId") in seen:
                    self.fail(
                        pointer,
                        f"operationId {op['operationId']!r} is also used at {seen[op['operationId']]}",
                    )
                    continue
                seen[op["operationId"]] = pointer
                group = groups.setdefault(
                    tag,
                    ir.Group(tag, snake(tag), pascal(tag), snake(tag), tags[tag].get("description", "")),
                )
                group.operations.append(
                    self.operation(op, pointer, path, method, group.attr, secured_default)
                )
        ordered = [groups[t] for t in tags if t in groups]
        for g in ordered:
            g.operations.sort(key=lambda o: o.name)
        return ordered

    def variants(self, op: dict[str, Any], pointer: str) -> list[tuple[str, dict[str, Any]]]:
        """`x-variants`: one wire operation whose body is a oneOf, emitted as one typed method per option."""
        variants = op.get("x-variants")
        if variants is None:
            return [(pointer, op)]
        v_ptr = f"{pointer}/x-variants"
        base_schema = _json_schema(op.get("requestBody"))
        options = {s.get("$ref") for s in (base_schema or {}).get("oneOf") or [] if isinstance(s, dict)}
        if not options or None in options:
            self.fail(f"{pointer}/requestBody", "an operation with x-variants needs a oneOf of $refs as body")
            return []
        if not isinstance(variants, list) or not variants:
            self.fail(v_ptr, "x-variants must be a non-empty list")
            return []
        out = []
        covered = set()
        for i, variant in enumerate(variants):
            extra = set(variant) - _VARIANT_KEYS
            if extra:
                self.fail(
                    f"{v_ptr}/{i}", f"a variant may only set {sorted(_VARIANT_KEYS)}, not {sorted(extra)}"
                )
                continue
            ref = (_json_schema(variant.get("requestBody")) or {}).get("$ref")
            if ref not in options:
                self.fail(
                    f"{v_ptr}/{i}/requestBody", "a variant's body must $ref one of the base body's oneOf"
                )
                continue
            covered.add(ref)
            merged = {k: v for k, v in op.items() if k != "x-variants"} | variant
            out.append((f"{v_ptr}/{i}", merged))
        if covered != options:
            self.fail(v_ptr, f"no variant covers {sorted(options - covered)}")
        return out

    def operation(
        self, op: dict[str, Any], pointer: str, path: str, method: str, group: str, secured_default: bool
    ) -> ir.Operation:
        name = snake(op["operationId"])
        params = []
        for i, p in enumerate(op.get("parameters") or []):
            p_ptr = f"{pointer}/parameters/{i}"
            if "$ref" in p:
                p = resolve_pointer(self.spec, p["$ref"]) or {}
            if p.get("in") not in ("query", "path", "header"):
                self.fail(f"{p_ptr}/in", f"parameters in {p.get('in')!r} are not supported")
                continue
            params.append(
                ir.Param(
                    name=param_name(p["name"]),
                    wire=p["name"],
                    location=p["in"],
                    type=self.type_of(
                        p.get("schema", {}), f"{p_ptr}/schema", pascal(name) + pascal(p["name"])
                    ),
                    required=bool(p.get("required")),
                    description=(p.get("description") or "").strip(),
                    example=p.get("example"),
                )
            )
        body = self.body(op, pointer, name)
        responses, errors = self.responses(op, pointer, name)
        if not responses:
            self.fail(f"{pointer}/responses", "operation declares no 2XX response")
        exactly = list(op.get("x-exactly-one-of") or [])
        for n in exactly:
            if n not in {p.wire for p in params}:
                self.fail(f"{pointer}/x-exactly-one-of", f"{n!r} is not a parameter of this operation")
        job = self.job_link(op, pointer, responses)
        batch = op.get("x-batch-limit")
        if batch is not None and self._batch_max(body) != batch:
            self.fail(
                f"{pointer}/x-batch-limit",
                "x-batch-limit must equal the maxItems of the body array (or of an object body's one array)",
            )
        security = op.get("security")
        return ir.Operation(
            id=op["operationId"],
            name=name,
            group=group,
            method=method.upper(),
            path=path,
            pointer=pointer,
            summary=(op.get("summary") or "").strip(),
            description=(op.get("description") or op.get("summary") or "").strip(),
            retry=op.get("x-retries", "idempotent"),
            params=params,
            body=body,
            responses=responses,
            errors=errors,
            exactly_one_of=[param_name(n) for n in exactly],
            job=job,
            batch_limit=op.get("x-batch-limit"),
            batch_field=self._batch_field(body) if batch is not None else None,
            secured=secured_default if security is None else bool(security),
            deprecated=bool(op.get("deprecated")),
            paging=pagination(op, pointer, method, params, responses, self.fail),
        )

    def _batch_field(self, body: ir.Body | None) -> str | None:
        """For an object body, the wire name of its one list (what batching splits)."""
        if body is None or not isinstance(body.type, ir.Ref) or body.type.name not in self.models:
            return None
        lists = [f for f in self.models[body.type.name].fields if isinstance(f.type, ir.ListOf)]
        return lists[0].wire if len(lists) == 1 else None

    def _batch_max(self, body: ir.Body | None) -> Any:
        if body is None:
            return None
        if isinstance(body.type, ir.ListOf):
            return body.constraints.get("max_length")
        if isinstance(body.type, ir.Ref) and body.type.name in self.models:
            lists = [f for f in self.models[body.type.name].fields if isinstance(f.type, ir.ListOf)]
            return lists[0].constraints.get("max_length") if len(lists) == 1 else None
        return None

    def body(self, op: dict[str, Any], pointer: str, name: str) -> ir.Body | None:
        rb = op.get("requestBody")
        if rb is None:
            return None
        if "$ref" in rb:
            rb = resolve_pointer(self.spec, rb["$ref"]) or {}
        content = rb.get("content") or {}
        if len(content) != 1:
            self.fail(f"{pointer}/requestBody/content", "exactly one request media type is supported")
            return None
        media, mt = next(iter(content.items()))
        b_ptr = f"{pointer}/requestBody/content/{esc(media)}"
        if media not in _MEDIA:
            self.fail(b_ptr, f"unsupported request media type {media!r}")
            return None
        typ = self.type_of(mt.get("schema", {}), f"{b_ptr}/schema", pascal(name) + "Request")
        item = None
        if media == "application/x-ndjson":
            if not isinstance(typ, ir.ListOf):
                self.fail(
                    f"{b_ptr}/schema", "an application/x-ndjson body must be an array (one item per line)"
                )
            else:
                item = typ.item
        return ir.Body(
            typ,
            media,
            bool(rb.get("required", False)),
            (rb.get("description") or "").strip(),
            mt.get("example"),
            item,
            _constraints(mt.get("schema", {})),
        )

    def responses(
        self, op: dict[str, Any], pointer: str, name: str
    ) -> tuple[list[ir.Response], list[ir.Response]]:
        ok: list[ir.Response] = []
        bad: list[ir.Response] = []
        for status, resp in (op.get("responses") or {}).items():
            r_ptr = f"{pointer}/responses/{esc(str(status))}"
            if "$ref" in resp:
                resp = resolve_pointer(self.spec, resp["$ref"]) or {}
            content = resp.get("content") or {}
            typ = media = example = None
            if content:
                media = "application/json" if "application/json" in content else next(iter(content))
                mt = content[media]
                suffix = "Response" if str(status).startswith("2") else f"Error{status}"
                typ = self.type_of(
                    mt.get("schema", {}), f"{r_ptr}/content/{esc(media)}/schema", pascal(name) + suffix
                )
                example = mt.get("example")
            target = ok if str(status).startswith("2") else bad
            target.append(
                ir.Response(str(status), typ, media, (resp.get("description") or "").strip(), example)
            )
        return ok, bad

    def job_link(self, op: dict[str, Any], pointer: str, responses: list[ir.Response]) -> ir.JobLink | None:
        xjob = op.get("x-job")
        if xjob is None:
            return None
        details = self.type_of(xjob.get("details", {}), f"{pointer}/x-job/details", "Details")
        if not isinstance(details, ir.Ref) or details.kind != "model":
            self.fail(f"{pointer}/x-job/details", "x-job.details must $ref a job-details model")
            return None
        sources: list[tuple[str, str]] = []
        status_op = None
        handles: list[str] = []
        sync: list[str] = []
        for status, resp in (op.get("responses") or {}).items():
            if not str(status).startswith("2"):
                continue
            r_ptr = f"{pointer}/responses/{esc(str(status))}"
            if "$ref" in resp:
                resp = resolve_pointer(self.spec, resp["$ref"]) or {}
            links = resp.get("links") or {}
            (handles if links else sync).append(str(status))
            for lname, link in links.items():
                status_op = link["operationId"]
                for param, expr in (link.get("parameters") or {}).items():
                    prefix = "$response.body#"
                    if not isinstance(expr, str) or not expr.startswith(prefix):
                        self.fail(f"{r_ptr}/links/{lname}", "link parameters must be $response.body#/pointer")
                        continue
                    target = expr[len(prefix) :]
                    if not self._schema_has(_json_schema(resp), target):
                        self.fail(
                            f"{r_ptr}/links/{lname}/parameters/{esc(param)}",
                            f"{target!r} is not a property path of the response schema",
                        )
                    if (param_name(param), target) not in sources:
                        sources.append((param_name(param), target))
        if status_op is None or not sources:
            self.fail(
                f"{pointer}/x-job",
                "a job operation needs a 2XX response with links to the job-status operation",
            )
            return None
        by_status = {r.status: r.type for r in responses}
        handle_types = {by_status.get(s) for s in handles}
        for s in handles:
            if not isinstance(by_status.get(s), ir.Ref):
                self.fail(
                    f"{pointer}/responses/{s}", "a job-handle response must be a model ($ref an object)"
                )
        for s in sync:
            # The runtime tells a handle from a finished result by its model class.
            if by_status.get(s) in handle_types:
                self.fail(
                    f"{pointer}/responses/{s}", "a synchronous result must not share the job-handle schema"
                )
        return ir.JobLink(snake(status_op), details, sources, handles, sync)

    def _schema_has(self, schema: Any, pointer: str) -> bool:
        """Whether a JSON pointer names a property path of a schema (following $ref and allOf)."""
        node = schema
        for token in pointer.lstrip("/").split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            node = self._property(node, token, 0)
            if node is None:
                return False
        return True

    def _property(self, schema: Any, name: str, depth: int) -> Any:
        if not isinstance(schema, dict) or depth > 20:
            return None
        if "$ref" in schema:
            return self._property(resolve_pointer(self.spec, schema["$ref"]), name, depth + 1)
        if name in (schema.get("properties") or {}):
            return schema["properties"][name]
        for part in schema.get("allOf") or []:
            found = self._property(part, name, depth + 1)
            if found is not None:
                return found
        return None

    # ---- which models are sent, which received --------------------------------------------------

    def _mark_sides(self, groups: list[ir.Group]) -> None:
        def mark(node: ir.TypeNode | None, side: str, seen: set[str]) -> None:
            for ref in _refs(node):
                if ref.kind == "model" and ref.name not in seen:
                    seen.add(ref.name)
                    model = self.models[ref.name]
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
        for model in self.models.values():
            if model.request_side and not model.response_side and model.extra != "forbid":
                model.extra = "forbid"
        open_enums = {
            ref.name
            for m in self.models.values()
            if m.response_side
            for f in m.fields
            for ref in _refs(f.type)
            if ref.kind == "enum"
        }
        for e in self.enums.values():
            e.open = e.name in open_enums


def _refs(node: ir.TypeNode | None) -> list[ir.Ref]:
    if node is None:
        return []
    if isinstance(node, ir.Ref):
        return [node]
    if isinstance(node, (ir.ListOf, ir.Nullable, ir.JsonString)):
        return _refs(node.item if isinstance(node, ir.ListOf) else node.inner)
    if isinstance(node, ir.DictOf):
        return _refs(node.value)
    if isinstance(node, ir.Union):
        return [r for o in node.options for r in _refs(o)]
    return []


def _union(options: list[ir.TypeNode], ordered: bool) -> ir.TypeNode:
    nullable = any(o == ir.Prim("None") for o in options)
    rest = tuple(o for o in options if o != ir.Prim("None"))
    inner: ir.TypeNode = rest[0] if len(rest) == 1 else ir.Union(rest, ordered)
    return ir.Nullable(inner) if nullable else inner


_VARIANT_KEYS = frozenset(
    {"operationId", "summary", "description", "requestBody", "x-batch-limit", "externalDocs"}
)


def _json_schema(holder: Any) -> Any:
    """The application/json schema of a request body or response object, if any."""
    if not isinstance(holder, dict):
        return None
    return ((holder.get("content") or {}).get("application/json") or {}).get("schema")


def _is_model(schema: dict[str, Any]) -> bool:
    return "allOf" in schema or schema.get("type") == "object" or "properties" in schema


def _constraints(schema: dict[str, Any]) -> dict[str, Any]:
    return {py: schema[key] for key, py in _CONSTRAINTS.items() if key in schema}


def _path_method(pointer: str) -> tuple[str, str]:
    _, _, rest = pointer.partition("/paths/")
    path, _, method = rest.rpartition("/")
    return path.replace("~1", "/").replace("~0", "~"), method
