"""What a rejected request's JSON body says, in one line: the first failing item, its first message,
and how many more failed (instead of a bare "request rejected"). The body itself is never cut.

Shapes (catalog §2): `invalid_documents|folders|terms: [{index, errors}]`, `detail` as a list
(one entry per item) or an object (field -> messages), `errors` beside a `detail` string,
DRF list errors (a top-level list), data quality `{Entry, Message}`, OAuth `{error,
error_description}`, or a plain `detail` / `title` / `error` / `message` string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

_INVALID = re.compile(r"^invalid_(\w+?)s$")


def _map(value: Any) -> Mapping[str, Any] | None:
    # One cast at the JSON boundary keeps strict checkers from seeing dict[Unknown, Unknown].
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else None


def _seq(value: Any) -> Sequence[Any] | None:
    return cast("Sequence[Any]", value) if isinstance(value, (list, tuple)) else None


def messages(errors: Any, prefix: str = "") -> list[str]:
    """Flatten DRF-style error structures ({field: [msg]}, nested lists) into "field: msg" lines."""
    if errors is None or errors == {} or errors == []:
        return []
    if isinstance(errors, str):
        return [f"{prefix}: {errors}" if prefix else errors]
    if (fields := _map(errors)) is not None:
        out: list[str] = []
        for key, value in fields.items():
            name = "" if key == "non_field_errors" else str(key)
            out += messages(value, f"{prefix}.{name}" if prefix and name else (name or prefix))
        return out
    if (items := _seq(errors)) is not None:
        return [m for e in items for m in messages(e, prefix)]
    return [f"{prefix}: {errors}" if prefix else str(errors)]


def _positions(entries: Sequence[Any]) -> list[tuple[int | None, list[str]]]:
    """(index, messages) of the non-empty entries of a per-item list."""
    return [(i, m) for i, e in enumerate(entries) if (m := messages(e))]


def failures(data: Any) -> tuple[str, str | None, list[tuple[int | None, list[str]]]]:
    """(headline, noun for an item, [(item index or None, messages)]) read from an error body."""
    if isinstance(data, list):
        return "", "item", _positions(cast("Sequence[Any]", data))
    raw = _map(data)
    if raw is None:
        return "", None, []
    for key, value in raw.items():
        kind = _INVALID.match(str(key))
        entries = _seq(value) if isinstance(value, list) else None
        if kind and entries is not None:
            found: list[tuple[int | None, list[str]]] = [
                (
                    index if isinstance(index := e.get("index"), int) else None,
                    messages(e.get("errors")) or ["invalid"],
                )
                for item in entries
                if (e := _map(item)) is not None
            ]
            return "", kind.group(1), found
    entry, message = raw.get("Entry"), raw.get("Message")
    if isinstance(entry, int) and isinstance(message, str):
        return "", "item", [(entry if entry >= 0 else None, [message])]
    head: str = next(
        (v for k in ("title", "detail", "error", "message") if isinstance(v := raw.get(k), str)), ""
    )
    if isinstance(described := raw.get("error_description"), str):
        head = f"{head}: {described}" if head else described
    detail = raw.get("detail")
    if isinstance(detail, list):
        return head, "item", _positions(cast("Sequence[Any]", detail))
    if (detail_map := _map(detail)) is not None:
        return head, None, [(None, messages(detail_map))]
    errors = raw.get("errors")
    listed = cast("Sequence[Any]", errors) if isinstance(errors, list) else None
    if listed is not None and any(messages(e) for e in listed):
        if isinstance(detail, str) and head != detail:
            head = f"{head}: {detail}" if head else detail
        if len(listed) == 1:  # one entry names no item
            return head, None, [(None, messages(listed[0]))]
        return head, "item", _positions(listed)
    if (errors_map := _map(errors)) is not None and messages(errors_map):
        return head, None, [(None, messages(errors_map))]
    if isinstance(detail, str) and head != detail:
        head = f"{head}: {detail}" if head else detail
    return head, None, []


def summary(raw: Any) -> str:
    """One line naming the first failing item, its first message and how many more failed."""
    head, noun, found = failures(raw)
    if not found:
        return head or "request rejected"
    index, first = found[0]
    where = f"{noun} {index}: " if noun and index is not None else ""
    if len(found) > 1:
        rest = f" (and {len(found) - 1} more invalid {noun or 'item'}{'s' if len(found) > 2 else ''})"
    elif len(first) > 1:
        rest = f" (and {len(first) - 1} more message{'s' if len(first) > 2 else ''})"
    else:
        rest = ""
    line = f"{where}{first[0]}{rest}"
    return f"{head}: {line}" if head else line
