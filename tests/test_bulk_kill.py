"""A journaled bulk run killed (SIGINT, SIGKILL) at random points, then resumed: on the simulator
every item exists exactly once, and nothing is resent that may already have reached Alation."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from alation_workflows import PollConfig, Workflows
from alation_workflows.jobs import Journal, submit_batches
from alation_workflows.testing import Simulator

# Slow (kills and resumes child processes): .ci/run runs it on the main Python only.
pytestmark = pytest.mark.slow

ITEMS = 60
BATCH = 5
QUICK = PollConfig(initial_interval=0.01, multiplier=1.5, max_interval=0.05, timeout=20.0, jitter=0.0)

CHILD = textwrap.dedent(
    """
    import sys
    from alation_workflows import PollConfig, Workflows
    from alation_workflows.jobs import submit_batches

    url, journal, items, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    poll = PollConfig(initial_interval=0.01, multiplier=1.5, max_interval=0.05, timeout=20.0, jitter=0.0)
    docs = ({"title": f"kill-{i}", "document_hub_id": 1} for i in range(items))

    def tell(event):
        print(event.kind, event.batch, flush=True)

    print("start", flush=True)
    with Workflows(server_url=url, token="t", poll_config=poll) as wf:
        submit_batches(wf.documents.create_documents, docs, batch_size=batch, concurrency=2,
                       journal=journal, progress=tell)
    print("done", flush=True)
    """
)


def docs() -> list[dict[str, object]]:
    return [{"title": f"kill-{i}", "document_hub_id": 1} for i in range(ITEMS)]


def titles(sim: Simulator) -> Counter[str]:
    return Counter(str(d.get("title")) for d in sim.catalog.documents.values())


# Each case: (signal, events to read before killing, extra delay in ms); drawn once from a seed so
# a failure can be replayed, and covering kills before planning ends, mid-run and near the end.
_rng = random.Random(20261127)
CASES = [
    (sig, _rng.randrange(0, 2 * ITEMS // BATCH), _rng.randrange(0, 40))
    for sig in (signal.SIGKILL, signal.SIGINT)
    for _ in range(4)
] + [(signal.SIGKILL, -1, 0)]  # -1: kill right after "start" (during validation and planning)


@pytest.mark.parametrize(("sig", "after", "delay_ms"), CASES)
def test_killed_run_resumes_with_every_item_exactly_once(
    tmp_path: Path, sig: signal.Signals, after: int, delay_ms: int
) -> None:
    sim = Simulator(token="t", job_duration=0.03)
    journal = tmp_path / "run.journal"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    with sim.serve() as url:
        child = subprocess.Popen(
            [sys.executable, str(script), url, str(journal), str(ITEMS), str(BATCH)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        assert child.stdout is not None
        seen = 0
        for line in child.stdout:  # bounded: the child prints one line per event, then exits
            if line.startswith("start") and after < 0:
                break
            if line.split()[0] in ("submitted", "finished", "failed"):
                seen += 1
                if seen > after:
                    break
            if line.startswith("done"):
                break
        time.sleep(delay_ms / 1000)
        child.send_signal(sig)
        child.wait(timeout=30)
        time.sleep(0.2)  # let the simulator finish a request the child sent just before dying

        before = titles(sim)
        assert all(n == 1 for n in before.values()), "the killed run itself created a duplicate"

        with Workflows(server_url=url, token="t", poll_config=QUICK) as wf:
            resumed = submit_batches(
                wf.documents.create_documents, docs(), batch_size=BATCH, journal=journal, progress=None
            )
            # Ambiguous batches were not resent. Settle each by looking at the catalog, as a user would.
            present = titles(sim)
            resend = []
            with Journal(journal) as jr:
                for o in resumed.ambiguous:
                    found = [f"kill-{i}" in present for i in o.indices]
                    assert all(found) or not any(found), "a batch is applied as a whole or not at all"
                    if all(found):
                        jr.settle(o.index, applied=True)
                    else:
                        resend.append(o.index)
            if resumed.ambiguous:
                assert resumed.exit_code == 3
                final = submit_batches(
                    wf.documents.create_documents,
                    docs(),
                    batch_size=BATCH,
                    journal=journal,
                    resend_ambiguous=resend,
                    progress=None,
                )
            else:
                final = resumed
    counts = titles(sim)
    assert sorted(counts) == sorted(f"kill-{i}" for i in range(ITEMS))
    assert set(counts.values()) == {1}
    assert [o.state for o in final] == ["finished"] * len(final)
    assert final.exit_code == 0 and final.failed_items == []
    with Journal(journal) as jr:
        assert jr.counts() == {"finished": len(final)}


def test_a_batch_killed_while_its_answer_is_on_the_way_is_ambiguous_and_not_resent(tmp_path: Path) -> None:
    sim = Simulator(token="t", job_duration=0.0)
    # The first submit is carried out, then its answer held back: the child dies in that window.
    sim.faults.inject("delay", path="/integration/v2/document/", method="POST", seconds=30, times=1)
    journal = tmp_path / "run.journal"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    with sim.serve() as url:
        child = subprocess.Popen(
            [sys.executable, str(script), url, str(journal), str(ITEMS), str(BATCH)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        for _ in range(600):  # bounded: up to 30 s for the child to start and send
            if sim.submissions["createDocuments"] >= 1:
                break
            time.sleep(0.05)
        child.kill()
        child.wait(timeout=30)
        assert len(titles(sim)) == BATCH  # the first batch is in the catalog; the child never learnt it

        with Workflows(server_url=url, token="t", poll_config=QUICK) as wf:
            resumed = submit_batches(
                wf.documents.create_documents, docs(), batch_size=BATCH, journal=journal, progress=None
            )
            assert [(o.index, o.state) for o in resumed.ambiguous] == [(0, "ambiguous")]
            assert isinstance(resumed[0].error, Exception) and "may have reached Alation" in str(
                resumed[0].error
            )
            assert resumed.exit_code == 3
            assert set(titles(sim).values()) == {1}  # not resent on its own
            with Journal(journal) as jr:
                jr.settle(0, applied=True)
                with pytest.raises(ValueError, match="not ambiguous"):
                    jr.settle(1, applied=True)
            final = submit_batches(
                wf.documents.create_documents, docs(), batch_size=BATCH, journal=journal, progress=None
            )
    assert final.exit_code == 0
    assert titles(sim) == Counter({f"kill-{i}": 1 for i in range(ITEMS)})


def test_the_command_line_interrupted_then_resumed_creates_every_item_once(tmp_path: Path) -> None:
    sim = Simulator(token="t", job_duration=0.05)
    items = tmp_path / "docs.jsonl"
    items.write_text("".join(f'{{"title": "kill-{i}", "document_hub_id": 1}}\n' for i in range(ITEMS)))
    journal = tmp_path / "cli.journal"
    with sim.serve() as url:
        env = {
            **os.environ,
            "ALATION_BASE_URL": url,
            "ALATION_TOKEN": "t",
            "PYTHONPATH": os.pathsep.join(sys.path),
        }
        cli = [sys.executable, "-m", "alation_workflows"]
        child = subprocess.Popen(
            [*cli, "submit", "documents.create_documents", "-i", str(items), "--journal", str(journal),
             "--batch-size", str(BATCH), "--concurrency", "2"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(600):  # bounded: up to 30 s for the child to start and submit a few batches
            if sim.submissions["createDocuments"] >= 3 or child.poll() is not None:
                break
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        child.wait(timeout=30)
        time.sleep(0.2)
        assert set(titles(sim).values()) <= {1}
        resumed = subprocess.run(
            [*cli, "-o", "json", "resume", "--journal", str(journal)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert resumed.returncode in (0, 3), resumed.stderr
        if resumed.returncode == 3:  # settle the ambiguous batches by looking, as a user would
            present = titles(sim)
            args = []
            for batch in json.loads(resumed.stdout)["ambiguous_batches"]:
                applied = f"kill-{batch['items'][0]}" in present
                args += ["--applied", str(batch["batch"])] if applied else ["--resend-ambiguous"]
            final = subprocess.run([*cli, "resume", "--journal", str(journal), *args], env=env, timeout=120)
            assert final.returncode == 0
    assert titles(sim) == Counter({f"kill-{i}": 1 for i in range(ITEMS)})
