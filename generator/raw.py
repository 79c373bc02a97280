"""Typed reads of the raw spec: YAML values are `Any`; these helpers name the shape the code expects.

`obj`/`arr` are `value or {}` / `value or []` with the shape a validated spec guarantees (no check, the
same behaviour as before); `is_obj`/`is_arr` are the `isinstance` checks, narrowing for the checkers.
"""

from __future__ import annotations

from typing import Any, TypeGuard, cast

# A YAML mapping of the spec or gen.yaml (keys are strings except unquoted status codes).
Obj = dict[str, Any]


def obj(value: Any) -> Obj:
    """`value or {}`: an optional mapping of the spec (absent or null reads as empty)."""
    return cast("Obj", value or {})


def arr(value: Any) -> list[Any]:
    """`value or []`: an optional list of the spec (absent or null reads as empty)."""
    return cast("list[Any]", value or [])


def is_obj(value: object) -> TypeGuard[Obj]:
    return isinstance(value, dict)


def is_arr(value: object) -> TypeGuard[list[Any]]:
    return isinstance(value, list)
