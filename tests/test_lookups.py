"""Name lookups on the simulator: one listing per lookup, every missing or ambiguous name reported."""

from __future__ import annotations

import asyncio

import pytest

from alation_workflows import Workflows, lookups, models
from alation_workflows.errors import NameNotFoundError
from alation_workflows.testing.pytest_plugin import ServedSimulator


def _field_lists(server: ServedSimulator) -> int:
    return sum(
        1 for r in server.sim.requests if r.path == "/integration/v2/custom_field/" and r.method == "GET"
    )


def test_custom_field_ids_resolve_many_names_with_one_request(
    workflows: Workflows, alation_server: ServedSimulator
) -> None:
    cat = alation_server.sim.catalog
    cat.custom_fields[501] = {"id": 501, "field_type": "PICKER", "name_singular": "Tier"}
    cat.custom_fields[502] = {"id": 502, "field_type": "RICH_TEXT", "name_singular": "Definition"}
    assert lookups.custom_field_ids(workflows, ["Tier", "Definition", "Steward"]) == {
        "Tier": 501,
        "Definition": 502,
        "Steward": 8,
    }
    assert _field_lists(alation_server) == 1


def test_missing_and_ambiguous_names_are_all_named(
    workflows: Workflows, alation_server: ServedSimulator
) -> None:
    cat = alation_server.sim.catalog
    cat.custom_fields[601] = {"id": 601, "field_type": "PICKER", "name_singular": "Owner"}
    cat.custom_fields[602] = {"id": 602, "field_type": "OBJECT_SET", "name_singular": "Owner"}
    with pytest.raises(NameNotFoundError) as caught:
        lookups.custom_field_ids(workflows, ["Owner", "Nope", "Steward"])
    assert caught.value.missing == ["Nope"]
    assert caught.value.ambiguous == {"Owner": [601, 602]}
    assert "'Nope'" in str(caught.value) and "ids [601, 602]" in str(caught.value)
    # The field type settles it.
    assert lookups.custom_field_ids(workflows, ["Owner"], field_type="OBJECT_SET") == {"Owner": 602}


def test_tables_by_key_and_domains(workflows: Workflows, alation_server: ServedSimulator) -> None:
    ds = alation_server.sim.catalog.add_datasource("DW")
    workflows.rdbms.create_schemas(ds_id=ds, request=[models.SchemaIn(key=f"{ds}.s")]).wait(timeout=30)
    keys = [f"{ds}.s.t{i}" for i in range(1200)]
    for start in range(0, 1200, 1000):
        batch = [models.TableIn(key=k) for k in keys[start : start + 1000]]
        workflows.rdbms.create_tables(ds_id=ds, request=batch).wait(timeout=30)
    tables = lookups.tables_by_key(workflows, ds)
    assert sorted(tables) == sorted(keys)
    gets = [
        r for r in alation_server.sim.requests if r.path == "/integration/v2/table/" and r.method == "GET"
    ]
    assert [r.query["limit"] for r in gets] == [["1000"], ["1000"]]  # 1 000 per request
    marketing = alation_server.sim.catalog.add_domain("Marketing")
    assert lookups.domain_ids(workflows, ["Marketing", "Finance"]) == {"Marketing": marketing, "Finance": 1}

    async def run() -> tuple[int, dict[str, int], dict[str, int]]:
        async with Workflows(server_url=alation_server.url, token=alation_server.token) as awf:
            t = await lookups.tables_by_key_async(awf, ds)
            d = await lookups.domain_ids_async(awf, ["Marketing"])
            f = await lookups.custom_field_ids_async(awf, ["Steward"])
            return len(t), d, f

    assert asyncio.run(run()) == (1200, {"Marketing": marketing}, {"Steward": 8})
