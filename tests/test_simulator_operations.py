"""Simulator: every operation's handle shape, job-result shape (as in the jobs catalog) and state effects.

Each test runs twice: over real loopback HTTP (uvicorn) and through the in-process transport.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from alation_workflows.testing import Simulator

# The media type the spec gives the JSONL upload bodies (the simulator answers 415 to others).
JSONL = {"Content-Type": "application/x-ndjson"}
JOB = "/api/v1/bulk_metadata/job/"
TOKEN = "test-token"


class Api:
    """A raw httpx client on the simulator plus helpers to submit and read the finished job."""

    def __init__(self, client: httpx.Client, sim: Simulator) -> None:
        self.client = client
        self.sim = sim

    def job(self, **query: Any) -> dict[str, Any]:
        r = self.client.get(JOB, params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"status", "msg", "result"}
        assert body["status"] == "successful", body
        assert body["msg"].startswith("Job finished in ") and " seconds at " in body["msg"]
        return body

    def submit(self, method: str, path: str, expect: int = 202, **kwargs: Any) -> Any:  # a 400 may be a list
        r = self.client.request(method, path, **kwargs)
        assert r.status_code == expect, r.text
        assert r.headers["content-type"] == "application/json"
        return r.json()

    def run(self, method: str, path: str, expect: int = 202, **kwargs: Any) -> Any:
        """Submit an H1 job and return its result."""
        handle = self.submit(method, path, expect, **kwargs)
        assert set(handle) == {"job_id"} and isinstance(handle["job_id"], int), handle
        return self.job(id=handle["job_id"])["result"]


@pytest.fixture(params=["loopback", "in-process"])
def api(request: pytest.FixtureRequest, alation_simulator: Simulator) -> Iterator[Api]:
    sim = alation_simulator
    if request.param == "loopback":
        served = request.getfixturevalue("alation_server")
        with httpx.Client(base_url=served.url, headers={"TOKEN": TOKEN}, timeout=5) as client:
            yield Api(client, sim)
    else:
        with httpx.Client(
            transport=sim.transport(), base_url="http://alation.test", headers={"TOKEN": TOKEN}
        ) as client:
            yield Api(client, sim)


# -- documents, folders, terms ----------------------------------------------------------------


def test_documents_create_update_delete(api: Api) -> None:
    created = api.run(
        "POST",
        "/integration/v2/document/",
        json=[{"title": "A", "document_hub_id": 1}, {"title": "B", "document_hub_id": 1}],
    )
    assert created["created_term_count"] == 2
    a, b = (item["id"] for item in created["created_terms"])
    updated = api.run("PUT", "/integration/v2/document/", json=[{"id": a, "title": "A2"}])
    assert updated == {"updated_term_count": 1, "updated_terms": [{"id": a}]}
    assert api.sim.state.documents[a]["title"] == "A2"
    deleted = api.submit("DELETE", "/integration/v2/document/", 200, json={"id": [b, 999999]})
    assert deleted == {"deleted_document_count": 1, "deleted_document_ids": [b]}
    assert set(api.sim.state.documents) == {a}


def test_documents_invalid_items_are_rejected_with_index_errors_and_echo(api: Api) -> None:
    body = [
        {"title": "ok", "document_hub_id": 1},
        {"document_hub_id": 42},
        {"title": "cf", "document_hub_id": 1, "custom_fields": [{"field_id": 3, "value": "x"}]},
    ]
    error = api.submit("POST", "/integration/v2/document/", 400, json=body)
    assert error["job_id"] is None
    invalid = error["invalid_documents"]
    assert [item["index"] for item in invalid] == [1, 2]
    assert invalid[0]["errors"] == [
        {
            "title": ["This field is required."],
            "document_hub_id": ['Invalid pk "42" - object does not exist.'],
        }
    ]
    assert invalid[0]["document"] == {"document_hub_id": 42}
    assert invalid[1]["errors"] == [
        [{"non_field_errors": ["Custom field values were included, but no template was specified."]}]
    ]
    assert api.sim.submissions["createDocuments"] == 0 and api.sim.state.documents == {}


def test_batch_limit_enforced(api: Api) -> None:
    too_many = [{"title": f"d{i}", "document_hub_id": 1} for i in range(1001)]
    error = api.submit("POST", "/integration/v2/document/", 400, json=too_many)
    assert "1001" in error["detail"] and "1000" in error["detail"]


def test_folders(api: Api) -> None:
    created = api.run("POST", "/integration/v2/folder/", json=[{"title": "F", "document_hub_id": 1}])
    folder_id = created["created_folders"][0]["id"]
    assert created == {"created_folder_count": 1, "created_folders": [{"id": folder_id, "title": "F"}]}
    doc = api.run(
        "POST",
        "/integration/v2/document/",
        json=[{"title": "in F", "document_hub_id": 1, "parent_folder_id": folder_id}],
    )
    assert api.sim.state.documents[doc["created_terms"][0]["id"]]["parent_folder_id"] == folder_id
    updated = api.run("PUT", "/integration/v2/folder/", json=[{"id": folder_id, "title": "F2"}])
    assert updated == {"updated_folder_count": 1, "updated_folders": [{"id": folder_id, "title": "F2"}]}
    error = api.submit(
        "POST",
        "/integration/v2/folder/",
        400,
        json=[
            {
                "title": "x",
                "document_hub_id": 1,
                "template_id": 1,
                "custom_fields": [{"field_id": 777, "value": "v"}],
            }
        ],
    )
    assert error["invalid_folders"][0]["errors"] == [
        [{"field_id": ['Invalid pk "777" - object does not exist.']}]
    ]
    assert "folder" in error["invalid_folders"][0]
    deleted = api.submit("DELETE", "/integration/v2/folder/", 200, json={"ids": [folder_id, 123456]})
    assert deleted == {"deleted_folder_count": 1, "deleted_folder_ids": [folder_id]}


def test_terms(api: Api) -> None:
    created = api.run("POST", "/integration/v2/term/", json=[{"title": "KPI", "glossary_ids": [1]}])
    term_id = created["created_terms"][0]["id"]
    assert created == {"created_term_count": 1, "created_terms": [{"id": term_id, "title": "KPI"}]}
    updated = api.run("PUT", "/integration/v2/term/", json=[{"id": term_id, "title": "KPI 2"}])
    assert updated == {"updated_term_count": 1, "updated_terms": [{"id": term_id, "title": "KPI 2"}]}
    error = api.submit("POST", "/integration/v2/term/", 400, json=[{"description": "no title"}])
    assert error == {
        "job_id": None,
        "invalid_terms": [
            {
                "index": 0,
                "errors": [{"title": ["This field is required."]}],
                "term": {"description": "no title"},
            }
        ],
    }
    bad_delete = api.submit("DELETE", "/integration/v2/term/", 400, json={"id": 5})
    assert bad_delete == {
        "id": ['Expected a list of items but got type "int".'],
        "detail": {"id": ['Expected a list of items but got type "int".']},
        "code": "400000",
    }
    deleted = api.submit("DELETE", "/integration/v2/term/", 200, json={"id": [term_id]})
    assert deleted == {"deleted_term_ids": [term_id], "deleted_term_count": 1}


# -- business policies ------------------------------------------------------------------------


def test_business_policies_task_handle_and_text_result(api: Api) -> None:
    # The last item is schema-valid but names a policy group that does not exist: it fails inside the job.
    items = [{"title": f"P{i}", "policy_group_ids": [1]} for i in range(300)] + [
        {"title": "X", "policy_group_ids": [999]}
    ]
    handle = api.submit("POST", "/integration/v1/business_policies/", json=items)
    task = handle["task"]
    assert set(handle) == {"task"}
    assert (
        task["type"] == "BUSINESS_POLICY_BULK_CREATE" and task["state"] == "QUEUED" and task["status"] == "NA"
    )
    assert [link["rel"] for link in task["links"]] == ["status", "info", "errors"]
    assert task["links"][0]["href"].endswith(f"/api/v1/bulk_metadata/job/?id={task['id']}")
    result = api.job(id=task["id"])["result"]
    assert all(isinstance(line, str) for line in result)
    assert (
        result[-1]
        == "All total 2 batches with a limit of 250 items attempted. [Succeeded: 300, Failed: 1, Total: 301]"
    )
    assert "Successfully processed 250 items (index range: [0, 249])" in result
    assert len(api.sim.state.policies) == 300
    some_id = next(iter(api.sim.state.policies))
    update = api.submit(
        "PUT",
        "/integration/v1/business_policies/",
        json=[{"id": some_id, "policy_group_ids": {"remove": [1]}}],
    )
    assert update["task"]["type"] == "BUSINESS_POLICY_BULK_UPDATE"
    assert api.job(id=update["task"]["id"])["result"][-1].endswith("[Succeeded: 1, Failed: 0, Total: 1]")
    assert api.sim.state.policies[some_id]["policy_group_ids"] == []
    r = api.client.request("DELETE", "/integration/v1/business_policies/", json={"ids": [some_id]})
    assert r.status_code == 204 and r.content == b""
    assert some_id not in api.sim.state.policies


# -- custom fields and values -----------------------------------------------------------------


def test_custom_fields_result_is_list_of_json_strings(api: Api) -> None:
    result = api.run(
        "POST",
        "/integration/v2/custom_field/",
        json=[{"field_type": "PICKER", "name_singular": "Status", "options": ["Draft", "Approved"]}],
    )
    assert all(isinstance(line, str) for line in result)
    decoded = [json.loads(line) for line in result]
    assert decoded[0] == {"msg": "Starting bulk creation of Custom Fields...", "data": {}}
    (field_id,) = decoded[-1]["data"]["field_ids"]
    assert api.sim.state.custom_fields[field_id]["options"] == ["Draft", "Approved"]
    error = api.submit(
        "POST",
        "/integration/v2/custom_field/",
        400,
        json=[{"field_type": "PICKER", "name_singular": "X", "options": "Draft"}],
    )
    assert error == [{"options": ['Expected a list of items but got type "str".']}]


def test_custom_field_values_classic_result_counts(api: Api) -> None:
    api.sim.state.add_table("1.sales.orders", id=7)
    values = [{"field_id": 3, "otype": "table", "oid": 7, "value": "Orders"}]
    first = api.run("PUT", "/integration/v2/custom_field_value/async/", json=values)
    assert first == [
        "Start bulk upsert public annotation field values...",
        "Finished bulk upsert public annotation field values. Updated objects: 0, created objects: 1",
    ]
    second = api.run("PUT", "/integration/v2/custom_field_value/async/", json=values)
    assert second[-1].endswith("Updated objects: 1, created objects: 0")
    assert api.sim.state.custom_field_values[("table", "7", 3)] == "Orders"
    error = api.submit(
        "PUT",
        "/integration/v2/custom_field_value/async/",
        400,
        json=[{"field_id": 99999, "otype": "table", "oid": 1, "value": "x"}],
    )
    assert set(error) == {"title", "detail", "errors", "code"} and error["code"] == "400000"
    assert "99999" in error["errors"][0]["non_field_errors"][0]


def test_custom_field_values_for_missing_objects_and_unsupported_fields_are_refused(api: Api) -> None:
    """Refused at submit with Alation's documented 400 (no job), naming the first problem of each item."""
    api.sim.state.add_table("1.sales.orders", id=7)
    values = [
        {"field_id": 3, "otype": "table", "oid": 7, "value": "fine"},
        {"field_id": 3, "otype": "table", "oid": 8, "value": "no such table"},
        {"field_id": 4, "otype": "data", "oid": 1, "value": "<p>data sources have no description</p>"},
        {"field_id": 3, "otype": "table", "oid": "1.sales.orders", "value": "by key"},
        {"field_id": 3, "otype": "groupprofile", "oid": 5, "value": "not modelled: accepted"},
    ]
    error = api.submit("PUT", "/integration/v2/custom_field_value/async/", 400, json=values)
    assert error["title"] == "Invalid Payload" and error["code"] == "400000" and error["detail"]
    assert error["errors"][0]["non_field_errors"] == [
        "Item 1: table object with id 8 does not exist.",
        "No support for updating `description` field for `data`.",
    ]
    assert api.sim.jobs.by_id == {} and api.sim.state.custom_field_values == {}


