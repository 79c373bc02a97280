"""What a bulk run keeps: per batch its outcome, per failed item its input index and messages.

In summary mode (`submit_batches(..., summary=True)`, the command line's default) a finished
batch keeps only counts, the ids of the objects it created or updated and its problems, never
the typed job result: memory then does not grow with the size of the results.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .results import as_list, as_mapping, plain, result_of


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """One input item that was not applied: its index in the caller's input, why, and at which stage.

    `stage`: "validation" (refused before anything was sent), "rejected" (Alation refused the
    batch naming this item), "batch" (the item's whole batch failed, was rejected without naming
    items, or its job failed) or "result" (the job succeeded but its result reports this item).
    """

    index: int
    messages: tuple[str, ...]
    stage: str
    batch: int | None = None

    def __str__(self) -> str:
        return f"item {self.index}: {'; '.join(self.messages)}"


def _entries(details_or_result: Any) -> list[Mapping[str, Any]]:
    """The JSON objects of a job result: the result itself, or those in a list result."""
    result = plain(result_of(details_or_result))
    listed = as_list(result)
    found = [as_mapping(e) for e in (listed if listed is not None else [result])]
    return [e for e in found if e is not None]


def object_ids(details_or_result: Any) -> array[int]:
    """Ids of the objects a job result says it created or updated (documents, terms, RDBMS mapping...)."""
    ids: array[int] = array("q")
    for entry in _entries(details_or_result):
        for key, value in entry.items():
            objs = as_list(value)
            if (key.startswith(("created_", "updated_")) or key == "mapping") and objs is not None:
                for obj in objs:
                    id_ = (as_mapping(obj) or {}).get("id")
                    if isinstance(id_, int) and not isinstance(id_, bool):
                        ids.append(id_)
    return ids


def result_item_problems(details_or_result: Any, bodies: Sequence[Any]) -> list[tuple[int, list[str]]]:
    """(position in the batch, messages) for result errors that name an item by its `key` (RDBMS)."""
    where: dict[str, int] = {}
    for pos, body in enumerate(bodies):
        key = (as_mapping(body) or {}).get("key")
        if isinstance(key, str):
            where.setdefault(key, pos)
    found: dict[int, list[str]] = {}
    for entry in _entries(details_or_result):
        for name in ("errors", "failed"):
            for item in entry.get(name) or ():
                err = as_mapping(item)
                if err is not None and err.get("key") in where:
                    text = err.get("error") or err.get("message") or err
                    found.setdefault(where[err["key"]], []).append(str(text))
    return sorted(found.items())
