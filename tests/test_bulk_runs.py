"""Bulk runs on the simulator over loopback: validation first, dry runs, item-level isolation,
journaled resume, streaming readers, summary mode, argument checks and job error messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alation_workflows import PollConfig, Workflows, models
from alation_workflows._runtime.rejection import messages
from alation_workflows.errors import NoDetailsError
from alation_workflows.jobs import (
    InvalidItemsError,
    JobFailedError,
    JobTimeoutError,
    Journal,
    Unreadable,
    item_errors,
    read_csv,
    read_jsonl,
    submit_batches,
    submit_batches_async,
)
from alation_workflows.testing.pytest_plugin import ServedSimulator

QUICK = PollConfig(initial_interval=0.01, multiplier=1.5, max_interval=0.05, timeout=10.0, jitter=0.0)


def docs(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [{"title": f"doc {i}", "document_hub_id": 1} for i in range(start, start + n)]


@pytest.fixture
def wf(alation_server: ServedSimulator) -> Any:
    with Workflows(server_url=alation_server.url, token=alation_server.token, poll_config=QUICK) as client:
        yield client


def posts(server: ServedSimulator) -> list[Any]:
    return [json.loads(r.body) for r in server.sim.requests if r.method == "POST"]


# -- validation first --------------------------------------------------------------------------


def test_every_invalid_item_is_reported_before_anything_is_sent(
    wf: Workflows, alation_server: ServedSimulator
) -> None:
    items = docs(2500)
    items[3] = {"title": "no hub"}
    items[2499] = {"title": 7, "document_hub_id": "x"}
    with pytest.raises(InvalidItemsError) as caught:
        submit_batches(wf.documents.create_documents, iter(items), progress=None)
    assert [(f.index, f.stage) for f in caught.value.failures] == [(3, "validation"), (2499, "validation")]
    assert "document_hub_id" in caught.value.failures[0].messages[0]
    assert len(caught.value.failures[1].messages) == 2  # both fields named
    assert "item 2499" in str(caught.value) and "nothing was sent" in str(caught.value)
    assert posts(alation_server) == []


def test_skip_invalid_reports_them_and_sends_the_rest(wf: Workflows, alation_server: ServedSimulator) -> None:
    items = docs(12)
    items[5] = {"title": "no hub"}
    result = submit_batches(
        wf.documents.create_documents, items, batch_size=5, skip_invalid=True, progress=None
    )
    assert [f.index for f in result.failed_items] == [5]
    assert [list(o.indices) for o in result] == [[0, 1, 2, 3, 4], [6, 7, 8, 9, 10], [11]]
    assert result.exit_code == 1 and sum(len(o.ids) for o in result) == 11


def test_dry_run_validates_and_plans_without_sending(wf: Workflows, alation_server: ServedSimulator) -> None:
    result = submit_batches(wf.documents.create_documents, docs(2100), dry_run=True, progress=None)
    assert result.dry_run and [(o.start, o.stop, o.state) for o in result] == [
        (0, 1000, "planned"),
        (1000, 2000, "planned"),
        (2000, 2100, "planned"),
    ]
    assert result.summary()["items"] == 2100 and result.exit_code == 0
    with pytest.raises(NoDetailsError, match="dry run"):
        result[0].unwrap()
    assert posts(alation_server) == []


def test_parameters_are_checked_before_anything_is_sent(
    wf: Workflows, alation_server: ServedSimulator
) -> None:
    tables = [{"key": "1.s.t", "table_type": "TABLE"}]
    with pytest.raises(TypeError, match="ds_id"):
        submit_batches(wf.rdbms.create_tables, tables, progress=None)  # type: ignore[arg-type]  # missing
    with pytest.raises(TypeError, match="dsid"):
        submit_batches(wf.rdbms.create_tables, tables, dsid=1, progress=None)  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="ds_id"):
        submit_batches(wf.rdbms.create_tables, tables, ds_id="one", progress=None)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="request="):
        submit_batches(wf.documents.create_documents, docs(1), request=[], progress=None)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="iterable"):
        submit_batches(wf.documents.create_documents, "abc", progress=None)
    assert posts(alation_server) == []


# -- item-level isolation ----------------------------------------------------------------------


def test_a_rejected_batch_reports_its_bad_items_and_resubmits_the_rest(
    wf: Workflows, alation_server: ServedSimulator
) -> None:
    items = docs(25)
    items[7] = {"title": "bad hub", "document_hub_id": 999}  # valid shape, unknown to Alation
    items[12] = {"title": "bad template", "document_hub_id": 1, "template_id": 999}
    result = submit_batches(wf.documents.create_documents, items, batch_size=10, progress=None)
    assert [(f.index, f.stage, f.batch) for f in result.failed_items] == [
        (7, "rejected", 0),
        (12, "rejected", 1),
    ]
    assert "document_hub_id" in result.failed_items[0].messages[0]
    assert [o.state for o in result] == ["split", "split", "finished", "finished", "finished"]
    assert [len(o.indices) for o in result[3:]] == [9, 9]
    titles = sorted(str(d["title"]) for d in alation_server.sim.catalog.documents.values())
    assert titles == sorted(f"doc {i}" for i in range(25) if i not in (7, 12))
    assert result.exit_code == 1 and not result.ok
    assert [len(b) for b in posts(alation_server)] == [10, 9, 10, 9, 5]  # the rest goes at once


def test_resubmitting_the_valid_items_can_be_turned_off(
    wf: Workflows, alation_server: ServedSimulator
) -> None:
    items = docs(15)
    items[7] = {"title": "bad hub", "document_hub_id": 999}
    result = submit_batches(
        wf.documents.create_documents, items, batch_size=10, resubmit_valid=False, progress=None
    )
    assert [o.state for o in result] == ["rejected", "finished"]
    assert [f.index for f in result.failed_items] == list(range(10))  # the whole batch, each by its index
    assert all(f.stage == "batch" for f in result.failed_items)
    assert "HTTP 400" in result.failed_items[0].messages[0]
    assert len(alation_server.sim.catalog.documents) == 5


def test_rdbms_rejections_and_partial_failures_name_input_items(
    wf: Workflows, alation_server: ServedSimulator
) -> None:
    schemas = [{"key": "1.sales"}]
    assert submit_batches(wf.rdbms.create_schemas, schemas, ds_id=1, progress=None).exit_code == 0
    tables = [
        {"key": "1.sales.orders", "table_type": "TABLE"},
        {"key": "2.other.t", "table_type": "TABLE"},  # another data source's key: rejected
        {"key": "1.missing.t", "table_type": "TABLE"},  # valid key, parent schema unknown: partial failure
        {"key": "1.sales.items", "table_type": "TABLE"},
    ]
    result = submit_batches(wf.rdbms.create_tables, tables, ds_id=1, progress=None)
    failed = {f.index: f for f in result.failed_items}
    assert sorted(failed) == [1, 2]
    assert failed[1].stage == "rejected" and failed[2].stage == "result"
    assert "1.missing" in failed[2].messages[0]
    assert sorted(alation_server.sim.catalog.tables) == ["1.sales.items", "1.sales.orders"]


def test_item_errors_reads_every_per_item_shape() -> None:
    docs_body = {
        "job_id": None,
        "invalid_documents": [
            {"index": 2, "errors": [{"title": ["This field is required."]}], "document": {}}
        ],
    }
    assert item_errors(docs_body, 3) == [(2, ["title: This field is required."])]
    folders = {"job_id": None, "invalid_folders": [{"index": 0, "errors": [[{"field_id": ["Invalid pk"]}]]}]}
    assert item_errors(json.dumps(folders), 1) == [(0, ["field_id: Invalid pk"])]
    rdbms = {"detail": "Incorrect input data.", "errors": [{}, {"key": ["400068: bad"]}], "code": "400010"}
    assert item_errors(rdbms, 2) == [(1, ["key: 400068: bad"])]
    assert item_errors([{}, {"name_plural": ["required"]}, {}], 3) == [(1, ["name_plural: required"])]
    assert item_errors({"detail": "x", "errors": ["Item 1: {'title': ['bad']}"], "code": "400002"}, 2) == [
        (1, ["{'title': ['bad']}"])
    ]
    assert item_errors({"Entry": 4, "Message": "bad key"}, 5) == [(4, ["bad key"])]
    # Bodies that name no item, or name one outside the batch, are not trusted.
    assert item_errors({"Entry": -1, "Message": "values or fields"}, 5) is None
    assert item_errors({"detail": "Data source with id 0 does not exist", "code": "404000"}, 5) is None
    assert item_errors({"errors": [{"ds_id": ["bad"]}]}, 5) is None  # not one entry per item
    assert item_errors({"job_id": None, "invalid_terms": [{"index": 9, "errors": []}]}, 3) is None
    assert item_errors("not json", 1) is None
    assert messages([{"non_field_errors": ["Expected a dictionary"]}]) == ["Expected a dictionary"]


# -- journal and resume ------------------------------------------------------------------------


def test_a_finished_run_resumed_sends_nothing_and_a_changed_input_is_refused(
    wf: Workflows, alation_server: ServedSimulator, tmp_path: Path
) -> None:
    path = tmp_path / "run.journal"
    first = submit_batches(wf.documents.create_documents, docs(12), batch_size=5, journal=path, progress=None)
    assert first.exit_code == 0 and first.journal == str(path)
    again = submit_batches(wf.documents.create_documents, docs(12), batch_size=5, journal=path, progress=None)
    assert [o.state for o in again] == ["finished"] * 3
    assert [list(o.ids) for o in again] == [list(o.ids) for o in first]
    assert len(posts(alation_server)) == 3
    with pytest.raises(ValueError, match="items differ"):
        submit_batches(wf.documents.create_documents, docs(12, 1), batch_size=5, journal=path, progress=None)
    with pytest.raises(ValueError, match="createDocuments"):
        submit_batches(wf.terms.create_terms, [{"title": "t"}], journal=path, progress=None)
    with Journal(path) as jr:
        assert jr.counts() == {"finished": 3}
    (tmp_path / "junk").write_text("not a database at all, just text " * 100)
    with pytest.raises(ValueError, match="not a bulk-run journal"):
        Journal(tmp_path / "junk")


def test_submitted_batches_are_waited_on_not_resubmitted(
    wf: Workflows, alation_server: ServedSimulator, tmp_path: Path
) -> None:
    path = tmp_path / "run.journal"
    started = submit_batches(
        wf.documents.create_documents, docs(10), batch_size=5, journal=path, wait=False, progress=None
    )
    assert [o.state for o in started] == ["submitted", "submitted"]
    resumed = submit_batches(
        wf.documents.create_documents, docs(10), batch_size=5, journal=path, progress=None
    )
    assert [o.state for o in resumed] == ["finished", "finished"]
    assert [o.job for o in resumed] == [o.job for o in started]
    assert len(posts(alation_server)) == 2 and len(alation_server.sim.catalog.documents) == 10


def test_a_5xx_after_the_job_was_created_is_ambiguous_and_not_resent(
    wf: Workflows, alation_server: ServedSimulator, tmp_path: Path
) -> None:
    sim = alation_server.sim
    sim.faults.inject(
        "status", path="/integration/v2/document/", method="POST", status=502, after=True, times=1
    )
    path = tmp_path / "run.journal"
    result = submit_batches(
        wf.documents.create_documents, docs(10), batch_size=5, journal=path, progress=None, retries=None
    )
    assert [o.state for o in result] == ["ambiguous", "finished"]
    assert "may have reached Alation" in str(result[0].error) and result.exit_code == 3
    resumed = submit_batches(
        wf.documents.create_documents, docs(10), batch_size=5, journal=path, progress=None
    )
    assert [o.state for o in resumed] == ["ambiguous", "finished"]
    assert sim.submissions["createDocuments"] == 2  # the ambiguous batch was not sent again
    resent = submit_batches(
        wf.documents.create_documents,
        docs(10),
        batch_size=5,
        journal=path,
        resend_ambiguous=True,
        progress=None,
    )
    assert (
        resent.exit_code == 0 and sim.submissions["createDocuments"] == 3
    )  # asked for: sent (a duplicate here)


async def test_async_runs_resume_and_isolate_too(alation_server: ServedSimulator, tmp_path: Path) -> None:
    path = tmp_path / "run.journal"
    items = docs(12)
    items[3] = {"title": "bad", "document_hub_id": 999}
    async with Workflows(server_url=alation_server.url, token=alation_server.token, poll_config=QUICK) as wf:
        first = await submit_batches_async(
            wf.documents.create_documents_async, items, batch_size=5, journal=path, wait=False, progress=None
        )
        assert [o.state for o in first] == ["split", "submitted", "submitted", "submitted"]
        done = await submit_batches_async(
            wf.documents.create_documents_async,
            items,
            batch_size=5,
            journal=path,
            summary=True,
            progress=None,
        )
    assert [o.state for o in done] == ["split", "finished", "finished", "finished"]
    assert [f.index for f in done.failed_items] == [3]
    assert sum(len(o.ids) for o in done) == 11 and not any(o.has_details for o in done)
    with pytest.raises(NoDetailsError, match="summary=True"):
        next(o for o in done if o.ok).details  # noqa: B018
    assert len(alation_server.sim.catalog.documents) == 11


# -- streaming input, summary mode, progress ------------------------------------------------------


def test_jsonl_and_csv_readers_stream_items_and_flag_unreadable_lines(tmp_path: Path) -> None:
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text(
        '{"title": "a", "document_hub_id": 1}\n\n{broken\n{"title": "b", "document_hub_id": 1}\n'
    )
    got = list(read_jsonl(jsonl))
    assert got[0] == {"title": "a", "document_hub_id": 1} and got[2]["title"] == "b"
    assert isinstance(got[1], Unreadable) and "docs.jsonl:3" in got[1].message
    csv_file = tmp_path / "docs.csv"
    csv_file.write_text('title,document_hub_id,nav_link_folder_ids\nKPI,1,"[1, 2]"\nshort\n,,\nRevenue,1,\n')
    rows = list(read_csv(csv_file))
    assert rows[0] == {"title": "KPI", "document_hub_id": "1", "nav_link_folder_ids": [1, 2]}
    assert isinstance(rows[1], Unreadable) and "1 cells" in rows[1].message
    assert rows[2] == {"title": "Revenue", "document_hub_id": "1"}


def test_unreadable_lines_are_invalid_items_with_their_index(wf: Workflows, tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"title": "a", "document_hub_id": 1}\nnope\n')
    with pytest.raises(InvalidItemsError, match="item 1: .*not valid JSON"):
        submit_batches(wf.documents.create_documents, read_jsonl(path), progress=None)


def test_summary_mode_keeps_counts_ids_and_progress_counts_items(wf: Workflows) -> None:
    events: list[Any] = []
    result = submit_batches(
        wf.documents.create_documents,
        (d for d in docs(23)),
        batch_size=10,
        summary=True,
        progress=events.append,
    )
    assert all(not o.has_details and o.handle is None and o.job is not None for o in result)
    assert [len(o.ids) for o in result] == [10, 10, 3]
    with pytest.raises(NoDetailsError, match="summary"):
        result[0].unwrap()
    ends = [e for e in events if e.kind in ("finished", "failed")]
    assert ends[-1].items_done == ends[-1].items_total == 23
    assert {e.operation for e in events} == {"createDocuments"}
    full = submit_batches(wf.documents.create_documents, docs(3), progress=None)
    assert full[0].unwrap().result.created_term_count == 3  # not summary: typed details kept


# -- job error messages --------------------------------------------------------------------------


def test_job_failed_error_gives_the_reason(wf: Workflows, alation_server: ServedSimulator) -> None:
    alation_server.sim.faults.inject("fail_job", result={"error": "Template 5 has no field 9"}, times=1)
    with pytest.raises(JobFailedError) as caught:
        wf.documents.create_documents(request=[models.DocumentIn(title="x", document_hub_id=1)]).wait()
    assert (
        "Template 5 has no field 9" in str(caught.value)
        and caught.value.reason == "Template 5 has no field 9"
    )


def test_job_timeout_error_says_how_long_and_how_to_resume(
    wf: Workflows, alation_server: ServedSimulator
) -> None:
    alation_server.sim.faults.inject("never_finish", times=1)
    handle = wf.documents.create_documents(request=[models.DocumentIn(title="x", document_hub_id=1)])
    with pytest.raises(JobTimeoutError) as caught:
        handle.wait(timeout=0.2)
    text = str(caught.value)
    assert (
        "waited" in text and " s " in text and caught.value.waited is not None and caught.value.waited >= 0.2
    )
    assert "JobHandle.resume" in text and f"--id {handle.id}" in text


def test_a_throttled_submit_is_unsent_and_sent_on_resume(
    wf: Workflows, alation_server: ServedSimulator, tmp_path: Path
) -> None:
    from alation_workflows.utils import RetryConfig

    sim = alation_server.sim
    sim.faults.inject("status", path="/integration/v2/document/", method="POST", status=429, times=1)
    path = tmp_path / "run.journal"
    once = RetryConfig(strategy="none", max_attempts=1)
    result = submit_batches(
        wf.documents.create_documents, docs(10), batch_size=5, journal=path, retries=once, progress=None
    )
    assert [o.state for o in result] == ["unsent", "finished"] and result.exit_code == 1
    assert result.failed_items == []  # not failed: never processed, sent again on resume
    resumed = submit_batches(
        wf.documents.create_documents, docs(10), batch_size=5, journal=path, progress=None
    )
    assert [o.state for o in resumed] == ["finished", "finished"] and resumed.exit_code == 0
    assert len(sim.catalog.documents) == 10


def test_a_progress_callback_that_raises_loses_no_handle(
    wf: Workflows, alation_server: ServedSimulator, tmp_path: Path
) -> None:
    path = tmp_path / "run.journal"

    def broken(event: Any) -> None:
        if event.kind == "submitted" and event.batch == 1:
            raise RuntimeError("bug in a progress callback")

    with pytest.raises(RuntimeError, match="progress callback"):
        submit_batches(wf.documents.create_documents, docs(20), batch_size=5, journal=path, progress=broken)
    with Journal(path) as jr:
        assert jr.counts().get("submitted", 0) + jr.counts().get("finished", 0) == 2  # both handles kept
    resumed = submit_batches(
        wf.documents.create_documents, docs(20), batch_size=5, journal=path, progress=None
    )
    assert resumed.exit_code == 0
    titles = [d["title"] for d in alation_server.sim.catalog.documents.values()]
    assert sorted(titles) == sorted(f"doc {i}" for i in range(20))


def test_a_body_refused_before_sending_is_rejected_not_ambiguous(
    wf: Workflows, alation_server: ServedSimulator
) -> None:
    # Without an operation behind it, items are not validated up front; the method's own
    # validation then refuses the batch before anything is sent.
    def typed(**kwargs: Any) -> Any:
        return wf.documents.create_documents(**kwargs)

    result = submit_batches(typed, [{"title": "x"}, *docs(2)], batch_size=1, progress=None)
    assert [o.state for o in result] == ["rejected", "finished", "finished"]
    assert (
        result.failed_items[0].index == 0 and "refused before sending" in result.failed_items[0].messages[0]
    )
    assert result.exit_code == 1 and len(alation_server.sim.catalog.documents) == 2