def test_custom_field_values_limit_is_10000(api: Api) -> None:
    values = [{"field_id": 3, "otype": "table", "oid": i, "value": "t"} for i in range(10001)]
    assert (
        "10000" in api.submit("PUT", "/integration/v2/custom_field_value/async/", 400, json=values)["detail"]
    )


def test_custom_field_values_cloud_native_names_a_pollable_legacy_job() -> None:
    sim = Simulator(token=TOKEN, cfv_legacy_job=True)
    with httpx.Client(
        transport=sim.transport(), base_url="http://alation.test", headers={"TOKEN": TOKEN}
    ) as client:
        api = Api(client, sim)
        sim.state.add_table("1.sales.orders", id=1)
        result = api.run(
            "PUT",
            "/integration/v2/custom_field_value/async/",
            json=[{"field_id": 4, "otype": "table", "oid": 1, "value": "<p>x</p>"}],
        )
        assert len(result) == 3
        legacy_ids = {int(line.rsplit(": ", 1)[1]) for line in result}
        assert all(
            "Legacy(Rosemeta) write job_id (can be tracked using jobs API): " in line for line in result
        )
        (legacy,) = legacy_ids
        assert api.job(id=legacy)["result"][-1].endswith("Updated objects: 0, created objects: 1")


# -- RDBMS ------------------------------------------------------------------------------------


