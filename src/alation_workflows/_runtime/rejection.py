"""What a rejected request's JSON body says, in one line: the first failing item, its first message,
and how many more failed (instead of a bare "request rejected"). The body itself is never cut.

Shapes (catalog §2): `invalid_documents|folders|terms: [{index, errors}]`, `detail` as a list
(one entry per item) or an object (field -> messages), `errors` beside a `detail` string,
DRF list errors (a top-level list), data quality `{Entry, Message}`, OAuth `{error,
error_description}`, or a plain `detail` / `title` / `error` / `message` string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_INVALID = re.compile(r"^invalid_(\w+?)s$")


def messages(errors: Any, prefix: str = "") -> list[str]:
    """Flatten DRF-style error structures ({field: [msg]}, nested lists) into "field: msg" lines."""
    if errors is None or errors == {} or errors == []:
        return []
    if isinstance(errors, str):
        return [f"{prefix}: {errors}" if prefix else errors]
    if isinstance(errors, Mapping):
        out: list[str] = []
        for key, value in errors.items():
            name = "" if key == "non_field_errors" else str(key)
            out += messages(value, f"{prefix}.{name}" if prefix and name else (name or prefix))
        return out
    if isinstance(errors, (list, tuple)):
        return [m for e in errors for m in messages(e, prefix)]
    return [f"{prefix}: {errors}" if prefix else str(errors)]


def _positions(entries: list[Any]) -> list[tuple[int | None, list[str]]]:
    """(index, messages) of the non-empty entries of a per-item list."""
    return [(i, m) for i, e in enumerate(entries) if (m := messages(e))]


def failures(raw: Any) -> tuple[str, str | None, list[tuple[int | None, list[str]]]]:
    """(headline, noun for an item, [(item index or None, messages)]) read from an error body."""
    if isinstance(raw, list):
        return "", "item", _positions(raw)
    if not isinstance(raw, Mapping):
        return "", None, []
    for key, value in raw.items():
        kind = _INVALID.match(str(key))
        if kind and isinstance(value, list):
            found = [
                (
                    e.get("index") if isinstance(e.get("index"), int) else None,
                    messages(e.get("errors")) or ["invalid"],
                )
                for e in value
                if isinstance(e, Mapping)
            ]
            return "", kind.group(1), found
    if isinstance(raw.get("Entry"), int) and isinstance(raw.get("Message"), str):
        entry = raw["Entry"]
        return "", "item", [(entry if entry >= 0 else None, [raw["Message"]])]
    head = next((raw[k] for k in ("title", "detail", "error", "message") if isinstance(raw.get(k), str)), "")
    if isinstance(raw.get("error_description"), str):
        head = f"{head}: {raw['error_description']}" if head else raw["error_description"]
    detail = raw.get("detail")
    if isinstance(detail, list):
        return head, "item", _positions(detail)
    if isinstance(detail, Mapping):
        return head, None, [(None, messages(detail))]
    errors = raw.get("errors")
    if isinstance(errors, list) and any(messages(e) for e in errors):
        if isinstance(detail, str) and head != detail:
            head = f"{head}: {detail}" if head else detail
        if len(errors) == 1:  # one entry names no item
            return head, None, [(None, messages(errors[0]))]
        return head, "item", _positions(errors)
    if isinstance(errors, Mapping) and messages(errors):
        return head, None, [(None, messages(errors))]
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
