"""The route table: each spec operation (from the generated `operations.json`) with its handler, byte-exact paths."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .registry import EXTRAS, Handler, load_handlers
from .wire import SimResponse

TABLE = Path(__file__).with_name("operations.json")
_PARAM = re.compile(r"\{(\w+)(?::(int|str))?\}")


@cache
def operation_table() -> dict[str, Any]:
    """The generated table: {"operations": {id: route, params, body, responses, invalid}, "components": ...}."""
    table: dict[str, Any] = json.loads(TABLE.read_text(encoding="utf-8"))
    return table


def enum_values(schema_name: str) -> tuple[str, ...]:
    """The values of an enum component schema of the spec (handlers use these, never their own copies)."""
    values: list[str] = operation_table()["components"]["schemas"][schema_name]["enum"]
    return tuple(values)


@dataclass(frozen=True)
class Route:
    """One wire operation: method + path template + the handler registered for its operationId."""

    operation_id: str
    method: str
    path: str  # the spec's template; `{name:int}` for integer path parameters
    handler: Handler | None  # None: the spec has the operation, the simulator no handler
    public: bool = False  # answered without a TOKEN header (token endpoints)
    variants: tuple[str, ...] = ()  # the spec's per-body-variant operation ids sharing this route
    # The table entry whose checks apply (None: a simulator-only operation without checks).
    spec: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    converters: dict[str, type] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        converters: dict[str, type] = {}
        pattern, pos = "", 0
        for m in _PARAM.finditer(self.path):
            pattern += re.escape(self.path[pos : m.start()])
            kind = m.group(2) or "str"
            converters[m.group(1)] = int if kind == "int" else str
            pattern += f"(?P<{m.group(1)}>[0-9]+)" if kind == "int" else f"(?P<{m.group(1)}>[^/]+)"
            pos = m.end()
        pattern += re.escape(self.path[pos:])
        object.__setattr__(self, "regex", re.compile(f"^{pattern}$"))
        object.__setattr__(self, "converters", converters)

    def params(self, path: str) -> dict[str, Any] | None:
        m = self.regex.match(path)
        if m is None:
            return None
        return {name: self.converters[name](value) for name, value in m.groupdict().items()}


def _typed_path(entry: dict[str, Any]) -> str:
    """The spec path with `{name:int}` where the path parameter's schema is an integer."""
    path: str = entry["path"]
    for p in entry["params"]:
        if p["in"] == "path" and p["schema"].get("type") == "integer":
            path = path.replace("{" + p["name"] + "}", "{" + p["name"] + ":int}")
    return path


@cache
def routes() -> tuple[Route, ...]:
    """Every spec operation (handled or not), then the declared simulator-only extras."""
    handlers = load_handlers()
    found = [
        Route(
            op_id,
            entry["method"],
            _typed_path(entry),
            handlers.get(op_id),
            entry["public"],
            tuple(entry["variants"]),
            entry,
        )
        for op_id, entry in operation_table()["operations"].items()
    ]
    spec_ops = operation_table()["operations"]
    found += [
        Route(
            op_id,
            extra.method,
            extra.path,
            handlers[op_id],
            extra.public,
            spec=spec_ops.get(extra.like or ""),
        )
        for op_id, extra in sorted(EXTRAS.items())
        if op_id not in spec_ops
    ]
    return tuple(found)


def missing_handlers() -> list[str]:
    """Spec operations the simulator has no handler for."""
    return sorted(r.operation_id for r in routes() if r.handler is None)


def unknown_handlers() -> list[str]:
    """Handlers naming an operation the spec lacks without being declared simulator-only."""
    spec_ops = set(operation_table()["operations"])
    return sorted(op for op in load_handlers() if op not in spec_ops and op not in EXTRAS)


def stale_unserved() -> list[str]:
    """`x-alation-also-serves` entries naming a method the spec now describes on that path."""
    served = {(e["path"], e["method"]) for e in operation_table()["operations"].values()}
    return sorted(
        f"{method} {path}"
        for path, methods in operation_table().get("unserved", {}).items()
        for method in methods
        if (path, method) in served
    )


def shadowed_extras() -> list[str]:
    """Operations declared simulator-only that the spec now describes (the declaration is stale)."""
    return sorted(op for op in EXTRAS if op in operation_table()["operations"])


def match(method: str, path: str) -> tuple[Route, dict[str, Any]] | SimResponse:
    """The route and path parameters for a request, or Alation's 404 / 405 answer.

    405 (DRF's, with `Allow`) is for methods Alation lacks on a known path; a method the spec
    marks `x-alation-also-serves` (Alation has it, the spec does not yet) gets a 501 instead.
    """
    allowed: list[str] = []
    unserved: set[str] = set()
    for route in routes():
        params = route.params(path)
        if params is None:
            continue
        if route.method == method:
            return route, params
        allowed.append(route.method)
        unserved.update(operation_table().get("unserved", {}).get((route.spec or {}).get("path"), ()))
    if method in unserved:  # Alation has it (the spec says so): "not allowed" would be untrue
        return SimResponse.json(
            501, {"detail": f"{method} {path} exists on Alation, but the simulator does not serve it yet."}
        )
    if allowed:
        return SimResponse.json(
            405, {"detail": f'Method "{method}" not allowed.'}, {"allow": ", ".join(sorted(set(allowed)))}
        )
    return SimResponse.json(404, {"detail": "Not found.", "code": "404000"})


def resolve_operation(operation_id: str) -> str:
    """The route's operation id for an operation id or one of its variants; ValueError if unknown."""
    for route in routes():
        if operation_id == route.operation_id or operation_id in route.variants:
            return route.operation_id
    known = sorted({r.operation_id for r in routes()} | {v for r in routes() for v in r.variants})
    raise ValueError(f"unknown operation id {operation_id!r}; known: {', '.join(known)}")
