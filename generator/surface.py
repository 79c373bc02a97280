"""The public API snapshot (openapi/public_api.json): what users import and call, so a spec change
that removes or renames any of it is reported, and --check fails until the snapshot is regenerated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NotRequired, TypedDict

from . import ir
from .pytypes import doc_type
from .raw import obj

PATH = "openapi/public_api.json"


class _Typed(TypedDict):
    type: str
    required: bool


class _Method(TypedDict):
    operation: str
    params: dict[str, _Typed]
    deprecated: NotRequired[bool]


class Surface(TypedDict):
    client: str
    groups: dict[str, dict[str, _Method]]
    models: dict[str, dict[str, _Typed]]
    enums: dict[str, list[str]]


def _type(node: ir.TypeNode | None) -> str:
    return "None" if node is None else doc_type(node, None).replace("\\|", "|")


def _method(op: ir.Operation) -> _Method:
    params: dict[str, _Typed] = {p.name: {"type": _type(p.type), "required": p.required} for p in op.params}
    if op.body:
        params["request"] = {"type": _type(op.body.type), "required": op.body.required}
    method: _Method = {"operation": f"{op.method} {op.path}", "params": params}
    if op.deprecated:
        method["deprecated"] = True
    return method


def surface(api: ir.Api) -> Surface:
    groups = {g.attr: {op.name: _method(op) for op in g.operations} for g in api.groups}
    models: dict[str, dict[str, _Typed]] = {
        m.name: {f.name: {"type": _type(f.type), "required": f.required} for f in m.fields}
        for m in api.models
    }
    enums = {e.name: list(e.values) for e in api.enums}
    return {"client": api.client_class, "groups": groups, "models": models, "enums": enums}


def render_surface(api: ir.Api, spec_path: str) -> dict[str, str]:
    table = {"generated": f"by `python -m generator` from {spec_path}: do not edit", **surface(api)}
    return {PATH: json.dumps(table, indent=1, sort_keys=True) + "\n"}


def removals(root: Path, api: ir.Api) -> list[str]:
    """What the committed snapshot has and the spec no longer gives (renames named as such)."""
    try:
        old = obj(json.loads((root / PATH).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return []
    new = surface(api)
    out: list[str] = []
    if old.get("client") != new["client"]:
        out.append(f"client class {old.get('client')} renamed to {new['client']}")
    new_by_operation = {
        (g, m["operation"]): name for g, methods in new["groups"].items() for name, m in methods.items()
    }
    for group, methods in obj(old.get("groups")).items():
        if group not in new["groups"]:
            out.append(f"group {group} removed (with its methods {', '.join(sorted(methods))})")
            continue
        for name, method in obj(methods).items():
            current = new["groups"][group].get(name)
            if current is None:
                renamed = new_by_operation.get((group, method["operation"]))
                if renamed:
                    out.append(
                        f"{group}.{name}() renamed to {renamed}() (and its _async twin); "
                        f"hint: `x-method-name: {name}` on the operation keeps the old name"
                    )
                else:
                    out.append(f"{group}.{name}() removed (and its _async twin)")
                continue
            for param in obj(method.get("params")):
                if param not in current["params"]:
                    out.append(f"{group}.{name}(): parameter {param} removed")
            for param, info in current["params"].items():
                if info["required"] and not obj(method.get("params")).get(param, {}).get("required"):
                    out.append(f"{group}.{name}(): parameter {param} is now required")
    for model, fields in obj(old.get("models")).items():
        if model not in new["models"]:
            out.append(f"models.{model} removed")
            continue
        for field in fields:
            if field not in new["models"][model]:
                out.append(f"models.{model}.{field} removed")
    for enum, values in obj(old.get("enums")).items():
        kept = new["enums"][enum] if enum in new["enums"] else values
        gone = [v for v in values if v not in kept]
        if enum not in new["enums"]:
            out.append(f"models.{enum} removed")
        elif gone:
            out.append(f"models.{enum}: values {gone} removed")
    return out
