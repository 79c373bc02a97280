"""What the docs' and the spec's examples refer to, as a real catalog would hold it.

`Simulator.seed_examples()` (and `alation-workflows simulator --seed examples`) loads it, so every
snippet of README.md and docs/ runs by copy-paste against a simulator started that way. A fresh
simulator already holds document hub 1, template 1, glossary 1, policy group 1, data source 1,
file system 1, domain 1 and user 1; this adds the ids below. Seeding again restores them, so a
delete example cannot break a later update example.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .simulator import Simulator

# Catalog table -> ids the examples use (ids from the openapi/ examples).
CATALOG: dict[str, list[int]] = {
    "templates": [22, 31, 40, 51],
    "folders": [3, 7],
    "documents": [12],
    "terms": [1325],
    "glossaries": [2, 5],
    "policy_groups": [4],
    "policies": [89],
    "bi_servers": [11],
    "domains": [179],
    "file_systems": [4],
    "datasources": [9, 9999],
}
CUSTOM_FIELDS: dict[int, dict[str, Any]] = {
    10323: {"field_type": "RICH_TEXT", "name_singular": "Definition"},
    10324: {"field_type": "MULTI_PICKER", "options": ["Gold", "Certified"], "name_singular": "Tier"},
    10325: {"field_type": "OBJECT_SET", "allowed_otypes": ["table"]},
    10326: {"field_type": "RICH_TEXT"},
    10327: {"field_type": "RICH_TEXT"},
}
COLUMNS = {"9.sales.customers.address": 5121, "7.sales.orders.amount": 5120}
DATA_QUALITY_FIELDS = ["dq.null_ratio"]
# The README's name-based workflows look these up by name.
NAMES: list[tuple[str, int, dict[str, Any]]] = [
    ("folders", 3, {"title": "Finance KPIs", "document_hub_id": 1}),
    ("templates", 22, {"title": "KPI document"}),
    ("datasources", 9, {"title": "Sales warehouse"}),
    ("domains", 179, {"title": "Sales"}),
]
# OAuth client credentials for createOAuthToken examples (client id -> secret).
OAUTH_CLIENTS = {"svc-etl": "docs-client-secret"}


def seed(sim: Simulator) -> None:
    """(Re)create every object the examples refer to."""
    with sim.lock:
        cat = sim.catalog
        for table, ids in CATALOG.items():
            for i in ids:
                getattr(cat, table)[i] = {"id": i, "title": f"{table} {i}"}
        sim.deleted_domains.difference_update(CATALOG["domains"])
        for i, definition in CUSTOM_FIELDS.items():
            cat.custom_fields[i] = {"id": i, "name_singular": f"Field {i}", **definition}
        for key, i in COLUMNS.items():
            cat.columns[key] = {"id": i, "key": key, "ds_id": int(key.split(".")[0]), "column_type": "struct"}
        # Custom field value examples name objects that must exist (by id: schema 9, table 42).
        cat.schemas["9.finance"] = {"id": 9, "key": "9.finance", "ds_id": 9}
        cat.add_table("9.finance.ledger", id=42)
        for table, i, fields in NAMES:
            getattr(cat, table)[i].update(fields)
        for key in DATA_QUALITY_FIELDS:
            cat.dq_fields[key] = {"field_key": key, "name": key, "type": "NUMERIC"}
        # The row of uploadDataDictionary's example CSV.
        cat.tables["9.sales.orders"] = {"id": 501, "key": "9.sales.orders", "ds_id": 9}
        sim.oauth_clients.update(OAUTH_CLIENTS)
