"""Error messages name the first failing item, its first message and how many more failed."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from alation_workflows import ProblemDetailsError, Workflows, models
from alation_workflows._runtime.rejection import summary


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {
                "job_id": None,
                "invalid_documents": [
                    {"index": 3, "errors": [{"title": ["This field is required."]}]},
                    {"index": 5, "errors": [{"template_id": ["Invalid pk."]}]},
                    {"index": 9, "errors": ["bad"]},
                ],
            },
            "document 3: title: This field is required. (and 2 more invalid documents)",
        ),
        (
            {
                "invalid_terms": [
                    {"index": 0, "errors": [{"glossary_ids": ["Missing."], "title": ["Too long."]}]}
                ]
            },
            "term 0: glossary_ids: Missing. (and 1 more message)",
        ),
        ({"detail": [{}, {"key": ["Unknown key."]}, {}], "code": "400000"}, "item 1: key: Unknown key."),
        ({"detail": {"file": ["No file was submitted."]}, "code": "400000"}, "file: No file was submitted."),
        (
            {
                "detail": "Incorrect input data. Please fix the errors and post the data.",
                "errors": [{}, {"key": ["400068: API Key is a required input"]}, {"title": ["x"]}],
                "code": "400010",
            },
            "Incorrect input data. Please fix the errors and post the data.: item 1: key: 400068: API Key is a "
            "required input (and 1 more invalid item)",
        ),
        (
            {
                "title": "Invalid Payload",
                "detail": "Please check the API documentation for more details on the spec.",
                "errors": [{"non_field_errors": ["No support for updating `description` field for `data`."]}],
                "code": "400000",
            },
            "Invalid Payload: Please check the API documentation for more details on the spec.: "
            "No support for updating `description` field for `data`.",
        ),
        (
            [{}, {}, {"name_singular": ["This field is required."]}],
            "item 2: name_singular: This field is required.",
        ),
        ({"Entry": 4, "Message": "field_key is required"}, "item 4: field_key is required"),
        (
            {"error": "invalid_client", "error_description": "Invalid client credentials."},
            "invalid_client: Invalid client credentials.",
        ),
        ({"detail": "Authentication failed"}, "Authentication failed"),
        ({"unexpected": 1}, "request rejected"),
    ],
)
def test_summary_of_each_rejection_shape(body: Any, expected: str) -> None:
    assert summary(body) == expected


def test_the_error_message_summarises_and_the_body_is_kept_whole() -> None:
    errors = [{"index": i, "errors": [{"title": [f"Problem {i} " + "x" * 200]}]} for i in range(300)]
    body = {"job_id": None, "invalid_documents": errors}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json=body)

    with Workflows(
        server_url="https://a.test", token="t", client=httpx.Client(transport=httpx.MockTransport(handler))
    ) as wf:
        with pytest.raises(ProblemDetailsError) as caught:
            wf.documents.create_documents(request=[models.DocumentIn(title="t", document_hub_id=1)])
    err = caught.value
    assert "createDocuments: document 0: title: Problem 0" in str(err)
    assert "(and 299 more invalid documents)" in str(err)
    assert json.loads(err.body) == body  # nothing cut
    assert len(err.data.invalid_documents) == 300