def test_rdbms_schema_table_column_mapping_ids(api: Api) -> None:
    schemas = api.run("POST", "/integration/v2/schema/?ds_id=1", json=[{"key": "1.sales"}, {"key": "1.hr"}])
    assert schemas[0]["response"] == "Upserted 2 schema objects." and schemas[0]["errors"] == []
    assert [m["key"] for m in schemas[0]["mapping"]] == ["1.sales", "1.hr"]
    tables = api.run(
        "POST", "/integration/v2/table/?ds_id=1", json=[{"key": "1.sales.orders"}, {"key": "1.nope.t"}]
    )
    assert tables[0]["response"] == "Upserted 1 table objects."
    assert tables[0]["errors"][0]["key"] == "1.nope.t"
    columns = api.run(
        "POST", "/integration/v2/column/?ds_id=1", json=[{"key": "1.sales.orders.id", "column_type": "int"}]
    )
    column_id = columns[0]["mapping"][0]["id"]
    assert columns[0]["response"] == "Upserted 1 attribute objects."
    assert api.sim.state.columns["1.sales.orders.id"]["id"] == column_id
    patched = api.run("PATCH", "/integration/v2/schema/?ds_id=1", json=[{"key": "1.sales", "title": "Sales"}])
    assert patched[0]["response"] == "Updated 1 schema objects."
    assert (
        api.run("PATCH", "/integration/v2/table/?ds_id=1", json=[{"key": "1.sales.orders", "title": "T"}])[0][
            "response"
        ]
        == "Updated 1 table objects."
    )
    assert (
        api.run("PATCH", "/integration/v2/column/?ds_id=1", json=[{"id": column_id, "title": "Id"}])[0][
            "response"
        ]
        == "Updated 1 attribute objects."
    )
    children = api.run(
        "PATCH", f"/integration/v2/column/{column_id}/children/?ds_id=1", json=[{"key": "address.city"}]
    )
    assert children[0]["response"] == "Updated 1 child column objects."
    roots = api.run(
        "PATCH",
        "/integration/v2/column/children/?ds_id=1",
        json=[{"parent_key": "1.sales.orders.id", "key": "address"}],
    )
    assert roots[0]["response"] == "Updated 1 root child column groups."


