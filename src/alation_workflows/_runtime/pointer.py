"""JSON Pointer (RFC 6901) lookups into decoded JSON, as the spec's job links use them."""

from __future__ import annotations

from typing import Any, cast


def resolve(doc: Any, pointer: str) -> Any:
    """The value at `pointer` in `doc` (objects only), or None when any step is missing."""
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(doc, dict) and token in doc:
            doc = cast(dict[str, Any], doc)[token]
        else:
            return None
    return doc
