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

from .results import plain, result_of


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


def object_ids(details_or_result: Any) -> array[int]:
    """Ids of the objects a job result says it created or updated (documents, terms, RDBMS mapping...)."""
    result = plain(result_of(details_or_result))
    ids: array[int] = array("q")
    for entry in result if isinstance(result, list) else [result]:
        if not isinstance(entry, Mapping):
            continue
        for key, value in entry.items():
            if (key.startswith(("created_", "updated_")) or key == "mapping") and isinstance(value, list):
                ids.extend(
                    v["id"]
                    for v in value
                    if isinstance(v, Mapping)
                    and isinstance(v.get("id"), int)
                    and not isinstance(v["id"], bool)
                )
    return ids


def result_item_problems(details_or_result: Any, bodies: Sequence[Any]) -> list[tuple[int, list[str]]]:
    """(position in the batch, messages) for result errors that name an item by its `key` (RDBMS)."""
    result = plain(result_of(details_or_result))
    where: dict[str, int] = {}
    for pos, body in enumerate(bodies):
        if isinstance(body, Mapping) and isinstance(body.get("key"), str):
            where.setdefault(body["key"], pos)
    found: dict[int, list[str]] = {}
    for entry in result if isinstance(result, list) else [result]:
        if not isinstance(entry, Mapping):
            continue
        for name in ("errors", "failed"):
            for err in entry.get(name) or []:
                if isinstance(err, Mapping) and err.get("key") in where:
                    text = err.get("error") or err.get("message") or err
                    found.setdefault(where[err["key"]], []).append(str(text))
    return sorted(found.items())
