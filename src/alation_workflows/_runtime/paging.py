"""Paged reads: lazy sync and async iterators over Alation's limit/skip (or limit/offset) listings.

Alation pages list endpoints with a page-size parameter (`limit`, 100 by default, capped at
1 000 per call) and a start parameter (`skip`; `offset` in the BI source API). Most endpoints
also send the next page's URL in an `X-Next-Page` header, absent on the last page; the iterator
follows it, but only on the client's own origin since the request carries the token. Endpoints
without the header are paged by counting: a page shorter than the page size is the last.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from .config import CallOptions
from .exceptions import PaginationError
from .request import check_arguments, encode_body

if TYPE_CHECKING:
    from .client import BaseClient
    from .operation import Operation

T = TypeVar("T")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Paging:
    """How one operation pages (from the spec's `x-pagination`); names are Python parameter names."""

    limit: str
    offset: str
    # Response header carrying the next page's URL; None when the API sends none (GBM v2).
    next_header: str | None
    page_size: int
    max_page_size: int


@dataclass(slots=True)
class PageRequest:
    """One page fetch: the URL to GET as given by the server (None: built from the arguments); the answer's headers land here."""

    url: str | None = None
    headers: httpx.Headers | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page as the server sent it: its items, its 1-based number, and the next page's URL if any."""

    items: list[T]
    number: int
    offset: int
    next_url: str | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(slots=True)
class _Cursor:
    """Where a listing stands; everything that is not I/O, shared by the sync and async iterators."""

    paging: Paging
    args: dict[str, Any]
    base_url: str
    max_items: int | None
    limit: int
    offset: int
    requested: int = 0
    yielded: int = 0
    pages: int = 0
    next_url: str | None = None
    done: bool = False
    seen: set[str] = field(default_factory=set[str])

    def next_request(self) -> tuple[dict[str, Any], PageRequest] | None:
        """Arguments and page request for the next fetch, or None when the listing is complete."""
        if self.done or (self.max_items is not None and self.yielded >= self.max_items):
            return None
        if self.next_url is not None:
            # Checked only now, so the page that carried the link is delivered first.
            return self.args, PageRequest(url=self._checked(self.next_url))
        args = dict(self.args)
        # Ask for no more than `max_items` still needs (only the first page when following links).
        self.requested = self.limit
        if self.max_items is not None:
            self.requested = min(self.limit, self.max_items - self.yielded)
        args[self.paging.limit] = self.requested
        if self.offset or self.args.get(self.paging.offset) is not None:
            args[self.paging.offset] = self.offset
        return args, PageRequest()

    def accept(self, items: list[Any], request: PageRequest) -> Page[Any]:
        """Record a fetched page; returns it trimmed to `max_items`."""
        self.pages += 1
        number, offset = self.pages, self.offset
        self.offset += len(items)
        nxt = None
        if self.paging.next_header is not None:
            raw = (request.headers or httpx.Headers()).get(self.paging.next_header)
            # An empty page ends the listing even if the server still offers a next link.
            nxt = next_page_url(self.base_url, raw.strip()) if raw and items else None
            self.next_url = nxt
            self.done = nxt is None
        else:
            self.done = len(items) < self.requested
        if self.max_items is not None:
            items = items[: self.max_items - self.yielded]
        self.yielded += len(items)
        return Page(items, number, offset, nxt)

    def _checked(self, url: str) -> str:
        base, target = httpx.URL(self.base_url), httpx.URL(url)
        if _origin(target) != _origin(base):
            raise PaginationError(
                f"{self.paging.next_header} points to {target.scheme}://{target.host}, not to the client's "
                f"origin {base.scheme}://{base.host}: not followed, the request would carry the token"
            )
        if url in self.seen:
            raise PaginationError(f"{self.paging.next_header} repeated a page already fetched ({url})")
        self.seen.add(url)
        return url


def next_page_url(base_url: str, link: str) -> str:
    """Where a next-page link points. A path (`/integration/...`) is appended to the server URL, as
    the operations' own paths are, so a server URL with a path prefix (a reverse proxy) keeps it,
    as allie-sdk does (`host + X-Next-Page`); anything else is resolved per RFC 3986."""
    if link.startswith("/") and not link.startswith("//"):
        return base_url.rstrip("/") + link
    return str(httpx.URL(base_url.rstrip("/") + "/").join(link))


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme)


class _Listing:
    """What both iterators hold: the call, checked eagerly so bad arguments fail at the call."""

    def __init__(
        self,
        sdk: BaseClient,
        op: Operation,
        method: str,
        args: Mapping[str, Any],
        body: Any,
        opts: CallOptions,
        max_items: int | None,
    ) -> None:
        paging = op.paging
        assert paging is not None, f"{op.id} does not page"
        check_arguments(op, method, args)
        # A listing sent as POST (domain membership rules) repeats its body on every page.
        encode_body(op, body)
        if max_items is not None and (
            # Checked at run time for untyped callers, which the static checker cannot see.
            isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 0  # pyright: ignore[reportUnnecessaryIsInstance]
        ):
            raise ValueError(f"{method}() max_items must be an integer >= 0, got {max_items!r}")
        limit = args.get(paging.limit)
        limit = paging.page_size if limit is None else limit
        if not 1 <= limit <= paging.max_page_size:
            raise ValueError(
                f"{method}() {paging.limit} is the page size: 1 to {paging.max_page_size} "
                f"(Alation's per-call cap), got {limit}"
            )
        offset = args.get(paging.offset) or 0
        if offset < 0:
            raise ValueError(f"{method}() {paging.offset} must be >= 0, got {offset}")
        self._sdk = sdk
        self._op = op
        self._method = method
        self._args = {k: v for k, v in args.items() if v is not None}
        self._body = body
        self._opts = opts
        self._max_items = max_items
        self._limit = limit
        self._offset = offset
        self._paging = paging

    def _cursor(self) -> _Cursor:
        base = self._opts.server_url.rstrip("/") if self._opts.server_url else self._sdk.server_url
        return _Cursor(self._paging, self._args, base, self._max_items, self._limit, self._offset)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._method}({self._args})>"


class PageIterator(_Listing, Generic[T]):
    """Items of a paged listing, fetched a page at a time as iteration reaches them.

    Nothing is sent until iteration starts; each `for` loop starts a fresh listing. `.pages()`
    yields whole `Page`s instead of items; `max_items` (given to the list method) bounds both.
    """

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def pages(self) -> Iterator[Page[T]]:
        cursor = self._cursor()
        while (step := cursor.next_request()) is not None:
            args, request = step
            items = self._sdk.invoke(self._op, self._method, args, self._body, self._opts, page=request)
            yield cursor.accept(items, request)


class AsyncPageIterator(_Listing, Generic[T]):
    """The async twin of `PageIterator`: `async for item in ...`, `async for page in ....pages()`."""

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def pages(self) -> AsyncIterator[Page[T]]:
        cursor = self._cursor()
        while (step := cursor.next_request()) is not None:
            args, request = step
            items = await self._sdk.invoke_async(
                self._op, self._method, args, self._body, self._opts, page=request
            )
            yield cursor.accept(items, request)
