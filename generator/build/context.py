"""What every build step shares: the spec, the settings, the named types found so far, the problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import ir
from ..load import resolve_pointer
from ..raw import is_obj, obj
from ..settings import with_defaults


@dataclass
class Context:
    spec: dict[str, Any]
    settings: dict[str, Any]
    spec_path: str
    models: dict[str, ir.Model] = field(default_factory=dict[str, ir.Model])
    enums: dict[str, ir.Enum] = field(default_factory=dict[str, ir.Enum])
    problems: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    # Polling contracts (components/x-job-polling) read so far, by name; None if broken.
    job_pollings: dict[str, ir.JobPolling | None] = field(default_factory=dict[str, ir.JobPolling | None])
    warnings: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])

    def __post_init__(self) -> None:
        self.settings = with_defaults(self.settings)

    def fail(self, pointer: str, msg: str) -> ir.Prim:
        """Record a problem; the returned placeholder type lets the build go on to find more."""
        self.problems.append((pointer, msg))
        return ir.Prim("Any")

    def deref(self, node: Any) -> Any:
        """A parameter, body or response object with a local `$ref` followed (one level)."""
        if is_obj(node) and "$ref" in node:
            return resolve_pointer(self.spec, node["$ref"]) or {}
        return node


def json_schema(holder: Any) -> Any:
    """The application/json schema of a request body or response object, if any."""
    if not is_obj(holder):
        return None
    return obj(obj(holder.get("content")).get("application/json")).get("schema")
