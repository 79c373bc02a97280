"""Data dictionary uploads against the simulator: a UUID task polled through its own status API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from alation_workflows import PollConfig, Workflows, models
from alation_workflows.jobs import JobHandle
from alation_workflows.testing.pytest_plugin import ServedSimulator

QUICK = PollConfig(initial_interval=0.01, multiplier=1.2, max_interval=0.02, timeout=10.0, jitter=0.0)


@pytest.fixture
def wf(alation_server: ServedSimulator) -> Iterator[Workflows]:
    with Workflows(
        server_url=alation_server.url, token=alation_server.token, timeout_ms=5000, poll_config=QUICK
    ) as client:
        yield client


def csv_rows(keys: list[str]) -> bytes:
    return ("key,title\n" + "".join(f"{k},Title of {k}\n" for k in keys)).encode()


def seed_tables(alation_server: ServedSimulator, n: int) -> list[str]:
    state = alation_server.sim.state
    state.add_datasource(id=9)
    keys = [f"9.sales.t{i}" for i in range(n)]
    for i, key in enumerate(keys):
        state.tables[key] = {"id": 1000 + i, "key": key, "ds_id": 9}
    return keys


def test_wait_returns_the_typed_task_with_progress_events(
    wf: Workflows, alation_server: ServedSimulator
) -> None:
    keys = seed_tables(alation_server, 250)  # three batches of 100 rows in the simulator
    alation_server.sim.set_job_duration(0.3)
    upload = models.DataDictionaryUpload(file=csv_rows(keys), overwrite_values=True)
    handle = wf.data_dictionary.upload_data_dictionary(
        request=upload, object_type=models.DataDictionaryObjectType.SCHEMA, object_id=17
    )
    assert isinstance(handle, JobHandle) and isinstance(handle.id, str) and len(handle.id) == 36
    events: list[Any] = []
    task = handle.wait(progress=events.append)
    assert isinstance(task, models.DataDictionaryTask)
    assert (task.state, task.status, handle.verdict) == ("COMPLETED", "SUCCEEDED", "successful")
    assert task.result is not None and task.result.records is not None
    assert task.result.records.total == 250
    polled = [e for e in events if e.kind == "polled"]
    assert polled and all(e.job_progress.total == 3 for e in polled)
    assert [e.job_progress.done for e in polled] == sorted(e.job_progress.done for e in polled)
    assert events[-1].kind == "finished" and events[-1].status == "COMPLETED/SUCCEEDED"
    assert handle.progress is not None and handle.progress.done == 3
    assert handle.errors() == []


def test_partially_succeeded_task_exposes_its_typed_error_list(
    wf: Workflows, alation_server: ServedSimulator
) -> None:
    keys = seed_tables(alation_server, 2)
    alation_server.sim.set_job_duration(0.05)
    upload = models.DataDictionaryUpload(
        file=csv_rows([keys[0], "9.sales.nope", keys[1]]), overwrite_values=False
    )
    handle = wf.data_dictionary.upload_data_dictionary(
        request=upload, object_type=models.DataDictionaryObjectType.TABLE, object_id=501
    )
    task = handle.wait()
    assert (task.status, handle.verdict, handle.done) == ("PARTIALLY_SUCCEEDED", "partially_successful", True)
    errors = handle.errors()
    assert [type(e) for e in errors] == [models.DataDictionaryTaskError]
    row = errors[0].details.items.range.start
    assert (row.index, row.key) == (1, "9.sales.nope")


def test_resume_by_task_id_finds_the_data_dictionary_contract(
    wf: Workflows, alation_server: ServedSimulator
) -> None:
    keys = seed_tables(alation_server, 1)
    alation_server.sim.set_job_duration(0.05)
    upload = models.DataDictionaryUpload(file=csv_rows(keys), overwrite_values=True, allow_reset=True)
    handle = wf.data_dictionary.upload_data_dictionary(
        request=upload, object_type=models.DataDictionaryObjectType.TABLE, object_id=501
    )
    state = handle.to_dict()
    assert state["job"] == {"task_id": handle.id} and state["operation"] == "uploadDataDictionary"
    again = JobHandle.resume(wf, state)
    assert isinstance(again.wait(), models.DataDictionaryTask)
    by_ref = JobHandle.resume(wf, {"job": {"task_id": handle.id}})
    # No operation stored: the status operation's own answer type, under the same contract.
    assert by_ref.polling is handle.polling and by_ref.wait().status == "SUCCEEDED"
