"""`python examples/quickstart.py` (the README's command) runs end to end and prints its summary."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from alation_workflows.testing.pytest_plugin import ServedSimulator

ROOT = Path(__file__).resolve().parents[1]


def run(env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ALATION_", "QUICKSTART_"))}
    clean["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), clean.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "examples/quickstart.py"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_quickstart_on_the_embedded_simulator() -> None:
    proc = run({})
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "using the embedded Alation simulator at http://127.0.0.1:" in out
    assert re.search(r"^folder\s+\d+ 'Quickstart ", out, re.M), out
    assert re.search(r"^fields\s+status=\d+ note=\d+$", out, re.M), out
    assert re.search(r"^documents\s+2500 created in 3 batches$", out, re.M), out
    assert re.search(r"^values\s+5000 set in 1 batches \(1 follow-up legacy jobs awaited\)$", out, re.M), out
    assert re.search(r"^jobs\s+7 waited on$", out, re.M), out
    assert re.search(r"^problems\s+0$", out, re.M), out
    seconds = float(re.search(r"^done in ([\d.]+)s$", out, re.M).group(1))  # type: ignore[union-attr]
    assert seconds < 20
    assert proc.stderr.count("[documents] batch") == 3  # progress for every job


def test_quickstart_against_a_given_instance(alation_server: ServedSimulator) -> None:
    env = {
        "ALATION_BASE_URL": alation_server.url,
        "ALATION_TOKEN": alation_server.token,
        "ALATION_DOCUMENT_HUB_ID": "1",
        "QUICKSTART_DOCUMENTS": "1200",
    }
    proc = run(env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "embedded" not in proc.stdout
    assert re.search(r"^documents\s+1200 created in 2 batches$", proc.stdout, re.M), proc.stdout
    state = alation_server.sim.state
    assert len(state.custom_field_values) == 2400  # the values really reached the server
    assert alation_server.sim.submissions["createDocuments"] == 2


def test_quickstart_needs_a_document_hub_for_a_real_instance() -> None:
    proc = run({"ALATION_BASE_URL": "https://alation.invalid", "ALATION_TOKEN": "x"})
    assert proc.returncode != 0
    assert "ALATION_DOCUMENT_HUB_ID" in proc.stderr
