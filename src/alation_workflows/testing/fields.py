"""Per-field request tables derived from the spec's request schemas (the generated operation table).

Handlers check submitted objects field by field to answer in Alation's (DRF's) words per item,
which the whole-body schema check cannot do; the fields, their kinds and which are required come
from here, so a spec change reaches those checks on regeneration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from . import routes
from .registry import EXTRAS

_SCALARS = {"string": "str", "integer": "int", "boolean": "bool", "number": "num", "object": "dict"}


@dataclass(frozen=True)
class Field:
    """One property of a request object as the spec states it."""

    kind: str  # str, int, bool, num, dict, list, list[<scalar kind>] or any
    required: bool
    nullable: bool = False  # null is a value here, not an absent field
    non_blank: bool = False  # minLength >= 1 on a string: DRF's "may not be blank"


Fields = dict[str, Field]


def request_fields(operation_id: str | None, *path: str) -> Fields:
    """The fields of the objects an operation's body carries (its items, for a list body).

    Handlers pass the operation they serve (`request.operation`), so a renamed operationId needs
    no edit here; `path` names nested properties, each unwrapped to the objects it holds
    (`"custom_fields"`, `"paths"`), and picks the body variant that has it (data quality).
    """
    if operation_id is None:
        raise KeyError("no operation: request_fields needs the operation being served")
    return _derived(operation_id, path)


@cache
def _derived(operation_id: str, path: tuple[str, ...]) -> Fields:
    table = routes.operation_table()
    components: dict[str, Any] = table["components"]["schemas"]
    node: Any = _body_schema(table["operations"], operation_id)
    for step, name in enumerate((None, *path)):
        if name is not None:
            node = node["properties"][name]
        wanted = path[step] if step < len(path) else None
        node = _object(node, components, f"{operation_id}/{'/'.join(path[:step])}", wanted)
    required: list[str] = list(node["required"])
    # DRF reports fields in declaration order; required ones first keeps the spec's stated order.
    names = [*required, *(n for n in node["properties"] if n not in required)]
    return {name: _field(node["properties"][name], name in required, components) for name in names}


def batch_limit(operation_id: str | None, list_name: str = "") -> int | None:
    """Most items one request may carry (the spec's `x-batch-limit`); None where it states none.

    `list_name` names the limited list of an object body (data quality's "fields" or "values").
    """
    if operation_id is None:
        raise KeyError("no operation: batch_limit needs the operation being served")
    limits: dict[str, int] = _entry(routes.operation_table()["operations"], operation_id)["batch_limits"]
    return limits.get(list_name)


def clear_cache() -> None:
    """Forget derived tables (after the operation table was swapped, e.g. by a test)."""
    _derived.cache_clear()


def _entry(operations: dict[str, Any], operation_id: str) -> dict[str, Any]:
    """The table entry of an operation, or of the spec operation a simulator-only one is `like`."""
    extra = EXTRAS.get(operation_id)
    entry = operations.get(operation_id) or operations.get(extra.like if extra and extra.like else "")
    if entry is None:
        raise KeyError(f"{operation_id}: not in the operation table")
    return dict(entry)


def _body_schema(operations: dict[str, Any], operation_id: str) -> Any:
    entry = _entry(operations, operation_id)
    if entry["body"] is None:
        raise KeyError(f"{operation_id}: no request body in the operation table")
    return entry["body"]["schema"]


def _resolve(schema: Any, components: dict[str, Any]) -> dict[str, Any]:
    node: Any = schema
    while isinstance(node, dict) and "$ref" in node:
        node = components[str(node["$ref"]).rsplit("/", 1)[-1]]  # pyright: ignore[reportUnknownArgumentType]
    return node if isinstance(node, dict) else {}  # pyright: ignore[reportUnknownVariableType]


def _object(schema: Any, components: dict[str, Any], where: str, wanted: str | None = None) -> dict[str, Any]:
    """The object schema a node holds: `$ref`s followed, arrays unwrapped, `allOf` merged; of a
    choice (`oneOf`/`anyOf`), the one object variant (that has property `wanted`, if given)."""
    node = _resolve(schema, components)
    if node.get("type") == "array":
        return _object(node.get("items", {}), components, where, wanted)
    choices = node.get("oneOf") or node.get("anyOf")
    if choices:
        objects = [_object(c, components, where) for c in choices]
        objects = [o for o in objects if o["properties"] and (wanted is None or wanted in o["properties"])]
        if len(objects) != 1:
            raise ValueError(f"{where}: {len(objects)} object choices; name a property to pick one")
        return objects[0]
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in [*node.get("allOf", ()), node]:
        part = part if part is node else _object(part, components, where)
        properties.update(part.get("properties") or {})
        required += [r for r in part.get("required") or () if r not in required]
    return {"properties": properties, "required": required}


def _field(schema: Any, required: bool, components: dict[str, Any]) -> Field:
    node = _resolve(schema, components)
    kind, nullable = _kind(node, components)
    blank_check = kind == "str" and int(node.get("minLength", 0)) >= 1
    return Field(kind, required, nullable, blank_check)


def _kind(node: dict[str, Any], components: dict[str, Any]) -> tuple[str, bool]:
    """(kind, nullable) of a property schema; a choice between kinds is `any`."""
    if "allOf" in node:
        parts = [_kind(_resolve(p, components), components) for p in node["allOf"]]
        return next((k for k in parts if k[0] != "any"), ("any", False))
    choices = node.get("oneOf") or node.get("anyOf")
    if choices:
        found = [_kind(_resolve(c, components), components) for c in choices]
        nullable = any(n for _, n in found)
        kinds = {k for k, _ in found if k != "null"}
        return (kinds.pop() if len(kinds) == 1 else "any"), nullable
    types = node.get("type")
    names = [types] if isinstance(types, str) else list(types or [])
    nullable = "null" in names
    names = [n for n in names if n != "null"]
    if len(names) != 1:  # several types is a choice; only "null" is the null variant of a choice
        return ("null" if nullable and not names else "any"), nullable
    if names[0] == "array":
        inner, _ = _kind(_resolve(node.get("items", {}), components), components)
        # Lists of objects stay `list`: their items are checked (and worded) by the handler.
        return (f"list[{inner}]" if inner in ("str", "int", "bool", "num") else "list"), nullable
    return _SCALARS.get(names[0], "any"), nullable
