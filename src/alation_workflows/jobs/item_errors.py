"""Which items of a rejected batch Alation named, and why: (index in the batch, messages) pairs.

Alation rejects a whole batch when one item is bad, and says which (catalog §2, "Failure shapes"):
- documents / folders / terms: `{"job_id": null, "invalid_documents"|"invalid_folders"|"invalid_terms":
  [{"index", "errors", "<kind>"}]}`;
- RDBMS, BI objects: `{"detail", "errors": [...one per item, empty for valid ones...], "code"}`;
- custom fields (DRF list errors): `[{...one per item...}]`;
- BI servers: `{"detail", "errors": ["Item <i>: ..."], "code"}`;
- data quality: `{"Entry": <index>, "Message": str}` (Entry -1 names no item).
Any other body names no item: the caller treats the batch as rejected as a whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .._runtime.rejection import messages
from .results import as_list, as_mapping

_ITEM_PREFIX = re.compile(r"^\s*Item\s+(\d+)\s*:\s*(.*)$", re.DOTALL)


def _aligned(entries: Sequence[Any], size: int) -> list[tuple[int, list[str]]] | None:
    """A list with one entry per submitted item (empty for valid ones)."""
    if len(entries) != size or not all(isinstance(e, (Mapping, list)) for e in entries):
        return None
    found = [(i, messages(e)) for i, e in enumerate(entries)]
    return [(i, m) for i, m in found if m] or None


def item_errors(body: Any, size: int) -> list[tuple[int, list[str]]] | None:
    """(index in the batch, messages) of each item a rejection names, or None if it names none.

    `body` is the rejection's JSON (decoded or as text); `size` the number of items sent. An
    index outside the batch makes the whole answer None: the body cannot be trusted to say which
    items were bad.
    """
    if isinstance(body, (str, bytes)):
        try:
            body = json.loads(body)
        except ValueError:
            return None
    found: list[tuple[int, list[str]]] | None = None
    if (fields := as_mapping(body)) is not None:
        invalid = [as_list(v) for k, v in fields.items() if k.startswith("invalid_")]
        lists = [v for v in invalid if v is not None]
        if lists:
            found = []
            for entry in lists[0]:
                item = as_mapping(entry) or {}
                index = item.get("index")
                if not isinstance(index, int) or isinstance(index, bool):
                    return None
                found.append((index, messages(item.get("errors")) or ["rejected (no message)"]))
        elif isinstance(fields.get("Entry"), int) and isinstance(fields.get("Message"), str):
            found = [(fields["Entry"], [fields["Message"]])] if fields["Entry"] >= 0 else None
        elif (errors := as_list(fields.get("errors"))) is not None:
            if errors and all(isinstance(e, str) for e in errors):
                matches = [_ITEM_PREFIX.match(e) for e in errors]
                if all(matches):
                    found = [(int(m.group(1)), [m.group(2)]) for m in matches if m]
            else:
                found = _aligned(errors, size)
    elif (entries := as_list(body)) is not None:
        found = _aligned(entries, size)
    if not found or any(not 0 <= i < size for i, _ in found):
        return None
    return found