def test_rdbms_errors(api: Api) -> None:
    error = api.submit("POST", "/integration/v2/schema/?ds_id=1", 400, json=[{"title": "no key"}])
    assert error == {
        "detail": "Incorrect input data. Please fix the errors and post the data.",
        "errors": [{"key": ["400068: API Key is a required input"]}],
        "code": "400010",
    }
    assert api.submit("POST", "/integration/v2/schema/?ds_id=0", 404, json=[{"key": "0.s"}]) == {
        "detail": "Data source with id 0 does not exist",
        "code": "404000",
    }
    assert api.submit("PATCH", "/integration/v2/column/0/children/?ds_id=1", 404, json=[{"key": "a"}]) == {
        "detail": "Column with id 0 does not exist",
        "code": "404000",
    }


# -- virtual data source / file system, QLI ---------------------------------------------------


def test_virtual_data_source_job_name_and_json_string_result(api: Api) -> None:
    lines = [
        {"key": "1.sales"},
        {"key": "1.sales.orders", "table_type": "TABLE"},
        {"key": "1.sales.orders.id", "column_type": "int"},
        {"key": "2.other.t", "table_type": "TABLE"},
    ]
    body = "\n".join(json.dumps(line) for line in lines)
    r = api.client.post("/api/v1/bulk_metadata/extraction/1", content=body, headers=JSONL)
    assert r.status_code == 200, r.text
    name = r.json()["job_name"]
    assert set(r.json()) == {"job_name"} and name.startswith("MetadataExtraction#1_")
    job = api.job(name=name)  # httpx encodes '#' as %23; the server decodes it
    assert isinstance(job["result"], str)
    result = json.loads(job["result"])
    assert result["number_received"] == 4 and result["updated_objects"] == 3
    assert len(result["error_objects"]) == 1 and "2.other.t" in result["error_objects"][0]
    assert result["error"] == "1 errors were ignored"
    assert "1.sales.orders.id" in api.sim.state.columns
    assert api.client.get(f"{JOB}?name={name.replace('#', '%23')}").json()["result"] == job["result"]
    assert (
        api.client.post("/api/v1/bulk_metadata/extraction/1/", content=body, headers=JSONL).status_code == 404
    )  # no trailing slash
    unknown = api.client.post("/api/v1/bulk_metadata/extraction/77", content=body, headers=JSONL)
    assert (unknown.status_code, unknown.json()) == (400, {"error": "Cannot find Datasource"})


