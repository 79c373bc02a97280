"""The paging runtime against scripted servers: link safety, stop rules, eager argument checks."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest

from alation_workflows import Workflows
from alation_workflows.errors import PaginationError

BASE = "https://alation.example.com"


def _client(handler: Callable[[httpx.Request], httpx.Response]) -> Workflows:
    return Workflows(
        server_url=BASE,
        token="tok",
        client=httpx.Client(transport=httpx.MockTransport(handler)),
        async_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
    )


def _docs(*ids: int) -> list[dict[str, int]]:
    return [{"id": i} for i in ids]


def _reply(items: list[dict[str, int]], next_page: str | None = None) -> httpx.Response:
    headers = {"X-Next-Page": next_page} if next_page else {}
    return httpx.Response(
        200, content=json.dumps(items).encode(), headers={"content-type": "application/json", **headers}
    )


def test_relative_and_absolute_same_origin_links_are_followed_with_the_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        skip = request.url.params.get("skip", "0")
        if skip == "0":
            return _reply(_docs(1, 2), "/integration/v2/document/?limit=2&skip=2")
        if skip == "2":
            return _reply(_docs(3, 4), f"{BASE}/integration/v2/document/?limit=2&skip=4")
        return _reply(_docs(5))

    with _client(handler) as wf:
        assert [d.id for d in wf.documents.list_documents(limit=2)] == [1, 2, 3, 4, 5]
    assert [str(r.url) for r in seen] == [
        f"{BASE}/integration/v2/document/?limit=2",
        f"{BASE}/integration/v2/document/?limit=2&skip=2",
        f"{BASE}/integration/v2/document/?limit=2&skip=4",
    ]
    assert all(r.headers["TOKEN"] == "tok" for r in seen)


def test_a_path_link_keeps_the_server_urls_path_prefix() -> None:
    # Behind a reverse proxy at /catalog the link names the path only, as the operations' paths do.
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.params.get("skip") is None:
            return _reply(_docs(1, 2), "/integration/v2/document/?limit=2&skip=2")
        return _reply(_docs(3))

    with Workflows(
        server_url=f"{BASE}/catalog/",
        token="tok",
        client=httpx.Client(transport=httpx.MockTransport(handler)),
    ) as wf:
        assert [d.id for d in wf.documents.list_documents(limit=2)] == [1, 2, 3]
    assert seen == [
        f"{BASE}/catalog/integration/v2/document/?limit=2",
        f"{BASE}/catalog/integration/v2/document/?limit=2&skip=2",
    ]


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/integration/v2/document/?skip=2",
        "http://alation.example.com/integration/v2/document/?skip=2",  # scheme change
        "https://alation.example.com:8443/integration/v2/document/?skip=2",  # port change
        "//evil.example.com/integration/v2/document/?skip=2",  # scheme-relative
    ],
)
def test_a_link_to_another_origin_is_refused_and_never_requested(link: str) -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(f"{request.url.scheme}://{request.url.host}:{request.url.port}")
        return _reply(_docs(1, 2), link)

    with _client(handler) as wf:
        listing = iter(wf.documents.list_documents(limit=2))
        assert [next(listing).id, next(listing).id] == [1, 2]  # the first page is delivered
        with pytest.raises(PaginationError, match="not followed"):
            next(listing)
    assert hosts == ["https://alation.example.com:None"]


def test_a_repeated_link_is_an_error_not_a_loop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return _reply(_docs(1), "/integration/v2/document/?skip=1")

    with _client(handler) as wf, pytest.raises(PaginationError, match="repeated"):
        list(wf.documents.list_documents())


def test_an_empty_page_ends_the_listing_even_with_a_link() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return _reply([], "/integration/v2/document/?skip=100")

    with _client(handler) as wf:
        assert list(wf.documents.list_documents()) == []
    assert calls == 1


def test_offset_paging_stops_on_a_short_page_and_sends_offset() -> None:
    offsets: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        offsets.append(request.url.params.get("offset"))
        start = int(request.url.params.get("offset", "0"))
        total = 7
        items = [{"id": i} for i in range(start, min(total, start + int(request.url.params["limit"])))]
        # GBM v2 sends no X-Next-Page; a stray one must not matter.
        return _reply(items)

    with _client(handler) as wf:
        assert [f.id for f in wf.bi_sources.list_bi_folders(bi_server_id=3, limit=3)] == list(range(7))
    assert offsets == [None, "3", "6"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": 0}, r"limit\n  Input should be greater than or equal to 1"),  # the spec's minimum
        ({"limit": 1001}, "page size: 1 to 1000"),
        ({"skip": -1}, r"skip\n  Input should be greater than or equal to 0"),
        ({"max_items": -1}, "max_items must be an integer >= 0"),
        ({"document_hub_id": "not a number"}, "document_hub_id"),
    ],
)
def test_bad_arguments_fail_at_the_call_before_any_request(kwargs: dict[str, object], message: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may be sent")

    with _client(handler) as wf, pytest.raises(ValueError, match=message):
        wf.documents.list_documents(**kwargs)  # type: ignore[arg-type]


def test_async_listing_refuses_foreign_links_too() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return _reply(_docs(1), "https://elsewhere.example.com/next")

    async def run() -> list[int]:
        got = []
        async with _client(handler) as wf:
            with pytest.raises(PaginationError):
                async for d in wf.documents.list_documents_async():
                    got.append(d.id)
        return got

    assert asyncio.run(run()) == [1]


def test_errors_of_a_later_page_surface_from_the_iterator() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("skip") == "1":
            return httpx.Response(403, json={"detail": "no", "code": "403000"})
        return _reply(_docs(1), "/integration/v2/document/?limit=1&skip=1")

    from alation_workflows.errors import ProblemDetailsError

    with _client(handler) as wf:
        listing = iter(wf.documents.list_documents(limit=1))
        assert next(listing).id == 1
        with pytest.raises(ProblemDetailsError):
            next(listing)
