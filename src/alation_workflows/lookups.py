"""Name-to-id lookups for bulk uploads: one paged listing each, with clear errors for missing or ambiguous names.

Bulk APIs take ids (custom field ids, domain ids) and keys; people know names. These helpers read
the listing once and answer for many names at a time, so a batch upload costs one lookup, not one
per item. Sync and async twins share everything but the listing call.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ._runtime.exceptions import WorkflowsError

if TYPE_CHECKING:
    from . import models
    from .sdk import Workflows

T = TypeVar("T")


class NameNotFoundError(WorkflowsError, LookupError):
    """Some names were not found, or name more than one object; the message lists each."""

    def __init__(self, what: str, missing: Sequence[str], ambiguous: Mapping[str, Sequence[int]]) -> None:
        parts: list[str] = []
        if missing:
            parts.append(f"no {what} named {', '.join(repr(n) for n in missing)}")
        if ambiguous:
            parts.append(
                "; ".join(
                    f"{len(ids)} {what}s named {name!r} (ids {sorted(ids)})"
                    for name, ids in ambiguous.items()
                )
            )
        super().__init__("; ".join(parts))
        self.missing = list(missing)
        self.ambiguous = {k: list(v) for k, v in ambiguous.items()}


def _resolve(
    items: Iterable[T],
    names: Iterable[str],
    name_of: Callable[[T], str | None],
    id_of: Callable[[T], int],
    what: str,
) -> dict[str, int]:
    wanted = list(dict.fromkeys(names))
    found: dict[str, list[int]] = {n: [] for n in wanted}
    for item in items:
        name = name_of(item)
        if name in found:
            found[name].append(id_of(item))
    missing = [n for n, ids in found.items() if not ids]
    ambiguous = {n: ids for n, ids in found.items() if len(ids) > 1}
    if missing or ambiguous:
        raise NameNotFoundError(what, missing, ambiguous)
    return {n: ids[0] for n, ids in found.items()}


async def _collect(items: AsyncIterable[T]) -> list[T]:
    return [item async for item in items]


def _field_args(field_type: str | None) -> dict[str, Any]:
    return {"field_type": field_type} if field_type else {}


def _field_name(f: models.CustomField) -> str | None:
    return f.name_singular


def custom_field_ids(wf: Workflows, names: Iterable[str], *, field_type: str | None = None) -> dict[str, int]:
    """Ids of custom fields by (singular) name, e.g. `{"Steward": 8, "Tier": 10324}`.

    One listing of the custom fields (of `field_type` only, if given: use it when two fields of
    different types share a name). Raises `NameNotFoundError` naming every missing or ambiguous name.
    """
    fields = wf.custom_fields.list_custom_fields(limit=1000, **_field_args(field_type))
    return _resolve(fields, names, _field_name, lambda f: f.id, "custom field")


async def custom_field_ids_async(
    wf: Workflows, names: Iterable[str], *, field_type: str | None = None
) -> dict[str, int]:
    fields = await _collect(wf.custom_fields.list_custom_fields_async(limit=1000, **_field_args(field_type)))
    return _resolve(fields, names, _field_name, lambda f: f.id, "custom field")


def domain_ids(wf: Workflows, titles: Iterable[str]) -> dict[str, int]:
    """Ids of domains by title (one listing of the domains); raises `NameNotFoundError` like `custom_field_ids`."""
    return _resolve(wf.domains.list_domains(limit=1000), titles, lambda d: d.title, lambda d: d.id, "domain")


async def domain_ids_async(wf: Workflows, titles: Iterable[str]) -> dict[str, int]:
    domains = await _collect(wf.domains.list_domains_async(limit=1000))
    return _resolve(domains, titles, lambda d: d.title, lambda d: d.id, "domain")


def tables_by_key(wf: Workflows, ds_id: int, *, schema_name: str | None = None) -> dict[str, models.Table]:
    """The existing tables of a data source by key (`<ds_id>.<schema>.<table>`), read 1 000 per request.

    Use it to split an upload into updates (known keys, with their ids) and creations.
    """
    tables = wf.rdbms.list_tables(ds_id=ds_id, schema_name=schema_name, limit=1000)
    return {t.key: t for t in tables if t.key}


async def tables_by_key_async(
    wf: Workflows, ds_id: int, *, schema_name: str | None = None
) -> dict[str, models.Table]:
    tables = await _collect(wf.rdbms.list_tables_async(ds_id=ds_id, schema_name=schema_name, limit=1000))
    return {t.key: t for t in tables if t.key}