def test_virtual_file_system(api: Api) -> None:
    lines = "\n" + "\n".join(
        json.dumps({"path": "/data", "name": n, "is_directory": n == "d"}) for n in ("d", "a.csv", "b.csv")
    )
    handle = api.submit("POST", "/api/v1/bulk_metadata/file_upload/1/", 200, content=lines, headers=JSONL)
    job_id = handle["job"]["id"]
    assert handle == {
        "job": {"id": job_id, "url": f"/api/job/{job_id}/", "errors_url": f"/api/job_error/?job_id={job_id}"}
    }
    assert api.job(id=job_id)["result"] == ["Uploaded 3 directories and files."]
    assert sorted(api.sim.state.files[1]) == ["/data/a.csv", "/data/b.csv", "/data/d"]
    no_slash = api.submit("POST", "/api/v1/bulk_metadata/file_upload/1", 200, content="\n", headers=JSONL)
    assert api.job(id=no_slash["job"]["id"])["result"] == ["Uploaded 0 directories and files."]
    assert api.submit("POST", "/api/v1/bulk_metadata/file_upload/0/", 400, content=lines, headers=JSONL) == {
        "error": "Cannot find FileSystem id: 0"
    }


def test_query_log_ingestion_plain_string_result(api: Api) -> None:
    event = {
        "userName": "u",
        "sessionId": "s1",
        "text": "select 1",
        "startTime": "2024-01-01 00:00:00.000",
        "defaultDatabases": "sales",
    }
    result = api.run(
        "POST", "/api/v1/bulk_metadata/query_log_ingestion/1/", content=json.dumps(event), headers=JSONL
    )
    assert (
        result
        == "Bulk Query Ingestion Succeeded: 1 new events ingested, 0 previously-ingested events skipped."
    )
    again = api.run(
        "POST", "/api/v1/bulk_metadata/query_log_ingestion/1/", content=json.dumps(event), headers=JSONL
    )
    assert (
        again
        == "Bulk Query Ingestion Succeeded: 0 new events ingested, 1 previously-ingested events skipped."
    )


# -- data quality -----------------------------------------------------------------------------


