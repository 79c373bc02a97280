"""Paged reads against the simulator over loopback HTTP: every item once, across page boundaries."""

from __future__ import annotations

import asyncio

import pytest

from alation_workflows import Workflows, models
from alation_workflows.testing import Simulator
from alation_workflows.testing.pytest_plugin import ServedSimulator

BOUNDARIES = [0, 1, 99, 100, 101, 1000, 2500]


def _seed_documents(wf: Workflows, n: int, hub: int = 1) -> list[int]:
    """Create `n` documents through the bulk API (jobs of at most 1 000), returning their ids."""
    ids: list[int] = []
    for start in range(0, n, 1000):
        batch = [
            models.DocumentIn(title=f"Doc {i}", document_hub_id=hub)
            for i in range(start, min(n, start + 1000))
        ]
        details = wf.documents.create_documents(request=batch).wait(timeout=30)
        assert isinstance(details.result, models.DocumentPostResult)
        ids += [t.id for t in details.result.created_terms or []]
    assert len(ids) == n
    return ids


def _seed_folders(wf: Workflows, n: int) -> int:
    server = wf.bi_sources.create_bi_servers(
        request=[models.BiServerIn(uri="https://bi.example.com", title="BI")]
    )
    assert server.server_ids is not None
    server_id = server.server_ids[0]
    for start in range(0, n, 1000):
        batch = [
            models.BiFolderIn(
                name=f"F{i}",
                external_id=f"f-{i}",
                source_url=f"https://bi.example.com/f/{i}",
                bi_object_type="Project",
                description_at_source=None,
                owner="ann",
            )
            for i in range(start, min(n, start + 1000))
        ]
        wf.bi_sources.create_bi_folders(bi_server_id=server_id, request=batch).wait(timeout=30)
    return server_id


def _gets(sim: Simulator, path: str) -> list[dict[str, list[str]]]:
    return [r.query for r in sim.requests if r.method == "GET" and r.path == path]


@pytest.mark.parametrize("n", BOUNDARIES)
def test_documents_follow_x_next_page(workflows: Workflows, alation_server: ServedSimulator, n: int) -> None:
    ids = _seed_documents(workflows, n)
    listed = [d.id for d in workflows.documents.list_documents(document_hub_id=1)]
    assert listed == ids  # each once, in order
    gets = _gets(alation_server.sim, "/integration/v2/document/")
    # One request per page of 100, and one even for an empty listing.
    assert len(gets) == max(1, -(-n // 100))
    # Pages after the first are the X-Next-Page URLs the simulator sent (skip advanced by 100).
    assert [q.get("skip", ["0"])[0] for q in gets] == [str(100 * i) for i in range(len(gets))]


@pytest.mark.parametrize("n", [99, 100, 101, 1000, 2500])
def test_bi_folders_page_by_offset_without_header(
    workflows: Workflows, alation_server: ServedSimulator, n: int
) -> None:
    server_id = _seed_folders(workflows, n)
    names = [f.name for f in workflows.bi_sources.list_bi_folders(bi_server_id=server_id)]
    assert names == [f"F{i}" for i in range(n)]
    gets = _gets(alation_server.sim, f"/integration/v2/bi/server/{server_id}/folder/")
    # No header: a short page ends the listing; a full last page costs one empty request.
    assert len(gets) == n // 100 + 1
    assert [q.get("offset", ["0"])[0] for q in gets] == [str(100 * i) for i in range(len(gets))]


def test_create_2500_documents_then_list_them_with_big_pages(
    workflows: Workflows, alation_server: ServedSimulator
) -> None:
    ids = _seed_documents(workflows, 2500)
    pages = list(workflows.documents.list_documents(limit=1000).pages())
    assert [len(p) for p in pages] == [1000, 1000, 500]
    assert [p.number for p in pages] == [1, 2, 3]
    assert [p.offset for p in pages] == [0, 1000, 2000]
    assert pages[-1].next_url is None and pages[0].next_url is not None
    assert [d.id for p in pages for d in p] == ids


def test_async_iteration_matches_sync(workflows: Workflows, alation_server: ServedSimulator) -> None:
    ids = _seed_documents(workflows, 250)

    async def collect() -> tuple[list[int], list[int]]:
        items = [d.id async for d in workflows.documents.list_documents_async()]
        sizes = [len(p) async for p in workflows.documents.list_documents_async().pages()]
        return items, sizes

    items, sizes = asyncio.run(collect())
    assert items == ids
    assert sizes == [100, 100, 50]


def test_async_offset_paging(workflows: Workflows, alation_server: ServedSimulator) -> None:
    server_id = _seed_folders(workflows, 150)

    async def collect() -> list[str | None]:
        return [
            f.external_id
            async for f in workflows.bi_sources.list_bi_folders_async(bi_server_id=server_id, limit=50)
        ]

    assert asyncio.run(collect()) == [f"f-{i}" for i in range(150)]


def test_lazy_and_stops_cleanly(workflows: Workflows, alation_server: ServedSimulator) -> None:
    _seed_documents(workflows, 350)
    sim = alation_server.sim
    before = len(_gets(sim, "/integration/v2/document/"))
    listing = workflows.documents.list_documents()
    assert len(_gets(sim, "/integration/v2/document/")) == before  # nothing sent yet
    for i, _ in enumerate(listing):
        if i == 150:
            break
    # Breaking in page 2 fetched pages 1 and 2 only.
    assert len(_gets(sim, "/integration/v2/document/")) == before + 2


@pytest.mark.parametrize(
    ("max_items", "requests", "limits"), [(0, 0, []), (5, 1, ["5"]), (250, 3, ["100", "100", "100"])]
)
def test_max_items_bounds_items_and_requests(
    workflows: Workflows, alation_server: ServedSimulator, max_items: int, requests: int, limits: list[str]
) -> None:
    ids = _seed_documents(workflows, 400)
    sim = alation_server.sim
    before = len(_gets(sim, "/integration/v2/document/"))
    got = [d.id for d in workflows.documents.list_documents(max_items=max_items)]
    assert got == ids[:max_items]
    gets = _gets(sim, "/integration/v2/document/")[before:]
    assert len(gets) == requests
    assert [q["limit"][0] for q in gets] == limits


def test_filters_and_start_offset(workflows: Workflows, alation_server: ServedSimulator) -> None:
    hub2 = alation_server.sim.catalog.add_document_hub("Second hub")
    ids1 = _seed_documents(workflows, 120)
    ids2 = _seed_documents(workflows, 30, hub=hub2)
    assert [d.id for d in workflows.documents.list_documents(document_hub_id=hub2)] == ids2
    assert [d.id for d in workflows.documents.list_documents(skip=110)] == (ids1 + ids2)[110:]
    assert [d.title for d in workflows.documents.list_documents(search="Doc 11")] == [
        "Doc 11",
        *[f"Doc {i}" for i in range(110, 120)],
        "Doc 11",
    ]
