"""The public API snapshot (openapi/public_api.json): what users import and call, so a spec change
that removes or renames any of it is reported, and --check fails until the snapshot is regenerated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import ir
from .pytypes import doc_type

PATH = "openapi/public_api.json"


def _type(node: ir.TypeNode | None) -> str:
    return "None" if node is None else doc_type(node, None).replace("\\|", "|")  # type: ignore[arg-type]


def surface(api: ir.Api) -> dict[str, Any]:
    groups: dict[str, Any] = {}
    for g in api.groups:
        groups[g.attr] = {
            op.name: {
                "operation": f"{op.method} {op.path}",
                "params": {p.name: {"type": _type(p.type), "required": p.required} for p in op.params}
                | (
                    {"request": {"type": _type(op.body.type), "required": op.body.required}}
                    if op.body
                    else {}
                ),
                **({"deprecated": True} if op.deprecated else {}),
            }
            for op in g.operations
        }
    models = {
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
        old = json.loads((root / PATH).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    new = surface(api)
    out: list[str] = []
    if old.get("client") != new["client"]:
        out.append(f"client class {old.get('client')} renamed to {new['client']}")
    new_by_operation = {
        (g, m["operation"]): name for g, methods in new["groups"].items() for name, m in methods.items()
    }
    for group, methods in (old.get("groups") or {}).items():
        if group not in new["groups"]:
            out.append(f"group {group} removed (with its methods {', '.join(sorted(methods))})")
            continue
        for name, method in methods.items():
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
            for param in method.get("params") or {}:
                if param not in current["params"]:
                    out.append(f"{group}.{name}(): parameter {param} removed")
            for param, info in current["params"].items():
                if info["required"] and not (method.get("params") or {}).get(param, {}).get("required"):
                    out.append(f"{group}.{name}(): parameter {param} is now required")
    for model, fields in (old.get("models") or {}).items():
        if model not in new["models"]:
            out.append(f"models.{model} removed")
            continue
        for field in fields:
            if field not in new["models"][model]:
                out.append(f"models.{model}.{field} removed")
    for enum, values in (old.get("enums") or {}).items():
        gone = [
            v for v in values if v not in new["enums"].get(enum, values if enum not in new["enums"] else [])
        ]
        if enum not in new["enums"]:
            out.append(f"models.{enum} removed")
        elif gone:
            out.append(f"models.{enum}: values {gone} removed")
    return out
