"""mypy sees the precise job-details type through submit -> handle -> wait (sync and async)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SNIPPET = textwrap.dedent(
    """
    from typing import Any, assert_type

    from alation_workflows import Workflows, handles, models
    from alation_workflows.jobs import (
        AsyncJobHandle, BatchOutcome, BulkResult, JobHandle, JobOutcome, submit_batches,
        submit_batches_async, wait_all, wait_all_async,
    )

    DOCS = [models.DocumentIn(title="KPI", document_hub_id=1)]
    POST = models.JobDetailsDocumentPost
    POSTED = models.JobDetailsDocumentPostSucceeded


    def sync_flow(wf: Workflows) -> None:
        handle = wf.documents.create_documents(request=DOCS)
        assert_type(handle, handles.BulkMetadataJobHandle[POSTED, POST])
        assert_type(handle.id, int)
        assert_type(handle.status(), POST)
        done = wf.documents.create_documents(request=DOCS).wait()
        assert_type(done, POSTED)
        assert_type(done.result, models.DocumentPostResult)
        assert_type(handle.wait(raise_on_failure=False), POSTED | POST)
        assert_type(wf.documents.update_documents(request=[]).wait(timeout=1), models.JobDetailsDocumentPutSucceeded)
        assert_type(handle.followups, list[JobHandle[models.JobDetails]])
        outcomes = wait_all([handle])
        assert_type(outcomes, list[JobOutcome[POSTED]])
        assert_type(outcomes[0].details.result, models.DocumentPostResult)
        run = submit_batches(wf.documents.create_documents, DOCS)
        assert_type(run, BulkResult[POSTED])
        for batch in run:
            assert_type(batch, BatchOutcome[POSTED])
            if batch.ok:
                assert_type(batch.details.result.created_terms[0].id, int)
        assert_type(
            JobHandle.resume(wf, handle.to_dict(), details_type=POSTED),
            JobHandle[POSTED],
        )
        assert_type(JobHandle.resume(wf, 1), JobHandle[Any])
        task = wf.data_dictionary.upload_data_dictionary(
            request={"file": b"key", "overwrite_values": True}, object_type=models.DataDictionaryObjectType.DATA, object_id=1
        )
        assert_type(task.task_id, str)
        assert_type(task.wait(), models.DataDictionaryTask)


    async def async_flow(wf: Workflows) -> None:
        handle = await wf.documents.create_documents_async(request=DOCS)
        assert_type(handle, handles.AsyncBulkMetadataJobHandle[POSTED, POST])
        assert_type(handle.id, int)
        assert_type(
            await (await wf.documents.create_documents_async(request=DOCS)).wait(),
            POSTED,
        )
        assert_type(await wait_all_async([handle]), list[JobOutcome[POSTED]])
        assert_type(
            await submit_batches_async(wf.documents.create_documents_async, DOCS),
            BulkResult[POSTED],
        )


    def wrong(wf: Workflows) -> None:
        details: models.JobDetailsDocumentPut = wf.documents.create_documents(request=DOCS).wait()
    """
)


def test_wait_is_typed_precisely() -> None:
    # A fixed place inside mypy's (git-ignored) cache: mypy's cache remembers file paths, and
    # reusing it makes reruns take a second instead of ten.
    work = ROOT / ".mypy_cache" / "typing-test"
    work.mkdir(parents=True, exist_ok=True)
    snippet = work / "typed_jobs.py"
    snippet.write_text(SNIPPET)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(work / "cache"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            str(snippet),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"MYPYPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        timeout=240,
    )
    lines = [line for line in proc.stdout.splitlines() if "typed_jobs.py:" in line]
    # Exactly one error, the deliberate one: the checker does see the details type.
    assert len(lines) == 1, proc.stdout + proc.stderr
    wrong_line = (
        SNIPPET.splitlines().index(
            "    details: models.JobDetailsDocumentPut = wf.documents.create_documents(request=DOCS).wait()"
        )
        + 1
    )
    assert f"typed_jobs.py:{wrong_line}:" in lines[0], lines[0]
    assert 'expression has type "JobDetailsDocumentPostSucceeded"' in lines[0], lines[0]
