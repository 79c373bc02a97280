"""The README's "Command line" commands run, in order, against a fresh simulator over loopback.

A trailing `# exits N` comment states a command's expected exit code (0 otherwise)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from alation_workflows.testing import Simulator

ROOT = Path(__file__).resolve().parents[1]
EXITS = re.compile(r"#\s*exits\s+(\d+)")


def section_commands(title: str) -> list[tuple[str, int]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in re.findall(r"^```bash\n(.*?)^```", section, re.M | re.S):
        for line in block.splitlines():
            if line.strip():
                m = EXITS.search(line)
                commands.append((line.split("#", 1)[0].strip(), int(m.group(1)) if m else 0))
    return commands


def test_the_command_line_section_runs(tmp_path: Path) -> None:
    commands = section_commands("Command line")
    assert len(commands) >= 6 and all(c.startswith("alation-workflows ") for c, _ in commands)
    bindir = str(Path(sys.executable).parent)
    inputs = sorted((ROOT / "examples" / "bulk").iterdir())
    sim = Simulator(token="readme-token", job_duration=0.0)
    with sim.serve() as url:
        env = {
            **os.environ,
            "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
            "ALATION_BASE_URL": url,
            "ALATION_TOKEN": "readme-token",
            "TMP": str(tmp_path),
        }
        for command, expected in commands:
            args = [os.path.expandvars(a.replace("$TMP", str(tmp_path))) for a in shlex.split(command)]
            proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
            assert proc.returncode == expected, f"{command}\n{proc.stdout}\n{proc.stderr}"
    assert sorted((ROOT / "examples" / "bulk").iterdir()) == inputs  # journals go to $TMP, not the repo
    titles = sorted(str(d["title"]) for d in sim.catalog.documents.values())
    assert titles == ["Active users", "Churn", "Gross margin", "Net margin", "Revenue"]
    assert sorted(sim.catalog.schemas) == ["1.finance", "1.sales"]
