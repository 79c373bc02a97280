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

    from alation_workflows import Workflows, models
    from alation_workflows.jobs import (
        AsyncJobHandle, BulkResult, JobHandle, JobOutcome, submit_batches, submit_batches_async,
        wait_all, wait_all_async,
    )

    DOCS = [models.DocumentIn(title="KPI", document_hub_id=1)]


    def sync_flow(wf: Workflows) -> None:
        handle = wf.documents.create_documents(request=DOCS)
        assert_type(handle, JobHandle[models.JobDetailsDocumentPost])
        assert_type(wf.documents.create_documents(request=DOCS).wait(), models.JobDetailsDocumentPost)
        assert_type(wf.documents.update_documents(request=[]).wait(timeout=1), models.JobDetailsDocumentPut)
        assert_type(handle.followups, list[JobHandle[models.JobDetails]])
        assert_type(wait_all([handle]), list[JobOutcome[models.JobDetailsDocumentPost]])
        assert_type(
            submit_batches(wf.documents.create_documents, DOCS),
            BulkResult[models.JobDetailsDocumentPost],
        )
        assert_type(
            JobHandle.resume(wf, handle.to_dict(), details_type=models.JobDetailsDocumentPost),
            JobHandle[models.JobDetailsDocumentPost],
        )
        assert_type(JobHandle.resume(wf, 1), JobHandle[Any])


    async def async_flow(wf: Workflows) -> None:
        handle = await wf.documents.create_documents_async(request=DOCS)
        assert_type(handle, AsyncJobHandle[models.JobDetailsDocumentPost])
        assert_type(
            await (await wf.documents.create_documents_async(request=DOCS)).wait(),
            models.JobDetailsDocumentPost,
        )
        assert_type(await wait_all_async([handle]), list[JobOutcome[models.JobDetailsDocumentPost]])
        assert_type(
            await submit_batches_async(wf.documents.create_documents_async, DOCS),
            BulkResult[models.JobDetailsDocumentPost],
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
    assert 'expression has type "JobDetailsDocumentPost"' in lines[0], lines[0]
