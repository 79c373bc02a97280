"""Start-up: a program that submits and waits on one job imports nothing before it is needed:
not asyncio, not the spec validator, not batching or its sqlite3 journal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROGRAM = """
import sys
import httpx
import alation_workflows
from alation_workflows import Workflows

def answer(request):
    return httpx.Response(200, json={"status": "successful", "msg": "", "result": None})

with Workflows(server_url="https://alation.test", token="t",
               client=httpx.Client(transport=httpx.MockTransport(answer))) as wf:
    assert wf.job_status.get_job_status(id=1).status
    wf.documents.create_documents  # a job group too
UNNEEDED = ("asyncio", "openapi_spec_validator", "jinja2", "sqlite3", "alation_workflows.jobs.batches",
            "alation_workflows.jobs.readers")
loaded = sorted(m for m in UNNEEDED if m in sys.modules)
print(",".join(loaded))
"""


def test_a_sync_program_does_not_import_asyncio() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "", f"imported before needed: {out.stdout.strip()}"


READ_ONLY = """
import sys
import httpx
from alation_workflows import Workflows

def answer(request):
    return httpx.Response(200, json={"status": "successful", "msg": "", "result": None})

with Workflows(server_url="https://alation.test", token="t",
               client=httpx.Client(transport=httpx.MockTransport(answer))) as wf:
    assert wf.job_status.get_job_status(id=1).status
print(",".join(sorted(m for m in sys.modules if m.startswith(("alation_workflows.jobs", "alation_workflows.auth",
                                                              "alation_workflows.lookups")))))
"""


def test_a_program_that_only_reads_never_loads_the_jobs_overlay() -> None:
    out = subprocess.run(
        [sys.executable, "-c", READ_ONLY], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "", f"imported before needed: {out.stdout.strip()}"


def test_lazy_names_of_the_package_and_errors_resolve() -> None:
    import alation_workflows
    from alation_workflows import errors

    for module in (alation_workflows, errors):
        for name in module.__all__:
            assert getattr(module, name) is not None, f"{module.__name__}.{name}"
    assert errors.JobFailedError is alation_workflows.JobFailedError
    assert issubclass(errors.JobFailedError, errors.WorkflowsError)


def test_lazy_names_of_the_jobs_package_resolve() -> None:
    import alation_workflows.jobs as jobs

    for name in jobs.__all__:
        assert getattr(jobs, name) is not None, name
    assert callable(jobs.item_errors)  # the function, not its module
    assert callable(jobs.submit_batches) and jobs.Journal.__name__ == "Journal"