def test_data_quality_fields_values_and_deletes(api: Api) -> None:
    api.run("POST", "/integration/v2/schema/?ds_id=1", json=[{"key": "1.s"}])
    api.run("POST", "/integration/v2/table/?ds_id=1", json=[{"key": "1.s.t"}])
    # The spec allows fields or values per request (oneOf, no extra properties), not both at once.
    fields = {"fields": [{"field_key": "rows", "name": "Row count", "type": "NUMERIC"}]}
    values = {
        "values": [
            {
                "field_key": "rows",
                "object_key": "1.s.t",
                "object_type": "TABLE",
                "status": "GOOD",
                "value": 10,
            },
            {
                "field_key": "rows",
                "object_key": "1.s.missing",
                "object_type": "TABLE",
                "status": "ALERT",
                "value": 0,
            },
        ],
    }
    handle = api.submit("POST", "/integration/v1/data_quality/", json=fields)
    assert handle == {"job_id": handle["job_id"], "href": f"/api/v1/bulk_metadata/job/?id={handle['job_id']}"}
    assert api.job(id=handle["job_id"])["result"]["fields"]["created"] == {
        "count": 1,
        "sample": [{"field_key": "rows"}],
    }
    result = api.job(id=api.submit("POST", "/integration/v1/data_quality/", json=values)["job_id"])["result"]
    assert result["values"]["created"]["count"] == 2
    attribution = result["created_object_attribution"]
    assert (attribution["success_count"], attribution["failure_count"]) == (1, 1)
    assert attribution["failure_sample"] == [{"field_key": "rows", "object_key": "1.s.missing"}]
    assert result["flag_counts"] == {"GOOD": 1, "WARNING": 0, "ALERT": 1}
    assert isinstance(result["total_duration"], float)
    again_fields = api.job(id=api.submit("POST", "/integration/v1/data_quality/", json=fields)["job_id"])[
        "result"
    ]
    again = api.job(id=api.submit("POST", "/integration/v1/data_quality/", json=values)["job_id"])["result"]
    assert again_fields["fields"]["updated"]["count"] == 1 and again["values"]["updated"]["count"] == 2
    deleted = api.job(
        id=api.submit("DELETE", "/integration/v1/data_quality/", json={"fields": ["rows", "nope"]})["job_id"]
    )["result"]
    assert deleted["fields"]["deleted"]["count"] == 1 and deleted["fields"]["not_found"]["sample"] == [
        {"field_key": "nope"}
    ]
    assert deleted["values"]["deleted"]["count"] == 2 and set(deleted) == {
        "fields",
        "values",
        "total_duration",
    }
    assert api.submit(
        "POST", "/integration/v1/data_quality/", 400, json={"fields": [{"name": "x", "type": "STRING"}]}
    ) == {"Entry": 1, "Message": "field_key is required"}
    assert api.submit("DELETE", "/integration/v1/data_quality/", 400, json={}) == {
        "Entry": -1,
        "Message": 'A "values" or "fields" property must be specified',
    }


# -- lineage ----------------------------------------------------------------------------------


def test_dataflows_post_patch_delete(api: Api) -> None:
    path = [
        [{"otype": "table", "key": "1.s.a"}],
        [{"otype": "dataflow", "key": "api/etl"}],
        [{"otype": "table", "key": "1.s.b"}],
    ]
    body = {"dataflow_objects": [{"external_id": "api/etl", "content": "insert ..."}], "paths": [path]}
    result = api.run("POST", "/integration/v2/dataflow/", json=body)
    (entry,) = result
    df_id = entry["mapping"][0]["id"]
    assert entry["mapping"] == [{"id": df_id, "external_id": "api/etl", "replaced": "false"}]
    assert api.run("POST", "/integration/v2/dataflow/", json=body)[0]["mapping"][0]["replaced"] == "true"
    patched = api.run("PATCH", "/integration/v2/dataflow/", json=[{"id": df_id, "title": "ETL"}])
    assert patched[0]["response"] == "Updated 1 dataflow objects."
    deleted = api.run("DELETE", "/integration/v2/dataflow/?keyField=external_id", json=["api/etl", "unknown"])
    assert deleted == [
        {
            "response": "Deleted 1 dataflow objects.",
            "mapping": [{"id": df_id, "external_id": "api/etl", "impacted_dfos": []}],
            "failed": ["unknown"],
        }
    ]
    bad = {
        "dataflow_objects": [],
        "paths": [[[{"otype": "dataflow", "key": "x"}], [{"otype": "table", "key": "1.s.b"}]]],
    }
    assert api.submit("POST", "/integration/v2/dataflow/", 400, json=bad)["code"] == "400000"
    assert isinstance(api.run("POST", "/integration/v2/lineage/", json=body), list)


