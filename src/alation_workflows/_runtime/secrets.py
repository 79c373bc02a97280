"""Credentials inside bodies: which JSON keys of an operation hold them, and their values in a body.

A model field declared with `repr=False` (the spec's `format: password`) is a credential. Token
operations send one (a refresh token) and receive one (a new access token); the runtime blanks
their values out of every error of such an operation, whether the server echoed them or not.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from typing import Any, cast

import pydantic

from .operation import Operation

_KEYS: dict[str, frozenset[str]] = {}


def secret_keys(op: Operation) -> frozenset[str]:
    """The JSON keys of the operation's request and response schemas that hold credentials."""
    keys = _KEYS.get(op.id)
    if keys is None:
        found: set[str] = set()
        types = [op.body.type.type] if op.body is not None else []
        types += [r.type.type for r in (*op.responses.values(), *op.errors.values()) if r.type is not None]
        for tp in types:
            found.update(_keys_of(tp, set()))
        keys = _KEYS[op.id] = frozenset(found)
    return keys


def secret_values(keys: frozenset[str], content: bytes) -> list[str]:
    """The string values under any of `keys`, anywhere in a JSON body (none when it is not JSON)."""
    if not keys or not any(k.encode() in content for k in keys):
        return []
    try:
        doc = json.loads(content)
    except (ValueError, RecursionError):
        return []
    return [v for v in _values(doc, keys) if isinstance(v, str)]


def _values(doc: Any, keys: frozenset[str]) -> Iterator[Any]:
    stack: list[object] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for k, v in cast("dict[str, Any]", node).items():
                if k in keys:
                    yield v
                stack.append(v)
        elif isinstance(node, list):
            stack.extend(cast("list[object]", node))


def _keys_of(tp: Any, seen: set[Any]) -> Iterator[str]:
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        if tp in seen:
            return
        seen.add(tp)
        for name, info in tp.model_fields.items():
            if info.repr is False:
                yield info.alias or name
            yield from _keys_of(info.annotation, seen)
        return
    for arg in typing.get_args(tp):
        yield from _keys_of(arg, seen)
