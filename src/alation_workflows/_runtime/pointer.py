"""JSON Pointer (RFC 6901) lookups into decoded JSON or typed models, as the spec's job links use them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import pydantic


def resolve(doc: Any, pointer: str) -> Any:
    """The value at `pointer` in `doc`, or None when any step is missing. Steps go through
    mappings and pydantic models (a model's field is found by its wire alias)."""
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(doc, Mapping):
            doc = cast(Mapping[str, Any], doc).get(token)
        elif isinstance(doc, pydantic.BaseModel):
            doc = getattr(doc, _attribute(type(doc), token), None)
        else:
            return None
        if doc is None:
            return None
    return doc


def _attribute(model: type[pydantic.BaseModel], wire: str) -> str:
    for name, info in model.model_fields.items():
        if (info.alias or name) == wire:
            return name
    return wire  # an extra (unknown) field keeps its wire name