# -- BI ---------------------------------------------------------------------------------------


def test_bi_server_sync_and_folder_report_column_jobs(api: Api) -> None:
    server = api.submit("POST", "/integration/v2/bi/server/", 200, json=[{"uri": "http://bi", "title": "BI"}])
    (server_id,) = server["Server IDs"]
    assert server == {
        "Status": "Success: Created 1 servers.",
        "Count": 1,
        "Server IDs": [server_id],
        "Errors": [None],
    }
    base = f"/integration/v2/bi/server/{server_id}"
    folder = {
        "name": "F",
        "external_id": "f1",
        "source_url": "http://bi/f1",
        "bi_object_type": "Folder",
        "description_at_source": None,
        "owner": "me",
    }
    result = api.run("POST", f"{base}/folder/", json=[folder])
    assert result[0] == "1 BIFolder object(s) received, 1 new object(s) created"
    assert result[1].startswith("BI_V2_API_SYNCING took ") and result[1].endswith("s")
    report = {**folder, "external_id": "r1", "report_type": "Dashboard"}
    api.run("POST", f"{base}/report/", json=[report])
    assert (
        api.run("POST", f"{base}/report/", json=[report])[0]
        == "1 BIReport object(s) received, 1 existing object(s) updated"
    )
    column = {**folder, "external_id": "c1", "report": "r1"}
    assert api.run("POST", f"{base}/report/column/", json=[column])[0].startswith(
        "1 BIReportColumn object(s) received"
    )
    assert (server_id, "c1") in api.sim.state.bi_columns
    error = api.submit("POST", "/integration/v2/bi/server/", 400, json=[{"title": "no uri"}])
    assert error["detail"] == "Unable to create BI servers" and error["code"] == "400002"


# -- domains, users, data dictionary ---------------------------------------------------------


def test_domain_membership_sync_under_limit_async_at_limit() -> None:
    sim = Simulator(token=TOKEN, domain_sync_limit=3)
    with httpx.Client(
        transport=sim.transport(), base_url="http://alation.test", headers={"TOKEN": TOKEN}
    ) as client:
        api = Api(client, sim)
        echo = api.submit(
            "POST",
            "/integration/v2/domain/membership/",
            201,
            json={"id": 1, "oid": [21, 23], "otype": "glossary_v3"},
        )
        assert echo == {"exclude": False, "id": 1, "oid": [21, 23], "otype": "glossary_v3"}
        assert (
            api.run(
                "POST",
                "/integration/v2/domain/membership/",
                json={"id": 1, "oid": [1, 2, 3], "otype": "table"},
            )
            is None
        )
        assert len(sim.state.domain_members[1]) == 5
        deleted = api.submit("DELETE", "/integration/v2/domain/", 200, json={"id": [1]})
        assert deleted == {"deleted_domain_count": 1, "deleted_domain_ids": [1]}
        gone = api.submit(
            "POST", "/integration/v2/domain/membership/", 400, json={"id": 1, "oid": [1], "otype": "table"}
        )
        assert gone["code"] == "400000" and "The domain has been deleted." in gone["detail"]


def test_remove_duplicate_users_multipart(api: Api) -> None:
    api.sim.state.add_user("jdoe", "j@x.com")
    api.sim.state.add_user("JDoe2", "J@x.com")
    csv_text = api.client.get("/integration/v1/generate_dup_users_accts_csv_file/").text
    assert csv_text.splitlines()[0] == "SN,Username,email,Action,Group"
    r = api.client.post(
        "/integration/v1/remove_dup_users_accts/", files={"csv_file": ("dups.csv", csv_text, "text/plain")}
    )
    assert r.status_code == 200
    assert r.json() == {"Success": "Total number of users got updated with temp username and suspended: 1"}
    assert sum(u["suspended"] for u in api.sim.state.users.values()) == 1


