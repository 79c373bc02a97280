"""`x-pagination`: how a list operation pages, checked against its parameters and response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import ir
from .pytypes import doc_type
from .raw import is_obj

_KEYS = {"limit", "offset", "next_page_header", "page_size", "max_page_size"}
_REQUIRED = _KEYS - {"next_page_header"}


def pagination(
    op: dict[str, Any],
    pointer: str,
    method: str,
    params: list[ir.Param],
    responses: list[ir.Response],
    fail: Callable[[str, str], object],
) -> ir.Paging | None:
    """The operation's paging (None when it has no `x-pagination`); problems go to `fail(pointer, msg)`."""
    spec = op.get("x-pagination")
    if spec is None:
        return None
    ptr = f"{pointer}/x-pagination"
    if not is_obj(spec):
        fail(ptr, "x-pagination must be a mapping")
        return None
    problems = len(_problems(spec, ptr, method, params, responses, fail))
    if problems:
        return None
    by_wire = {p.wire: p for p in params}
    listed = responses[0].type
    assert isinstance(listed, ir.ListOf)  # _problems checked: the first response is a list
    item = listed.item
    return ir.Paging(
        limit=by_wire[spec["limit"]].name,
        offset=by_wire[spec["offset"]].name,
        next_header=spec.get("next_page_header"),
        page_size=spec["page_size"],
        max_page_size=spec["max_page_size"],
        item=item,
    )


def _problems(
    spec: dict[str, Any],
    ptr: str,
    method: str,
    params: list[ir.Param],
    responses: list[ir.Response],
    fail: Callable[[str, str], object],
) -> list[object]:
    out: list[object] = []
    unknown = sorted(set(spec) - _KEYS)
    if unknown:
        out.append(fail(ptr, f"unknown x-pagination keys {unknown} (allowed: {sorted(_KEYS)})"))
    missing = sorted(_REQUIRED - set(spec))
    if missing:
        out.append(fail(ptr, f"x-pagination needs {missing}"))
        return out
    if method.lower() not in ("get", "post"):
        out.append(fail(ptr, "only GET (or read-only POST) operations can page"))
    by_wire = {p.wire: p for p in params}
    for key in ("limit", "offset"):
        p = by_wire.get(spec[key])
        if p is None or p.location != "query" or p.type != ir.Prim("int") or p.required:
            out.append(fail(f"{ptr}/{key}", f"{spec[key]!r} must name an optional integer query parameter"))
    sizes = (spec["page_size"], spec["max_page_size"])
    if not all(isinstance(s, int) and not isinstance(s, bool) for s in sizes) or not (
        1 <= sizes[0] <= sizes[1]
    ):
        out.append(
            fail(ptr, "page_size and max_page_size must be integers with 1 <= page_size <= max_page_size")
        )
    header = spec.get("next_page_header")
    if header is not None and (not isinstance(header, str) or not header.strip()):
        out.append(fail(f"{ptr}/next_page_header", "must be a header name"))
    ok = [r for r in responses if r.status.startswith("2")]
    if len(ok) != 1 or not isinstance(ok[0].type, ir.ListOf):
        out.append(fail(ptr, "a paged operation needs exactly one 2XX response, a JSON array of the items"))
    return out


def paging_docs(op: ir.Operation, link: str) -> dict[str, str]:
    """What an operation's doc page says about its paging."""
    p = op.paging
    assert p is not None
    how = (
        f"follows the `{p.next_header}` header (same origin only)"
        if p.next_header
        else f"counts: `{p.offset}` advances by the page size, and a short page is the last"
    )
    text = (
        f"A lazy iterator over the items: nothing is sent until iteration starts, then one request per "
        f"page of `{p.limit}` items (default {p.page_size}, at most {p.max_page_size}). It {how}. "
        f"`.pages()` yields whole pages (`Page.items`, `.number`, `.offset`, `.next_url`); "
        f"`max_items` stops early."
    )
    return {"item": doc_type(p.item, link), "text": text}
