"""mypy sees each operation's own parameters through `submit_batches(op, items, ...)` (generated overloads)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# Slow (runs mypy per operation): .ci/run runs it on the main Python only.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

SNIPPET = textwrap.dedent(
    """
    from typing import Any, assert_type

    from alation_workflows import Workflows, models
    from alation_workflows.jobs import BulkResult, submit_batches, submit_batches_async

    TABLES = [{"key": "1.s.t", "table_type": "TABLE"}]


    def fine(wf: Workflows) -> None:
        assert_type(submit_batches(wf.rdbms.create_tables, TABLES, ds_id=1), BulkResult[models.JobDetailsRdbmsSucceeded])
        submit_batches(wf.documents.create_documents, [], summary=True, journal="run.journal")
        submit_batches(wf.virtual_data_sources.post_virtual_data_source_metadata, [], ds_id=1, remove_not_seen=True)
        submit_batches(wf.rdbms.update_child_columns, [], ds_id=1, column_id=2, retries=None)
        submit_batches(lambda **kw: wf.documents.create_documents(**kw), [], batch_size=10)


    async def fine_async(wf: Workflows) -> None:
        result = await submit_batches_async(wf.rdbms.create_tables_async, TABLES, ds_id=1)
        assert_type(result, BulkResult[models.JobDetailsRdbmsSucceeded])


    def wrong(wf: Workflows) -> None:
        submit_batches(wf.rdbms.create_tables, TABLES)  # error: missing ds_id
        submit_batches(wf.rdbms.create_tables, TABLES, dsid=1)  # error: misspelled
        submit_batches(wf.rdbms.create_tables, TABLES, ds_id="one")  # error: wrong type
        submit_batches(wf.documents.create_documents, [], ds_id=1)  # error: documents take no ds_id
        submit_batches(wf.rdbms.update_child_columns, [], ds_id=1)  # error: missing column_id


    async def wrong_async(wf: Workflows) -> None:
        await submit_batches_async(wf.rdbms.create_tables_async, TABLES)  # error: missing ds_id
    """
)


def test_batch_parameters_are_type_checked_per_operation() -> None:
    work = ROOT / ".mypy_cache" / "typing-test"
    work.mkdir(parents=True, exist_ok=True)
    snippet = work / "typed_batches.py"
    snippet.write_text(SNIPPET)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(work / "cache"),
         "--config-file", str(ROOT / "pyproject.toml"), str(snippet)],
        capture_output=True, text=True, cwd=ROOT,
        env={"MYPYPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}, timeout=240,
    )  # fmt: skip
    flagged = {int(m.group(1)) for m in re.finditer(r"typed_batches\.py:(\d+): error", proc.stdout)}
    expected = {i + 1 for i, line in enumerate(SNIPPET.splitlines()) if "# error" in line}
    assert flagged == expected, proc.stdout + proc.stderr
