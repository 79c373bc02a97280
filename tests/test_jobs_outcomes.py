"""Partial-failure helpers on the result shapes of catalog §1.1/§3 (raw and typed)."""

from __future__ import annotations

import json

import pydantic

from alation_workflows import models
from alation_workflows.jobs import (
    BatchCounts,
    DataQualityShortfall,
    batch_counts,
    data_quality_shortfall,
    error_count,
    error_objects,
    followup_job_ids,
    partial_failures,
)

BP_OK = [
    "Successfully processed 2 items (index range: [0, 1])",
    "All total 1 batches with a limit of 250 items attempted. [Succeeded: 2, Failed: 0, Total: 2]",
]
BP_PARTIAL = [
    "Successfully processed 248 items (index range: [0, 249])",
    "All total 1 batches with a limit of 250 items attempted. [Succeeded: 248, Failed: 2, Total: 250]",
]
VDS = json.dumps(
    {
        "number_received": 4,
        "updated_objects": 3,
        "error_objects": ["line 2: bad key"],
        "error": "1 errors were ignored",
    }
)
VDS_OK = json.dumps({"number_received": 4, "updated_objects": 4, "error_objects": [], "error": None})
DQ_VALUES = {
    "fields": {"created": {"count": 0, "sample": []}, "updated": {"count": 0, "sample": []}},
    "values": {"created": {"count": 0, "sample": []}, "updated": {"count": 0, "sample": []}},
    "created_object_attribution": {
        "success_count": 0,
        "failure_count": 1,
        "success_sample": [],
        "failure_sample": [{"field_key": "dq.rows", "object_key": "1.nope"}],
    },
    "flag_counts": {"GOOD": 0, "WARNING": 0, "ALERT": 0},
    "total_duration": 0.1,
}
DQ_DELETE = {
    "fields": {
        "deleted": {"count": 0, "sample": []},
        "not_found": {"count": 2, "sample": [{"field_key": "x"}]},
    },
    "values": {"deleted": {"count": 0, "sample": []}, "not_found": {"count": 0, "sample": []}},
    "total_duration": 0.01,
}
CFV_CLASSIC = [
    "Start bulk upsert public annotation field values...",
    "Error count: 3. Errors: ['a', 'b', 'c']",
    "Finished bulk upsert public annotation field values. Updated objects: 1, created objects: 0",
]
RDBMS = [{"response": "Upserted 2 schema objects.", "mapping": [{"id": 17, "key": "9.sales"}], "errors": []}]
RDBMS_BAD = [{"response": "Upserted 1 schema objects.", "mapping": [], "errors": ["9.x: bad"]}]


def job(result: object, status: str = "successful") -> dict[str, object]:
    return {"status": status, "msg": "Job finished", "result": result}


def test_business_policy_counts() -> None:
    assert batch_counts(BP_OK) == BatchCounts(2, 0, 2)
    assert batch_counts(job(BP_PARTIAL)) == BatchCounts(248, 2, 250)
    assert partial_failures(BP_OK) == []
    assert partial_failures(job(BP_PARTIAL)) == ["2 of 250 item(s) failed"]
    assert batch_counts(["no counts here"]) is None


def test_virtual_data_source_error_objects_in_a_json_string() -> None:
    assert error_objects(job(VDS)) == ["line 2: bad key"]
    assert error_objects(VDS_OK) == []
    assert error_objects(BP_OK) is None
    problems = partial_failures(job(VDS))
    assert any("line 2: bad key" in p for p in problems)
    assert any("1 errors were ignored" in p for p in problems)
    assert partial_failures(VDS_OK) == []


def test_data_quality_shortfalls() -> None:
    dq = data_quality_shortfall(job(DQ_VALUES))
    assert dq == DataQualityShortfall(0, 0, 1, [{"field_key": "dq.rows", "object_key": "1.nope"}])
    assert dq is not None and dq.total == 1
    assert data_quality_shortfall(DQ_DELETE) == DataQualityShortfall(fields_not_found=2)
    assert partial_failures(DQ_DELETE) == ["2 data quality field(s) not found"]
    assert data_quality_shortfall({"created_term_count": 1, "created_terms": []}) is None


def test_custom_field_value_error_count_and_followups() -> None:
    assert error_count(CFV_CLASSIC) == 3
    assert partial_failures(job(CFV_CLASSIC)) == ["3 custom field value error(s)"]
    assert error_count(["Error count: 0. Errors: []"]) == 0
    assert error_count(BP_OK) is None
    lines = [
        f"step {i} Legacy(Rosemeta) write job_id (can be tracked using jobs API): 7637" for i in range(3)
    ]
    assert followup_job_ids(job(lines)) == [7637]
    assert followup_job_ids(lines + ["other (can be tracked using jobs API): 12"]) == [7637, 12]
    assert followup_job_ids(["tracked using jobs API: 5 and more text"]) == []
    assert followup_job_ids(job(None)) == [] and followup_job_ids(DQ_VALUES) == []


def test_list_of_objects_with_errors() -> None:
    assert partial_failures(RDBMS) == []
    assert partial_failures(job(RDBMS_BAD)) == ["1 errors: ['9.x: bad']"]
    assert partial_failures([{"response": "deleted", "failed": [3]}]) == ["1 failed: [3]"]


def test_typed_models_are_read_by_attribute() -> None:
    done = models.JobDetailsDocumentPost.model_validate(
        job({"created_term_count": 1, "created_terms": [{"id": 1, "title": "t"}]})
    )
    assert partial_failures(done) == []
    generic = models.JobDetails.model_validate(job(BP_PARTIAL))
    assert batch_counts(generic) == BatchCounts(248, 2, 250)

    class Stats(pydantic.BaseModel):
        count: int

    class Part(pydantic.BaseModel):
        not_found: Stats

    class DqDelete(pydantic.BaseModel):  # stands in for a generated data-quality result model
        fields: Part
        values: Part

    typed = DqDelete(fields=Part(not_found=Stats(count=0)), values=Part(not_found=Stats(count=4)))
    assert data_quality_shortfall(typed) == DataQualityShortfall(values_not_found=4)
