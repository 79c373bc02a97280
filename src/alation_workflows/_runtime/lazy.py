"""Module attributes loaded on first use (PEP 562), so an import pays only for what a program uses."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(
    module: str, sources: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A `__getattr__` for `module`: `sources` maps a name to the module it comes from (relative to
    `module`'s package); the first access imports it and keeps the value in `namespace` (the
    module's globals)."""
    package = namespace["__package__"]

    def __getattr__(name: str) -> Any:
        source = sources.get(name)
        if source is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source, package), name)
        namespace[name] = value
        return value

    return __getattr__
