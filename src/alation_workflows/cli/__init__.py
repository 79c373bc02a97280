"""`alation-workflows`, the command line: job status and waits, journaled bulk submits, the simulator.

Exit codes: 0 every item done, 1 some items failed (or a job failed or is still running),
2 usage or configuration error, 3 ambiguous batches left in the journal.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (`alation-workflows`, `python -m alation_workflows`)."""
    try:
        from .app import app
    except ImportError as exc:  # typer is the [cli] extra
        if exc.name not in ("typer", "click"):
            raise
        print(
            "alation-workflows: the command line needs typer: pip install 'alation-workflows[cli]'",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    app(args=argv, prog_name="alation-workflows")
