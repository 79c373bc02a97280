"""Schemas to IR types: one dispatch on the kind of a schema; a kind it does not know is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, get_args

from .. import ir
from ..errors import esc
from ..load import resolve_pointer
from ..naming import enum_member, field_name, pascal, snake
from ..raw import Obj, arr, is_arr, is_obj, obj
from .context import Context

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
    "multipleOf": "multiple_of",
}
# String formats read into Python types; other formats (int64, email, uri...) are annotations only.
_FORMATS = {"date-time": "datetime", "date": "date", "uuid": "UUID"}
# Keywords that say what a schema holds; a schema with none of them accepts anything.
_SHAPE_KEYWORDS = ("type", "oneOf", "anyOf", "allOf", "enum", "const", "properties", "items")

Kind = Literal[
    "ref", "any", "const", "union", "inline_all_of", "type_list", "enum", "string", "prim", "array", "object"
]


def kind_of(schema: dict[str, Any]) -> Kind | None:
    """What a schema is, in the order the keywords take precedence; None for a kind not supported."""
    if "$ref" in schema:
        return "ref"
    if not any(k in schema for k in _SHAPE_KEYWORDS):
        return "any"
    if "const" in schema:
        return "const"
    if "anyOf" in schema or "oneOf" in schema:
        return "union"
    if "allOf" in schema:
        return "inline_all_of"
    types = schema.get("type")
    if isinstance(types, list):
        return "type_list"
    if "enum" in schema:
        return "enum"
    if types == "string":
        return "string"
    if types in ("integer", "number", "boolean", "null"):
        return "prim"
    if types == "array":
        return "array"
    if types == "object" or "properties" in schema:
        return "object"
    return None


class Types:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._building: set[str] = set()
        # Every Kind has exactly one handler (checked below, so a new kind cannot be forgotten).
        self._handlers: dict[Kind, Callable[[dict[str, Any], str, str], ir.TypeNode]] = {
            "ref": lambda s, p, h: self.ref(s["$ref"], p),
            "any": lambda s, p, h: ir.Prim("Any"),
            "const": lambda s, p, h: ir.Const(s["const"]),
            "union": self._union,
            "inline_all_of": self._inline_all_of,
            "type_list": self._type_list,
            "enum": self._inline_enum,
            "string": self._string,
            "prim": lambda s, p, h: ir.Prim(_PRIMS[s["type"]]),  # type: ignore[arg-type]
            "array": self._array,
            "object": self._object,
        }
        assert set(self._handlers) == set(get_args(Kind)), "every schema kind needs a handler"

    # ---- named schemas --------------------------------------------------------------------------

    def component(self, name: str) -> ir.TypeNode:
        pointer = f"/components/schemas/{esc(name)}"
        schema = self.ctx.spec["components"]["schemas"][name]
        cls = pascal(name)
        if cls in self.ctx.models or cls in self.ctx.enums or cls in self._building:
            return ir.Ref(cls, "enum" if cls in self.ctx.enums else "model")
        if "enum" in schema:
            self.ctx.enums[cls] = self.enum(cls, schema, pointer)
            return ir.Ref(cls, "enum")
        if is_model(schema):
            self._building.add(cls)
            self.ctx.models[cls] = self.model(cls, schema, pointer)
            self._building.discard(cls)
            return ir.Ref(cls, "model")
        # A named alias of a non-object type (e.g. a union): inline it where it is used.
        return self.ctx.fail(pointer, "component schemas must be objects, allOf-objects or enums")

    def enum(self, cls: str, schema: dict[str, Any], pointer: str) -> ir.Enum:
        values = schema["enum"]
        if not all(isinstance(v, str) for v in values):
            self.ctx.fail(f"{pointer}/enum", "only string enums are supported")
        members = [enum_member(v) for v in values]
        if len(set(members)) != len(members):
            self.ctx.fail(f"{pointer}/enum", "enum values collide after conversion to member names")
        return ir.Enum(cls, snake(cls), pointer, [str(v) for v in values], schema.get("description", ""))

    def model(self, cls: str, schema: dict[str, Any], pointer: str) -> ir.Model:
        base = None
        body = schema
        if "allOf" in schema:
            parts = schema["allOf"]
            if len(parts) != 2 or "$ref" not in parts[0] or "$ref" in parts[1]:
                self.ctx.fail(
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
            example=schema.get("example", body.get("example", _first(body.get("examples")))),
        )
        required = set(arr(body.get("required")))
        for prop, given in obj(body.get("properties")).items():
            sub_ptr = f"{pointer}/properties/{esc(prop)}"
            sub: Obj = given if is_obj(given) else {}
            model.fields.append(
                ir.Field(
                    name=field_name(prop),
                    wire=prop,
                    type=self.type_of(sub, sub_ptr, cls + pascal(prop)),
                    required=prop in required,
                    description=(sub.get("description") or "").strip(),
                    example=sub.get("example", _first(sub.get("examples"))),
                    constraints=constraints(sub),
                    default=sub.get("default", ir.NO_DEFAULT),
                    read_only=bool(sub.get("readOnly")),
                    write_only=bool(sub.get("writeOnly")),
                    deprecated=bool(sub.get("deprecated")),
                    secret=sub.get("format") == "password",
                )
            )
        extra = body.get("additionalProperties")
        if is_obj(extra) and extra and body.get("properties"):
            # Keys beyond the declared properties are kept and typed, not dropped.
            model.extra_type = self.type_of(extra, f"{pointer}/additionalProperties", cls + "Value")
        names = [f.name for f in model.fields]
        if len(set(names)) != len(names):
            self.ctx.fail(pointer, "two properties map to the same Python field name")
        if body.get("additionalProperties") is False:
            model.extra = "forbid"
        return model

    def ref(self, ref: str, pointer: str) -> ir.TypeNode:
        prefix = "#/components/schemas/"
        if not ref.startswith(prefix) or resolve_pointer(self.ctx.spec, ref) is None:
            return self.ctx.fail(
                pointer, f"unsupported or dangling $ref {ref!r} (only {prefix}* is supported here)"
            )
        return self.component(ref[len(prefix) :].replace("~1", "/").replace("~0", "~"))

    # ---- the one dispatch -----------------------------------------------------------------------

    def type_of(self, schema: object, pointer: str, hint: str) -> ir.TypeNode:
        """The IR type of a schema; `hint` names any model or enum synthesized from an inline schema."""
        if not is_obj(schema):
            return self.ctx.fail(pointer, "schema must be a mapping")
        kind = kind_of(schema)
        if kind is None:
            return self.ctx.fail(f"{pointer}/type", f"unsupported type {schema.get('type')!r}")
        return self._handlers[kind](schema, pointer, hint)

    def _inline_all_of(self, schema: dict[str, Any], pointer: str, hint: str) -> ir.TypeNode:
        parts = schema["allOf"]
        if is_arr(parts) and len(parts) == 1:
            # `allOf: [$ref]` is how 3.0 specs attach a description or nullable to a reference.
            return self.type_of(parts[0], f"{pointer}/allOf/0", hint)
        return self.ctx.fail(
            pointer, "allOf is only supported on component schemas; hint: name it under components/schemas"
        )

    def _union(self, schema: dict[str, Any], pointer: str, hint: str) -> ir.TypeNode:
        key, ordered = ("anyOf", True) if "anyOf" in schema else ("oneOf", False)
        opts = [self.type_of(s, f"{pointer}/{key}/{i}", f"{hint}{i}") for i, s in enumerate(schema[key])]
        return union(opts, ordered)

    def _type_list(self, schema: dict[str, Any], pointer: str, hint: str) -> ir.TypeNode:
        types = schema["type"]
        non_null = [t for t in types if t != "null"]
        if len(non_null) != 1:
            return self.ctx.fail(f"{pointer}/type", "type arrays may only combine one type with 'null'")
        inner = self.type_of({**schema, "type": non_null[0]}, pointer, hint)
        return ir.Nullable(inner) if "null" in types else inner

    def _inline_enum(self, schema: dict[str, Any], pointer: str, hint: str) -> ir.TypeNode:
        name = pascal(hint)
        if name not in self.ctx.enums:
            self.ctx.enums[name] = self.enum(name, schema, pointer)
        return ir.Ref(name, "enum")

    def _string(self, schema: dict[str, Any], pointer: str, hint: str) -> ir.TypeNode:
        if schema.get("format") == "binary":
            return ir.Prim("bytes")
        if schema.get("format") in _FORMATS:
            return ir.Prim(_FORMATS[schema["format"]])  # type: ignore[arg-type]
        if "contentMediaType" in schema:
            if schema["contentMediaType"] != "application/json":
                return self.ctx.fail(
                    f"{pointer}/contentMediaType", "only application/json content is supported"
                )
            if "contentSchema" not in schema:
                return self.ctx.fail(pointer, "contentMediaType needs a contentSchema to decode into")
            return ir.JsonString(self.type_of(schema["contentSchema"], f"{pointer}/contentSchema", hint))
        return ir.Prim("str")

    def _array(self, schema: dict[str, Any], pointer: str, hint: str) -> ir.TypeNode:
        if "items" not in schema:
            return self.ctx.fail(pointer, "arrays need items")
        return ir.ListOf(self.type_of(schema["items"], f"{pointer}/items", hint + "Item"))

    def _object(self, schema: dict[str, Any], pointer: str, hint: str) -> ir.TypeNode:
        if schema.get("properties"):
            name = pascal(hint)
            if name in self.ctx.models and self.ctx.models[name].pointer != pointer:
                return self.ctx.fail(pointer, f"inline object name {name} collides with another schema")
            if name not in self.ctx.models:
                self.ctx.models[name] = self.model(name, schema, pointer)
            return ir.Ref(name, "model")
        extra = schema.get("additionalProperties", True)
        if extra is True or extra == {}:
            return ir.DictOf(ir.Prim("Any"))
        if extra is False:
            return self.ctx.fail(
                pointer, "an object with no properties and additionalProperties: false holds nothing"
            )
        return ir.DictOf(self.type_of(extra, f"{pointer}/additionalProperties", hint + "Value"))


def _first(examples: object) -> Any:
    return examples[0] if is_arr(examples) and examples else None


def union(options: list[ir.TypeNode], ordered: bool) -> ir.TypeNode:
    nullable = any(o == ir.Prim("None") for o in options)
    rest = tuple(o for o in options if o != ir.Prim("None"))
    inner: ir.TypeNode = rest[0] if len(rest) == 1 else ir.Union(rest, ordered)
    return ir.Nullable(inner) if nullable else inner


def is_model(schema: dict[str, Any]) -> bool:
    return "allOf" in schema or schema.get("type") == "object" or "properties" in schema


def constraints(schema: dict[str, Any]) -> dict[str, Any]:
    return {py: schema[key] for key, py in _CONSTRAINTS.items() if key in schema}
