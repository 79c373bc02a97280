"""The `alation-workflows` command line against the simulator over loopback: commands, output, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from alation_workflows.cli._registry import OPERATIONS
from alation_workflows.cli.app import app
from alation_workflows.testing import Simulator
from alation_workflows.testing.pytest_plugin import ServedSimulator

runner = CliRunner()


def run(server: ServedSimulator | None, *args: str, **env: str) -> Any:
    base = {"ALATION_BASE_URL": server.url, "ALATION_TOKEN": server.token} if server else {}
    return runner.invoke(app, list(args), env={"ALATION_REFRESH_TOKEN": "", **base, **env})


def jsonl(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items))
    return path


def docs(n: int) -> list[dict[str, Any]]:
    return [{"title": f"cli {i}", "document_hub_id": 1} for i in range(n)]


def test_the_registry_is_generated_from_the_spec_and_names_every_operation() -> None:
    from alation_workflows import _operations

    ops = {v.id for v in vars(_operations).values() if type(v).__name__ == "Operation"}
    assert {e.operation for e in OPERATIONS.values()} == ops
    entry = OPERATIONS["rdbms.create_tables"]
    assert entry.kind == "batches" and [(p.name, p.required) for p in entry.params] == [("ds_id", True)]
    assert OPERATIONS["job_status.get_job_status"].kind == "call"


def test_submit_a_jsonl_file_prints_a_summary_and_exit_0(
    alation_server: ServedSimulator, tmp_path: Path
) -> None:
    items = jsonl(tmp_path / "docs.jsonl", docs(1200))
    result = run(
        alation_server, "--output", "json", "submit", "documents.create_documents", "--input", str(items)
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["items"] == 1200 and out["batch_states"] == {"finished": 2} and out["ids"] == 1200
    assert out["journal"] == str(items) + ".journal" and out["failed"] == []
    assert len(alation_server.sim.catalog.documents) == 1200
    again = run(alation_server, "submit", "documents.create_documents", "--input", str(items))  # resumes
    assert again.exit_code == 0 and "2 finished" in again.stdout
    assert len(alation_server.sim.catalog.documents) == 1200


def test_failed_items_exit_1_and_no_resubmit_valid(alation_server: ServedSimulator, tmp_path: Path) -> None:
    rows = "title,document_hub_id\nA,1\nB,999\nC,1\n"
    csv_file = tmp_path / "docs.csv"
    csv_file.write_text(rows)
    result = run(alation_server, "submit", "documents.create_documents", "-i", str(csv_file))
    assert result.exit_code == 1
    assert "failed item 1: document_hub_id" in result.stdout
    assert sorted(d["title"] for d in alation_server.sim.catalog.documents.values()) == ["A", "C"]
    other = tmp_path / "again.csv"
    other.write_text(rows)
    off = run(
        alation_server,
        "-o",
        "json",
        "submit",
        "documents.create_documents",
        "-i",
        str(other),
        "--no-resubmit-valid",
    )
    assert off.exit_code == 1 and [f["index"] for f in json.loads(off.stdout)["failed"]] == [0, 1, 2]


def test_invalid_items_are_all_listed_before_sending(alation_server: ServedSimulator, tmp_path: Path) -> None:
    items = jsonl(tmp_path / "docs.jsonl", [{"title": "a"}, {"title": "b", "document_hub_id": 1}, {"x": 1}])
    result = run(alation_server, "submit", "documents.create_documents", "--input", str(items), "--dry-run")
    assert result.exit_code == 1 and "item 0" in result.stdout and "item 2" in result.stdout
    ok = jsonl(tmp_path / "ok.jsonl", docs(3))
    dry = run(
        alation_server, "-o", "json", "submit", "documents.create_documents", "--input", str(ok), "--dry-run"
    )
    assert dry.exit_code == 0 and json.loads(dry.stdout)["batch_states"] == {"planned": 1}
    assert alation_server.sim.requests == [] and not (tmp_path / "ok.jsonl.journal").exists()


def test_parameters_and_usage_errors_exit_2(alation_server: ServedSimulator, tmp_path: Path) -> None:
    items = jsonl(tmp_path / "t.jsonl", [{"key": "1.s", "title": "S"}])
    assert (
        run(alation_server, "submit", "rdbms.create_schemas", "-i", str(items)).exit_code == 2
    )  # needs ds_id
    bad = run(alation_server, "submit", "rdbms.create_schemas", "-i", str(items), "--param", "dsid=1")
    assert bad.exit_code == 2 and "no parameter 'dsid'" in bad.stderr
    typo = run(alation_server, "submit", "documents.create_document", "-i", str(items))
    assert typo.exit_code == 2 and "documents.create_documents" in typo.stderr
    assert run(alation_server, "submit", "documents.delete_documents", "-i", str(items)).exit_code == 2
    assert run(alation_server, "submit", "documents.create_documents", "-i", "nope.jsonl").exit_code == 2
    assert run(None, "job", "status", "--id", "1").exit_code == 2  # no ALATION_BASE_URL
    assert run(alation_server, "job", "status").exit_code == 2  # neither --id nor --name
    assert run(alation_server, "job", "status", "--id", "1", "--name", "x").exit_code == 2
    ok = run(alation_server, "submit", "rdbms.create_schemas", "-i", str(items), "-p", "ds_id=1")
    assert ok.exit_code == 0, ok.output


def test_job_status_and_wait(alation_server: ServedSimulator, workflows: Any) -> None:
    handle = workflows.documents.create_documents(request=docs(2))
    status = run(alation_server, "-o", "json", "job", "status", "--id", str(handle.id))
    assert status.exit_code == 0 and json.loads(status.stdout)["status"] in ("running", "successful")
    waited = run(alation_server, "-o", "json", "job", "wait", "--id", str(handle.id), "--timeout", "5")
    assert waited.exit_code == 0 and json.loads(waited.stdout)["result"]["created_term_count"] == 2
    alation_server.sim.faults.inject("fail_job", result={"error": "bad template"}, times=1)
    failed = workflows.documents.create_documents(request=docs(1))
    out = run(alation_server, "job", "wait", "--id", str(failed.id))
    assert out.exit_code == 1 and "bad template" in out.stderr
    assert run(alation_server, "job", "status", "--id", "999999").exit_code == 1


def test_resume_reports_ambiguous_batches_with_exit_3(
    alation_server: ServedSimulator, tmp_path: Path
) -> None:
    sim = alation_server.sim
    sim.faults.inject(
        "status", path="/integration/v2/document/", method="POST", status=502, after=True, times=1
    )
    items = jsonl(tmp_path / "docs.jsonl", docs(6))
    journal = tmp_path / "run.journal"
    args = (
        "submit",
        "documents.create_documents",
        "-i",
        str(items),
        "--journal",
        str(journal),
        "--batch-size",
        "3",
    )
    first = run(alation_server, *args)
    assert first.exit_code == 3 and "AMBIGUOUS batch 0" in first.stdout
    again = run(alation_server, "resume", "--journal", str(journal))
    assert again.exit_code == 3 and sim.submissions["createDocuments"] == 2
    done = run(alation_server, "resume", "--journal", str(journal), "--applied", "0")
    assert done.exit_code == 0, done.output
    assert sim.submissions["createDocuments"] == 2 and len(sim.catalog.documents) == 6
    assert run(alation_server, "resume", "--journal", str(tmp_path / "missing")).exit_code == 2


def test_console_script_and_module_entry_points(tmp_path: Path) -> None:
    env = {**os.environ, "ALATION_BASE_URL": "", "ALATION_TOKEN": ""}
    module = subprocess.run(
        [sys.executable, "-m", "alation_workflows", "job", "status", "--id", "1"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert module.returncode == 2 and "ALATION_BASE_URL" in module.stderr
    script = Path(sys.executable).with_name("alation-workflows")
    listed = subprocess.run([str(script), "operations"], capture_output=True, text=True, env=env, timeout=60)
    assert listed.returncode == 0 and "rdbms.create_tables  --param ds_id=INT" in listed.stdout


@pytest.mark.skipif(
    not hasattr(Simulator, "seed_examples"), reason="Simulator.seed_examples() not on this branch yet"
)
def test_simulator_command_serves_seeded_examples() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "alation_workflows", "simulator", "--seed", "examples"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[-1]
        assert url.startswith("http://127.0.0.1:")
    finally:
        proc.send_signal(2)
        proc.wait(timeout=30)


def test_simulator_command_refuses_a_bad_seed() -> None:
    result = run(None, "simulator", "--seed", "everything")
    assert result.exit_code == 2 and "examples" in result.stderr


def test_refresh_token_configuration_and_unsupported_client_credentials(
    alation_server: ServedSimulator, tmp_path: Path
) -> None:
    sim = alation_server.sim
    refresh = {"ALATION_TOKEN": "", "ALATION_REFRESH_TOKEN": sim.issue_refresh_token(user_id=3)}
    items = jsonl(tmp_path / "docs.jsonl", docs(2))
    assert (
        run(alation_server, "submit", "documents.create_documents", "-i", str(items), **refresh).exit_code
        == 2
    )
    ok = run(
        alation_server,
        "submit",
        "documents.create_documents",
        "-i",
        str(items),
        ALATION_USER_ID="3",
        **refresh,
    )
    assert ok.exit_code == 0, ok.output
    oauth = run(alation_server, "job", "status", "--id", "1", ALATION_TOKEN="", ALATION_CLIENT_ID="app")
    assert oauth.exit_code == 2 and "not supported" in oauth.stderr


def test_other_operations_send_one_json_body(
    alation_server: ServedSimulator, workflows: Any, tmp_path: Path
) -> None:
    created = workflows.documents.create_documents(request=docs(2)).wait()
    ids = [t.id for t in created.result.created_terms]
    body = tmp_path / "ids.json"
    body.write_text(json.dumps({"id": ids}))
    deleted = run(alation_server, "-o", "json", "submit", "documents.delete_documents", "-i", str(body))
    assert deleted.exit_code == 0, deleted.output
    assert alation_server.sim.catalog.documents == {}
    status = run(
        alation_server,
        "-o",
        "json",
        "submit",
        "job_status.get_job_status",
        "-p",
        f"id={created_job(workflows)}",
    )
    assert status.exit_code == 0 and json.loads(status.stdout)["status"] == "successful"
    wrong = run(alation_server, "submit", "documents.delete_documents", "-i", str(tmp_path / "x.jsonl"))
    assert wrong.exit_code == 2 and "FILE.json" in wrong.stderr


def created_job(workflows: Any) -> int:
    handle = workflows.documents.create_documents(request=docs(1))
    handle.wait()
    return int(handle.id)
