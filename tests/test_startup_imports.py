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


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_importing_the_sdk_does_not_import_httpx_command_line() -> None:
    # click, rich and pygments are installed (this SDK's CLI needs them); httpx would import them all
    out = _run(
        "import sys, alation_workflows, httpx\n"
        "print(','.join(m for m in ('click', 'rich', 'pygments', 'httpx._main') if m in sys.modules))\n"
        "import click, rich\n"
    )
    assert out.returncode == 0, out.stderr
    # httpx._main is there, as the stand-in; the real module and its imports are not
    assert out.stdout.strip() == "httpx._main"


def test_httpx_command_line_still_runs_after_importing_the_sdk() -> None:
    out = _run("import alation_workflows, httpx\nhttpx.main(['--help'])")
    assert out.returncode == 0, out.stderr
    assert "Usage: httpx" in out.stdout and "--method" in out.stdout


def test_httpx_cli_module_attributes_load_the_real_module() -> None:
    out = _run(
        "import sys, alation_workflows\n"
        "from httpx._main import print_help\n"
        "import httpx._main\n"
        "print(callable(print_help), 'rich' in sys.modules, sys.modules['httpx._main'].__file__.endswith('_main.py'))"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True", "True"]


def test_httpx_imported_first_is_left_alone() -> None:
    out = _run("import httpx, click, alation_workflows\nprint(isinstance(httpx.main, click.Command))")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"


def test_first_use_of_httpx_cli_from_many_threads_loads_it_once() -> None:
    out = _run(
        "import sys, threading, alation_workflows, httpx\n"
        "import httpx._main as stand_in\n"
        "found = []\n"
        "def use():\n"
        "    found.append(stand_in.print_help)\n"
        "threads = [threading.Thread(target=use) for _ in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(len(found), len({id(f) for f in found}), sys.modules['httpx._main'] is not stand_in)\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["8", "1", "True"]
