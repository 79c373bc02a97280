"""Paged list answers, as Alation gives them: `limit` (default 100, capped at 1 000) and `skip`.

Most list APIs send the next page's path in `X-Next-Page` (absent on the last page); the BI
source API (GBM v2) takes `offset` instead of `skip` and sends no header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from ..wire import Reject, SimRequest, SimResponse

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000  # alation.api.catalog.limit
NEXT_PAGE = "X-Next-Page"

Obj = dict[str, Any]


def int_arg(request: SimRequest, name: str, default: int | None = None, minimum: int = 0) -> int | None:
    """A query argument as an int (None/default when absent), else Alation's 400 naming it."""
    raw = request.arg(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise Reject(400, {"detail": {name: ["A valid integer is required."]}, "code": "400000"})
    return value


def bool_arg(request: SimRequest, name: str) -> bool | None:
    raw = request.arg(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise Reject(400, {"detail": {name: ["Must be a valid boolean."]}, "code": "400000"})


def matching(
    request: SimRequest, objects: Iterable[Obj], filters: Mapping[str, Callable[[Obj, str], bool]]
) -> list[Obj]:
    """The objects every given filter accepts (filter(obj, raw query value)), ordered by id."""
    given = [(f, raw) for name, f in filters.items() if (raw := request.arg(name)) not in (None, "")]
    out = [obj for obj in objects if all(f(obj, raw) for f, raw in given)]
    return sorted(out, key=lambda o: o.get("id", 0))


def equals(field: str, kind: type = str) -> Callable[[Obj, str], bool]:
    """Filter: the object's `field` equals the query value (ints compared as ints)."""

    def check(obj: Obj, raw: str) -> bool:
        if kind is int:
            try:
                return obj.get(field) == int(raw)
            except ValueError:
                raise Reject(
                    400, {"detail": {field: ["A valid integer is required."]}, "code": "400000"}
                ) from None
        return str(obj.get(field)) == raw

    return check


def contains(field: str) -> Callable[[Obj, str], bool]:
    """Filter: case-insensitive substring of the object's `field`."""
    return lambda obj, raw: raw.lower() in str(obj.get(field) or "").lower()


def paged(
    request: SimRequest, items: list[Any], *, start_param: str = "skip", next_header: bool = True
) -> SimResponse:
    """One page of `items` for this request, with `X-Next-Page` when more follow (if the API sends it)."""
    limit = min(int_arg(request, "limit", PAGE_SIZE, minimum=1) or PAGE_SIZE, MAX_PAGE_SIZE)
    start = int_arg(request, start_param, 0) or 0
    page = items[start : start + limit]
    headers: dict[str, str] = {}
    if next_header and start + limit < len(items):
        query = {k: v for k, v in request.query.items() if k not in ("limit", start_param)}
        query |= {"limit": [str(limit)], start_param: [str(start + limit)]}
        headers[NEXT_PAGE] = f"{request.path}?{urlencode(query, doseq=True)}"
    return SimResponse.json(200, page, headers)


def key_filter(field: str) -> Callable[[Obj, str], bool]:
    """Filter: the object's `field` equals the value (keys compared as given)."""
    return lambda obj, raw: obj.get(field) == raw