def test_data_dictionary_upload_task(api: Api) -> None:
    api.run("POST", "/integration/v2/schema/?ds_id=1", json=[{"key": "1.s"}])
    csv_text = "key,title\n1.s,Sales\n1.unknown,X\n"
    r = api.client.put(
        "/integration/v1/data_dictionary/data/1/upload/",
        files={"file": ("data_dictionary.csv", csv_text, "text/csv")},
        data={"overwrite_values": "true"},
    )
    assert r.status_code == 202, r.text
    task = r.json()["task"]
    assert task["type"] == "COMMIT_TO_CATALOG" and task["state"] == "QUEUED" and len(task["id"]) == 36
    status = api.client.get(f"/integration/v1/data_dictionary/tasks/{task['id']}").json()
    assert status["state"] == "COMPLETED" and status["status"] == "PARTIALLY_SUCCEEDED"
    assert status["result"] == {"records": {"total": 2, "succeeded": 1, "failed": 1}}
    errors = api.client.get(f"/integration/v1/data_dictionary/tasks/{task['id']}/errors/").json()
    assert errors[0]["details"]["items"]["range"]["start"] == {"index": 1, "key": "1.unknown"}


# -- job status endpoint ----------------------------------------------------------------------


def test_job_status_errors(api: Api) -> None:
    r = api.client.get(JOB, params={"id": 424242})
    assert r.status_code == 404 and r.json()["code"] == "404000"
    assert api.client.get(JOB).status_code == 400
    assert api.client.get(JOB, params={"id": 1, "name": "x"}).status_code == 400


def test_the_finished_message_reports_the_jobs_own_run_time_not_the_poll_lag() -> None:
    now = [0.0]
    sim = Simulator(token=TOKEN, job_duration=2.0, clock=lambda: now[0])
    with httpx.Client(
        transport=sim.transport(), base_url="http://alation.test", headers={"TOKEN": TOKEN}
    ) as client:
        job_id = client.post("/integration/v2/document/", json=[{"title": "T", "document_hub_id": 1}]).json()[
            "job_id"
        ]
        submitted = sim.jobs.by_id[job_id].submitted_at
        now[0] = 3600.0  # first poll an hour later
        msg = client.get(JOB, params={"id": job_id}).json()["msg"]
    took = float(msg.split(" seconds at ")[0].removeprefix("Job finished in "))
    assert 2.0 <= took < 3.0, msg
    finished = datetime.fromisoformat(msg.split(" seconds at ")[1])
    assert timedelta(seconds=2) <= finished - submitted < timedelta(seconds=3), msg


def test_running_until_duration_elapsed() -> None:
    now = [0.0]
    sim = Simulator(token=TOKEN, job_duration=5.0, clock=lambda: now[0])
    with httpx.Client(
        transport=sim.transport(), base_url="http://alation.test", headers={"TOKEN": TOKEN}
    ) as client:
        job_id = client.post("/integration/v2/document/", json=[{"title": "T", "document_hub_id": 1}]).json()[
            "job_id"
        ]
        running = client.get(JOB, params={"id": job_id}).json()
        assert running == {"status": "running", "msg": "", "result": None}
        assert sim.state.documents == {}  # the job's work happens when it finishes
        now[0] = 5.0
        done = client.get(JOB, params={"id": job_id}).json()
        assert done["status"] == "successful" and done["msg"].startswith("Job finished in 5.0")
        sim.set_job_duration(0.0, "createDocuments")
        quick = client.post("/integration/v2/document/", json=[{"title": "Q", "document_hub_id": 1}]).json()[
            "job_id"
        ]
        assert client.get(JOB, params={"id": quick}).json()["status"] == "successful"
        with pytest.raises(ValueError, match="unknown operation id"):
            sim.set_job_duration(1.0, "noSuchOperation")
