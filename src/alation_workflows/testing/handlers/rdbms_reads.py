"""Reads of schemas, tables and columns from the simulated catalog, paged (Relational Integration API v2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..registry import handles
from ..wire import Reject, SimRequest, SimResponse
from .hub_reads import field_values
from .listing import contains, equals, int_arg, matching, paged

if TYPE_CHECKING:
    from ..simulator import Simulator

_COMMON = ("id", "key", "title", "description", "ds_id")
_TABLE = ("table_type", "table_comment", "base_table_key", "sql", "partition_definition", "partition_columns")
_COLUMN = ("column_type", "column_comment", "nullable", "position", "index")


def _data_source(sim: Simulator, request: SimRequest) -> None:
    """A named data source must exist (Alation's 404 otherwise)."""
    ds_id = int_arg(request, "ds_id")
    if ds_id is not None and ds_id not in sim.catalog.datasources:
        raise Reject(404, {"detail": f"Data source with id {ds_id} does not exist", "code": "404000"})


def _common(sim: Simulator, key: str, obj: dict[str, Any], kind: str) -> dict[str, Any]:
    out = {name: obj.get(name) for name in _COMMON}
    out["key"] = key
    out["name"] = key.rsplit(".", 1)[-1]
    out["url"] = f"/{kind}/{obj['id']}/"
    out["custom_fields"] = field_values(sim, obj.get("custom_fields"))
    return out


def _schema(sim: Simulator, key: str, obj: dict[str, Any]) -> dict[str, Any]:
    out = _common(sim, key, obj, "schema")
    out["name"] = key.split(".", 1)[1]
    out["db_comment"] = obj.get("db_comment")
    return out


def _table(sim: Simulator, key: str, obj: dict[str, Any]) -> dict[str, Any]:
    out = _common(sim, key, obj, "table")
    schema_key = key.rsplit(".", 1)[0]
    schema = sim.catalog.schemas.get(schema_key, {})
    out |= {name: obj.get(name) for name in _TABLE}
    out["schema_id"] = schema.get("id")
    out["schema_name"] = schema_key.split(".", 1)[1]
    return out


def _column(sim: Simulator, key: str, obj: dict[str, Any]) -> dict[str, Any]:
    out = _common(sim, key, obj, "attribute")
    table_key = key.rsplit(".", 1)[0]
    table = sim.catalog.tables.get(table_key, {})
    schema = sim.catalog.schemas.get(table_key.rsplit(".", 1)[0], {})
    out |= {name: obj.get(name) for name in _COLUMN}
    out["table_id"] = table.get("id")
    out["table_name"] = table_key.rsplit(".", 1)[1]
    out["schema_id"] = schema.get("id")
    return out


@handles("listSchemas")
def list_schemas(sim: Simulator, request: SimRequest) -> SimResponse:
    _data_source(sim, request)
    shaped = [_schema(sim, key, obj) for key, obj in sim.catalog.schemas.items()]
    found = matching(
        request, shaped, {"ds_id": equals("ds_id", int), "id": equals("id", int), "name": equals("name")}
    )
    return paged(request, found)


@handles("listTables")
def list_tables(sim: Simulator, request: SimRequest) -> SimResponse:
    _data_source(sim, request)
    shaped = [_table(sim, key, obj) for key, obj in sim.catalog.tables.items()]
    found = matching(
        request,
        shaped,
        {
            "ds_id": equals("ds_id", int),
            "schema_id": equals("schema_id", int),
            "schema_name": equals("schema_name"),
            "id": equals("id", int),
            "name": equals("name"),
            "name__icontains": contains("name"),
        },
    )
    return paged(request, found)


@handles("listColumns")
def list_columns(sim: Simulator, request: SimRequest) -> SimResponse:
    _data_source(sim, request)
    shaped = [_column(sim, key, obj) for key, obj in sim.catalog.columns.items()]
    found = matching(
        request,
        shaped,
        {
            "ds_id": equals("ds_id", int),
            "schema_id": equals("schema_id", int),
            "table_id": equals("table_id", int),
            "table_name": equals("table_name"),
            "id": equals("id", int),
            "name": equals("name"),
        },
    )
    return paged(request, found)
