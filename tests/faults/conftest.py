"""Fault-suite bookkeeping: each scenario records how it ended; the totals are printed after the run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest


@dataclass
class Tally:
    """Outcomes of the fault scenarios of one test session."""

    tried: int = 0
    recovered: int = 0
    typed_errors: int = 0
    lost_handles: int = 0
    duplicate_submissions: int = 0
    # Jobs the server created whose answer the fault destroyed: the SDK raised a flagged error, never retried.
    ambiguous: int = 0
    errors: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.errors.items()))
        return (
            f"fault suite: {self.tried} faults tried, {self.recovered} recovered, "
            f"{self.typed_errors} typed errors ({kinds}), lost handles = {self.lost_handles}, "
            f"duplicate submissions = {self.duplicate_submissions}, "
            f"ambiguous submissions flagged = {self.ambiguous}"
        )


TALLY = Tally()


@pytest.fixture(scope="session")
def fault_tally() -> Tally:
    return TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY.tried:
        terminalreporter.write_sep("-", "fault injection")
        terminalreporter.write_line(TALLY.summary())
