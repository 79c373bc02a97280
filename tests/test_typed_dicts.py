"""Request bodies as plain dicts: every request model has a TypedDict twin the operations accept."""

from __future__ import annotations

import json
import textwrap
from typing import Any, is_typeddict

import httpx
import pytest

from alation_workflows import Workflows, models
from alation_workflows._runtime.model import RequestModel
from alation_workflows.testing import Simulator
from tests.typecheck import mypy_strict

TWINS = sorted(n for n in models.__all__ if n.endswith("TypedDict"))


def test_every_request_model_has_a_twin() -> None:
    request_models = {
        n for n in models.__all__ if isinstance(m := getattr(models, n), type) and issubclass(m, RequestModel)
    }
    assert request_models, "no request models found"
    missing = {n for n in request_models if f"{n}TypedDict" not in TWINS}
    assert not missing, f"request models without a TypedDict twin: {sorted(missing)}"


@pytest.mark.parametrize("name", TWINS)
def test_twin_keys_match_the_model_fields(name: str) -> None:
    twin: Any = getattr(models, name)
    model = getattr(models, name.removesuffix("TypedDict"))
    assert is_typeddict(twin)
    fields = model.model_fields
    assert set(twin.__required_keys__) == {k for k, f in fields.items() if f.is_required()}
    assert set(twin.__optional_keys__) == {k for k, f in fields.items() if not f.is_required()}


def test_dict_bodies_are_sent_with_wire_names() -> None:
    sim = Simulator(token="t")
    http = httpx.Client(transport=sim.transport(), base_url="http://localhost")
    with Workflows(server_url="http://localhost", token="t", client=http) as wf:
        entry: models.QueryLogEntryTypedDict = {
            "text": "SELECT 1",
            "user_name": "ana",
            "session_id": "s1",
            "default_databases": "sales",
            "start_time": "2026-11-27 10:00:00.000",
        }
        wf.query_logs.push_query_logs(ds_id=1, request=[entry]).wait(timeout=10)
        wf.documents.create_documents(
            request=[
                {"title": "KPI", "document_hub_id": 1},
                models.DocumentIn(title="Mixed", document_hub_id=1),
            ]
        ).wait(timeout=10)
    sent = [r for r in sim.requests if r.operation == "pushQueryLogs"][0]
    line = json.loads(sent.body.decode().splitlines()[0])
    assert line["userName"] == "ana" and "user_name" not in line
    assert sorted(d["title"] for d in sim.state.documents.values()) == ["KPI", "Mixed"]


PROBE = textwrap.dedent(
    """
    from alation_workflows import Workflows, models


    def ok(wf: Workflows) -> None:
        wf.documents.create_documents(request=[{"title": "KPI", "document_hub_id": 1}])
        wf.data_quality.post_data_quality_values(
            request={
                "values": [
                    {"field_key": "k", "object_key": "1.s.t", "object_type": "TABLE", "status": "GOOD", "value": 0.1}
                ]
            }
        )


    def misspelled_key(wf: Workflows) -> None:
        wf.documents.create_documents(request=[{"titel": "KPI", "document_hub_id": 1}])


    def wrong_value_type(wf: Workflows) -> None:
        wf.documents.create_documents(request=[{"title": "KPI", "document_hub_id": "one"}])


    def missing_required(wf: Workflows) -> None:
        wf.documents.create_documents(request=[{"title": "KPI"}])
    """
)


def test_mypy_checks_dict_bodies() -> None:
    errors = mypy_strict({"typed_dict_probe": PROBE})["typed_dict_probe"]
    # Each error is attributed to the function it is in: only the three wrong ones may be flagged.
    func_at: dict[int, str] = {}
    func = ""
    for number, line in enumerate(PROBE.splitlines(), 1):
        func = line[4:].split("(")[0] if line.startswith("def ") else func
        func_at[number] = func
    flagged = {func_at[int(e.split(":")[0])] for e in errors}
    assert flagged == {"misspelled_key", "wrong_value_type", "missing_required"}, "\n".join(errors)
